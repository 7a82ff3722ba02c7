// cmd_evaluate.cpp — `nmt evaluate`: BLEU, chrF and perplexity of a model on a test set,
// or of an existing hypothesis file.
//
// With --model: translates --src with the configured
// search, timing it, and scores against --ref: BLEU and chrF exactly as sacreBLEU 2.x
// scores by default (signatures printed), teacher-forced perplexity, sentences/s and
// target tokens/s. With --hyp: scores the file against --ref. --json prints one JSON
// object instead of the table. Invalid UTF-8 in --hyp or --ref is repaired (U+FFFD) with a
// warning naming the file and line, as translate cleans its input; scores count the repair.
#include <boost/program_options.hpp>

#include <chrono>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/compute_settings.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"
#include "app/translator.hpp"
#include "data/line_reader.hpp"
#include "data/text_writer.hpp"
#include "data/utf8.hpp"
#include "model/dnnl_backend.hpp"
#include "formats/json_number.hpp"
#include "training/bleu.hpp"
#include "training/chrf.hpp"
#include "training/log.hpp"
#include "training/validation.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

constexpr int kPerplexityBatchTokens = 2000;  // target tokens per teacher-forced batch

struct Evaluation {
  BleuScore bleu;
  double chrf = 0;
  std::size_t sentences = 0;
  // With a model:
  bool translated = false;
  double perplexity = 0, seconds = 0;
  std::size_t target_tokens = 0;
  int beam_size = 1;
};

void print_table(const Evaluation& e, std::ostream& out) {
  out << fmt::format("BLEU  = {:.2f}  {}  {}\n", e.bleu.score, e.bleu.verbose(), bleu_signature());
  out << fmt::format("chrF2 = {:.2f}  {}\n", e.chrf, chrf_signature());
  if (!e.translated) return;
  out << fmt::format("perplexity = {:.3f} (teacher-forced)\n", e.perplexity);
  out << fmt::format("speed: {} sentences in {:.2f} s = {:.1f} sentences/s, {:.0f} target tokens/s ({})\n",
                     e.sentences, e.seconds, static_cast<double>(e.sentences) / e.seconds,
                     static_cast<double>(e.target_tokens) / e.seconds,
                     e.beam_size > 1 ? fmt::format("beam {}", e.beam_size) : std::string("greedy"));
}

// One JSON object: BLEU, chrF and perplexity rounded to 4 decimals, seconds to 3,
// sentences/s to 2, target tokens/s to 1.
void print_json(const Evaluation& e, std::ostream& out) {
  nlohmann::ordered_json json = {{"bleu", rounded("{:.4f}", e.bleu.score)},
                                 {"bleu_signature", bleu_signature()},
                                 {"bleu_verbose", e.bleu.verbose()},
                                 {"chrf", rounded("{:.4f}", e.chrf)},
                                 {"chrf_signature", chrf_signature()},
                                 {"sentences", e.sentences}};
  if (e.translated) {
    json["perplexity"] = rounded("{:.4f}", e.perplexity);
    json["seconds"] = rounded("{:.3f}", e.seconds);
    json["sentences_per_s"] = rounded("{:.2f}", static_cast<double>(e.sentences) / e.seconds);
    json["target_tokens_per_s"] = rounded("{:.1f}", static_cast<double>(e.target_tokens) / e.seconds);
    json["beam_size"] = e.beam_size;
  }
  out << json.dump() << "\n";
}

void expect_same_length(const std::vector<std::string>& a, const std::string& a_path,
                        const std::vector<std::string>& b, const std::string& b_path) {
  if (a.size() != b.size())
    throw std::runtime_error(fmt::format("'{}' has {} lines but '{}' has {}; they must be line-aligned", a_path,
                                         a.size(), b_path, b.size()));
}

constexpr std::size_t kRepairWarnings = 10;  // lines named per file; the rest counted

