// parallel_corpus.cpp — aligned corpus reading with per-line checks.
#include "data/parallel_corpus.hpp"

#include <filesystem>
#include <stdexcept>

#include "data/file_kind.hpp"
#include "data/line_reader.hpp"
#include "data/utf8.hpp"

namespace nmt {
namespace {

constexpr std::size_t kMaxProblemsKept = 10;

enum class LineProblem { none, empty, invalid_utf8, too_long };

LineProblem check_line(const std::string& line, const CorpusReadOptions& options,
                       std::string* detail) {
  if (line.find_first_not_of(" \t") == std::string::npos) {
    *detail = "empty line";
    return LineProblem::empty;
  }
  if (line.size() > options.max_line_bytes) {
    *detail = "line of " + std::to_string(line.size()) + " bytes exceeds max_line_bytes = " +
              std::to_string(options.max_line_bytes);
    return LineProblem::too_long;
  }
  const std::size_t bad = utf8::find_invalid(line);
  if (bad != std::string::npos) {
    *detail = "invalid UTF-8 at byte " + std::to_string(bad + 1);
    return LineProblem::invalid_utf8;
  }
  return LineProblem::none;
}

void count_problem(LineProblem problem, CorpusReadReport& report) {
  switch (problem) {
    case LineProblem::empty: ++report.skipped_empty; break;
    case LineProblem::invalid_utf8: ++report.skipped_invalid_utf8; break;
    case LineProblem::too_long: ++report.skipped_too_long; break;
    case LineProblem::none: break;
  }
}

[[noreturn]] void throw_count_mismatch(const LineReader& longer, const LineReader& shorter) {
  throw std::runtime_error("line counts differ: '" + longer.path() + "' has a line " +
                           std::to_string(longer.line_number()) + " but '" + shorter.path() +
                           "' ends after " + std::to_string(shorter.line_number()) +
                           " lines (the files must be sentence-aligned)");
}

}  // namespace

ParallelCorpus read_parallel_corpus(const std::string& source_path, const std::string& target_path,
                                    const CorpusReadOptions& options, CorpusReadReport* report) {
  CorpusReadReport local_report;
  CorpusReadReport& r = report ? *report : local_report;
  r = CorpusReadReport{};

  LineReader source_reader(source_path);
  LineReader target_reader(target_path);
  ParallelCorpus corpus;
  std::string source_line, target_line;
  for (;;) {
    const bool has_source = source_reader.next(source_line);
    const bool has_target = target_reader.next(target_line);
    if (!has_source && !has_target) break;
    if (has_source && !has_target) throw_count_mismatch(source_reader, target_reader);
    if (!has_source && has_target) throw_count_mismatch(target_reader, source_reader);
    ++r.pairs_read;

    bool keep = true;
    for (const auto* side : {&source_reader, &target_reader}) {
      const std::string& line = side == &source_reader ? source_line : target_line;
      std::string detail;
      const LineProblem problem = check_line(line, options, &detail);
      if (problem == LineProblem::none) continue;
      const std::string where = "'" + side->path() + "' line " + std::to_string(side->line_number());
      if (options.on_bad_line == BadLinePolicy::fail)
        throw std::runtime_error(where + ": " + detail + " (set data.on_bad_line = skip to skip such pairs)");
      if (keep) {  // count a pair once, by its first problem
        count_problem(problem, r);
        if (r.problems.size() < kMaxProblemsKept) r.problems.push_back(where + ": " + detail);
      }
      keep = false;
    }
    if (keep) {
      corpus.source.push_back(std::move(source_line));
      corpus.target.push_back(std::move(target_line));
    }
  }
  return corpus;
}

std::string resolve_corpus_file(const std::string& prefix, const std::string& lang) {
  const std::string plain = prefix + "." + lang;
  const std::string gz = plain + ".gz";
  // Whatever exists is taken; a directory is named as one (pipes pass, as for read_lines).
  for (const std::string* path : {&plain, &gz}) {
    if (!std::filesystem::exists(*path)) continue;
    expect_not_directory(*path);
    return *path;
  }
  throw std::runtime_error("corpus file not found: neither '" + plain + "' nor '" + gz + "' exists");
}

}  // namespace nmt
