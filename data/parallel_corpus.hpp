// parallel_corpus.hpp — reads sentence-aligned source/target text files.
//
// One sentence per line, UTF-8, plain or .gz. Line N of the source file translates
// line N of the target file, so a difference in line counts is always an error.
// Empty, invalid-UTF-8 and over-long lines are either skipped with a count or fail
// the read, as configured; every problem names the file and the line.
// Length limits in tokens belong to the batcher, which sees the tokenized text.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nmt {

enum class BadLinePolicy { skip, fail };

constexpr auto enum_names(BadLinePolicy) {
  return std::array<std::pair<BadLinePolicy, std::string_view>, 2>{
      {{BadLinePolicy::skip, "skip"}, {BadLinePolicy::fail, "fail"}}};
}

struct CorpusReadOptions {
  std::size_t max_line_bytes = 4096;  // a line longer than this is "over-long"
  BadLinePolicy on_bad_line = BadLinePolicy::skip;
};

struct ParallelCorpus {
  std::vector<std::string> source;  // (N) sentences
  std::vector<std::string> target;  // (N) sentences, aligned with source
  std::size_t size() const { return source.size(); }
};

// What reading a corpus found. `problems` holds the first few skipped lines
// ("file:line: reason") so a log can show examples without flooding.
struct CorpusReadReport {
  std::size_t pairs_read = 0;
  std::size_t skipped_empty = 0;
  std::size_t skipped_invalid_utf8 = 0;
  std::size_t skipped_too_long = 0;
  std::vector<std::string> problems;
  std::size_t skipped() const { return skipped_empty + skipped_invalid_utf8 + skipped_too_long; }
};

// Reads the aligned pair of files. Throws std::runtime_error naming file and line
// when the files cannot be read, their line counts differ, or (with
// BadLinePolicy::fail) a line is empty, invalid UTF-8 or over-long.
ParallelCorpus read_parallel_corpus(const std::string& source_path, const std::string& target_path,
                                    const CorpusReadOptions& options, CorpusReadReport* report);

// The file holding language `lang` of the corpus `prefix`: "prefix.lang" if it
// exists, else "prefix.lang.gz". Throws naming both candidates if neither exists, and
// naming the path when it is a directory.
std::string resolve_corpus_file(const std::string& prefix, const std::string& lang);

}  // namespace nmt