// The lines of a file to score, cleaned as translate cleans its input: each invalid UTF-8
// sequence becomes U+FFFD, with a warning naming the file and the line; the scores count
// the repaired text.
std::vector<std::string> read_scored_lines(const std::string& path) {
  std::vector<std::string> lines = read_lines(path);
  std::size_t repaired = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (utf8::is_valid(lines[i])) continue;
    if (++repaired <= kRepairWarnings)
      log::warn("evaluate", "'{}' line {}: invalid UTF-8 replaced by U+FFFD", path, i + 1);
    lines[i] = utf8::repair(lines[i]);
  }
  if (repaired > kRepairWarnings)
    log::warn("evaluate", "'{}': {} more lines with invalid UTF-8 replaced by U+FFFD", path,
              repaired - kRepairWarnings);
  return lines;
}

}  // namespace

int run_evaluate(const Arguments& arguments) {
  CommandLine command_line(
      "evaluate", "nmt evaluate -m MODEL --src FILE --ref FILE [options] | nmt evaluate --hyp FILE --ref FILE",
      "Translates a test set with a model and scores it (sacreBLEU-compatible BLEU and chrF,\n"
      "teacher-forced perplexity, speed), or scores an existing hypothesis file. Files may be\n"
      "plain or .gz.");
  SearchConfig search;
  command_line.add_flags()
      ("model,m", po::value<std::string>()->value_name("MODEL"), "model file")
      ("src", po::value<std::string>()->value_name("FILE"), "source side of the test set")
      ("ref", po::value<std::string>()->value_name("FILE"), "reference translations")
      ("hyp", po::value<std::string>()->value_name("FILE"), "score this hypothesis file (no model)")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write the model's hypotheses here")
      ("json", "print the results as one JSON object");
  ComputeConfig compute;
  add_compute_options(command_line, "compute", compute);
  add_search_options(command_line.schema(), search);
  RunConfig training_config;  // a training config's other sections: checked, then unused
  add_training_sections_file_only(command_line.schema(), training_config);
  if (!command_line.parse(arguments)) return 0;
  apply_compute(compute, "compute", command_line.schema());  // with --hyp too: refused alike
  if (command_line.has("output")) resolve_output_path(command_line.get<std::string>("output"));  // refuse early
  if (command_line.has("hyp") == command_line.has("model"))
    throw ConfigError("the command line: give either --model (translate and score) or --hyp (score a file)");

  const std::string src_path = command_line.has("src") ? command_line.get<std::string>("src") : "";
  if (!command_line.has("ref")) throw ConfigError("the command line: --ref FILE is required");
  const std::string ref_path = command_line.get<std::string>("ref");
  const std::vector<std::string> references = read_scored_lines(ref_path);

  Evaluation e;
  std::vector<std::string> hypotheses;
  if (command_line.has("hyp")) {
    const std::string hyp_path = command_line.get<std::string>("hyp");
    hypotheses = read_scored_lines(hyp_path);
    expect_same_length(hypotheses, hyp_path, references, ref_path);
  } else {
    if (src_path.empty()) throw ConfigError("the command line: --src FILE is required with --model");
    const std::vector<std::string> sources = read_lines(src_path);
    expect_same_length(sources, src_path, references, ref_path);
    const Translator translator(load_model_file(command_line.get<std::string>("model")), search);
    const auto start = std::chrono::steady_clock::now();
    hypotheses = translator.translate(sources, 1, &e.target_tokens);
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    e.translated = true;
    e.beam_size = search.beam_size;
    ParallelCorpus pairs{sources, references};
    const HeldOutSet set = make_held_out_set(pairs, translator.model().vocabularies);
    e.perplexity = teacher_forced_perplexity(*translator.model().network, translator.model().parameters, set.pairs,
                                             kPerplexityBatchTokens);
    if (command_line.has("output")) write_lines_atomically(command_line.get<std::string>("output"), hypotheses);
  }
  e.sentences = hypotheses.size();
  e.bleu = corpus_bleu(hypotheses, references);
  e.chrf = corpus_chrf(hypotheses, references);
  if (command_line.has("json")) print_json(e, std::cout);
  else print_table(e, std::cout);
  return 0;
}

}  // namespace nmt
