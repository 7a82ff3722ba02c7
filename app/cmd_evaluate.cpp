// cmd_evaluate.cpp — `nmt evaluate`: BLEU, chrF and perplexity of a model on a test set,
// or sacreBLEU's BLEU and chrF of hypotheses from a file or standard input.
//
// With --model: translates --src with the configured search, timing it, and scores
// against the references; teacher-forced perplexity (against the first reference),
// sentences/s and target tokens/s follow the scores. Without: scores --hyp FILE, or
// standard input (--hyp -, or no --hyp when standard input is not a terminal), as
// `sacrebleu REF... < HYP` does. References: --ref FILE or bare arguments, one per
// reference file. BLEU and chrF are sacreBLEU 2.6.0's, with its --tokenize, -lc,
// --chrf-lowercase, -w, -b and --short, printed in its text form or (--json) its JSON
// form (app/sacrebleu_report.hpp); the model's figures come after the metrics' lines, or
// as a last JSON entry named "model". Invalid UTF-8 in hypotheses or references is
// repaired (U+FFFD) with a warning naming the file (or standard input) and line, as
// translate cleans its input; scores count the repair.
//
// Several -m models translate as an ensemble (app/model_flags.hpp). Its averaged
// log-probabilities are not a distribution (they do not sum to 1), so no perplexity of
// the ensemble is given: each model's own teacher-forced perplexity is, one line each
// ("perplexity = P (teacher-forced, model 2 of 2: 'B')"), and in the JSON a "models"
// list of {"path", "weight", "perplexity"} replaces "perplexity".
#include <boost/program_options.hpp>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/command_line.hpp"
#include "app/compute_settings.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"
#include "app/model_flags.hpp"
#include "app/sacrebleu_report.hpp"
#include "app/translator.hpp"
#include "data/line_reader.hpp"
#include "data/text_writer.hpp"
#include "data/utf8.hpp"
#include "formats/json_number.hpp"
#include "training/bleu.hpp"
#include "training/chrf.hpp"
#include "training/log.hpp"
#include "training/validation.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

constexpr int kPerplexityBatchTokens = 2000;  // target tokens per teacher-forced batch
constexpr const char* kStandardInput = "-";   // --hyp - reads standard input

// One model's teacher-forced perplexity, for an ensemble with its path and weight.
struct MemberPerplexity {
  std::string path;
  double weight = 1, perplexity = 0;
};

// What the model run adds to the scores.
struct ModelFigures {
  std::size_t sentences = 0, target_tokens = 0;
  std::vector<MemberPerplexity> perplexities;  // one per model
  double seconds = 0;
  int beam_size = 1;
};

// sacreBLEU's multi-letter short flags, which Boost would read as bundles of one-letter
// ones: each is replaced by its long form before parsing.
Arguments with_sacrebleu_spellings(const Arguments& arguments) {
  static const std::pair<std::string_view, std::string_view> kSpellings[] = {
      {"-lc", "--lowercase"}, {"-tok", "--tokenize"}, {"-sh", "--short"}};
  Arguments out;
  for (const std::string& argument : arguments) {
    std::string spelled = argument;
    for (const auto& [sacrebleu, long_form] : kSpellings)
      if (argument == sacrebleu) spelled = long_form;
    out.push_back(std::move(spelled));
  }
  return out;
}

// A text flag read as an enum, refused as the schema refuses values: "KEY = TEXT: ...".
template <class E>
E enum_flag(const std::string& flag, const std::string& text) {
  E value{};
  const std::string problem = parse_option_value(text, value);
  if (!problem.empty()) throw ConfigError("the command line: " + flag + " = " + text + ": " + problem);
  return value;
}

enum class Metric { bleu, chrf };
constexpr auto enum_names(Metric) {
  return std::array<std::pair<Metric, std::string_view>, 2>{{{Metric::bleu, "bleu"}, {Metric::chrf, "chrf"}}};
}

// The metrics asked for, in sacreBLEU's order (sorted by name: BLEU before chrF), each once.
std::set<Metric> chosen_metrics(const CommandLine& command_line) {
  if (!command_line.has("metrics")) return {Metric::bleu, Metric::chrf};
  std::set<Metric> metrics;
  for (const std::string& name : command_line.get<std::vector<std::string>>("metrics"))
    metrics.insert(enum_flag<Metric>("metrics", name));
  return metrics;
}

std::string describe(const std::string& path) { return path == kStandardInput ? "standard input" : "'" + path + "'"; }

void expect_same_length(const std::vector<std::string>& a, const std::string& a_path,
                        const std::vector<std::string>& b, const std::string& b_path) {
  if (a.size() != b.size())
    throw std::runtime_error(fmt::format("{} has {} lines but {} has {}; they must be line-aligned", describe(a_path),
                                         a.size(), describe(b_path), b.size()));
}

constexpr std::size_t kRepairWarnings = 10;  // lines named per file; the rest counted

// The lines of a file (or of standard input, for "-") to score, cleaned as translate
// cleans its input: each invalid UTF-8 sequence becomes U+FFFD, with a warning naming
// the file and the line; the scores count the repaired text.
std::vector<std::string> read_scored_lines(const std::string& path) {
  std::vector<std::string> lines;
  if (path == kStandardInput) {
    for (std::string line; read_stream_line(std::cin, line);) lines.push_back(line);
    if (std::cin.bad()) throw std::runtime_error("cannot read standard input");
  } else {
    lines = read_lines(path);
  }
  std::size_t repaired = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (utf8::is_valid(lines[i])) continue;
    if (++repaired <= kRepairWarnings)
      log::warn("evaluate", "{} line {}: invalid UTF-8 replaced by U+FFFD", describe(path), i + 1);
    lines[i] = utf8::repair(lines[i]);
  }
  if (repaired > kRepairWarnings)
    log::warn("evaluate", "{}: {} more lines with invalid UTF-8 replaced by U+FFFD", describe(path),
              repaired - kRepairWarnings);
  return lines;
}

// Where the hypotheses come from without a model: --hyp FILE, --hyp -, or standard input
// when it is not a terminal.
std::string hypothesis_source(const CommandLine& command_line) {
  if (command_line.has("hyp")) return command_line.get<std::string>("hyp");
  if (::isatty(STDIN_FILENO) == 1)
    throw ConfigError(
        "the command line: give the hypotheses as --hyp FILE or on standard input (it is a terminal), or "
        "--model MODEL --src FILE to translate them");
  return kStandardInput;
}

ModelFigures translate_and_measure(const CommandLine& command_line, const SearchConfig& search,
                                   const std::vector<std::string>& sources, const std::vector<std::string>& references,
                                   std::vector<std::string>& hypotheses) {
  ModelFigures figures;
  const Translator translator(load_models(command_line), search);
  const auto start = std::chrono::steady_clock::now();
  hypotheses = translator.translate(sources, 1, &figures.target_tokens);
  figures.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  figures.sentences = hypotheses.size();
  figures.beam_size = search.beam_size;
  ParallelCorpus pairs{sources, references};
  const HeldOutSet set = make_held_out_set(pairs, translator.model().vocabularies);  // the models' tokenizers
  for (const EnsembleModel& m : translator.models())
    figures.perplexities.push_back(
        {m.name, m.weight,
         teacher_forced_perplexity(*m.model.network, m.model.parameters, set.pairs, kPerplexityBatchTokens)});
  return figures;
}

// The model's JSON entry: perplexity rounded to 4 decimals, seconds to 3, sentences/s to
// 2, target tokens/s to 1.
// An ensemble's entry lists its models ({"path", "weight", "perplexity"}) instead of
// one perplexity.
nlohmann::ordered_json model_entry(const ModelFigures& m) {
  nlohmann::ordered_json entry = {{"name", "model"}, {"sentences", m.sentences}};
  if (m.perplexities.size() == 1) {
    entry["perplexity"] = rounded("{:.4f}", m.perplexities.front().perplexity);
  } else {
    nlohmann::ordered_json models = nlohmann::ordered_json::array();
    for (const MemberPerplexity& p : m.perplexities)
      models.push_back({{"path", p.path}, {"weight", p.weight}, {"perplexity", rounded("{:.4f}", p.perplexity)}});
    entry["models"] = std::move(models);
  }
  entry["seconds"] = rounded("{:.3f}", m.seconds);
  entry["sentences_per_s"] = rounded("{:.2f}", static_cast<double>(m.sentences) / m.seconds);
  entry["target_tokens_per_s"] = rounded("{:.1f}", static_cast<double>(m.target_tokens) / m.seconds);
  entry["beam_size"] = m.beam_size;
  return entry;
}

std::string perplexity_lines(const std::vector<MemberPerplexity>& perplexities) {
  if (perplexities.size() == 1) return fmt::format("perplexity = {:.3f} (teacher-forced)\n", perplexities.front().perplexity);
  std::string lines;
  for (std::size_t i = 0; i < perplexities.size(); ++i)
    lines += fmt::format("perplexity = {:.3f} (teacher-forced, model {} of {}: '{}')\n", perplexities[i].perplexity,
                         i + 1, perplexities.size(), perplexities[i].path);
  return lines;
}

std::string model_lines(const ModelFigures& m) {
  return perplexity_lines(m.perplexities) +
         fmt::format("speed: {} sentences in {:.2f} s = {:.1f} sentences/s, {:.0f} target tokens/s ({})\n",
                     m.sentences, m.seconds, static_cast<double>(m.sentences) / m.seconds,
                     static_cast<double>(m.target_tokens) / m.seconds,
                     m.beam_size > 1 ? fmt::format("beam {}", m.beam_size) : std::string("greedy"));
}

}  // namespace

int run_evaluate(const Arguments& arguments) {
  CommandLine command_line(
      "evaluate",
      "nmt evaluate -m MODEL [-m MODEL ...] --src FILE REF... [options] | nmt evaluate [--hyp FILE] REF... [options] < HYP",
      "Translates a test set with a model and scores it (sacreBLEU 2.6.0's BLEU and chrF,\n"
      "teacher-forced perplexity, speed), or scores hypotheses from a file or standard input\n"
      "as `sacrebleu REF... < HYP` does. REF is a reference file (or --ref REF), one per\n"
      "reference; files may be plain or .gz. sacreBLEU's -lc, -tok and -sh are understood.\n"
      "Several -m MODEL: an ensemble (log-probabilities averaged at each step, --weights W...\n"
      "per model), with each model's perplexity.");
  SearchConfig search;
  add_model_flags(command_line, false);
  command_line.add_flags()
      ("src", po::value<std::string>()->value_name("FILE"), "source side of the test set (with --model)")
      ("ref", po::value<std::vector<std::string>>()->composing()->value_name("FILE"),
       "a reference file, line-aligned with the hypotheses; once per reference (also bare arguments)")
      ("hyp", po::value<std::string>()->value_name("FILE"),
       "score this hypothesis file (no model); - reads standard input, as no --hyp does in a pipe")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write the model's hypotheses here")
      ("metrics", po::value<std::vector<std::string>>()->multitoken()->composing()->value_name("NAME"),
       "bleu, chrf or both (the default; sacreBLEU's -m)")
      ("tokenize", po::value<std::string>()->default_value("13a")->value_name("TOK"),
       "BLEU's tokenizer: 13a, intl, none or char (sacreBLEU's -tok)")
      ("lowercase", "case-insensitive BLEU (sacreBLEU's -lc)")
      ("chrf-lowercase", "case-insensitive chrF")
      ("width,w", po::value<int>()->default_value(1)->value_name("N"), "decimals of the scores (sacreBLEU's -w)")
      ("score-only,b", "print the scores alone (sacreBLEU's -b)")
      ("short", "abbreviated signatures in the text form (sacreBLEU's -sh)")
      ("json", "print sacreBLEU's JSON (its -f json) instead of its text lines");
  command_line.add_positional("ref", -1);
  ComputeConfig compute;
  add_compute_options(command_line, "compute", compute);
  add_translation_search_options(command_line.schema(), search);
  RunConfig training_config;  // a training config's other sections: checked, then unused
  add_training_sections_file_only(command_line.schema(), training_config);
  if (!command_line.parse(with_sacrebleu_spellings(arguments))) return 0;
  apply_compute(compute, "compute", command_line.schema());  // without a model too: refused alike
  if (command_line.has("output")) resolve_output_path(command_line.get<std::string>("output"));  // refuse early
  const bool with_model = command_line.has("model");
  if (with_model && command_line.has("hyp"))
    throw ConfigError("the command line: give either --model (translate and score) or --hyp (score a file)");
  if (!with_model && command_line.has("src")) throw ConfigError("the command line: --src needs --model");
  if (!with_model && command_line.has("weights")) throw ConfigError("the command line: --weights needs --model");
  if (with_model && !command_line.has("src"))
    throw ConfigError("the command line: --src FILE is required with --model");
  if (!command_line.has("ref"))
    throw ConfigError("the command line: give the references: a file per reference (REF or --ref REF)");
  const std::set<Metric> metrics = chosen_metrics(command_line);
  BleuOptions bleu_options;
  bleu_options.tokenizer = enum_flag<BleuTokenizer>("tokenize", command_line.get<std::string>("tokenize"));
  bleu_options.lowercase = command_line.has("lowercase");
  ChrfOptions chrf_options;
  chrf_options.lowercase = command_line.has("chrf-lowercase");
  ReportStyle style;
  style.width = command_line.get<int>("width");
  if (style.width < 0 || style.width > 17)
    throw ConfigError(fmt::format("the command line: width = {}: must be from 0 to 17", style.width));
  style.score_only = command_line.has("score-only");
  style.short_signature = command_line.has("short");

  const std::vector<std::string> reference_paths = command_line.get<std::vector<std::string>>("ref");
  const std::string hypothesis_path = with_model ? command_line.get<std::string>("src") : hypothesis_source(command_line);
  const std::vector<std::string> inputs =
      with_model ? read_lines(hypothesis_path) : read_scored_lines(hypothesis_path);  // sources or hypotheses
  ReferenceSets references;
  for (const std::string& path : reference_paths) {
    references.push_back(read_scored_lines(path));
    expect_same_length(inputs, hypothesis_path, references.back(), path);
  }

  std::vector<std::string> hypotheses;
  ModelFigures figures;
  if (with_model) {
    figures = translate_and_measure(command_line, search, inputs, references.front(), hypotheses);
    if (command_line.has("output")) write_lines_atomically(command_line.get<std::string>("output"), hypotheses);
  } else {
    hypotheses = inputs;
  }

  std::vector<MetricReport> reports;
  if (metrics.count(Metric::bleu)) {
    const BleuScore bleu = corpus_bleu(hypotheses, references, bleu_options);
    reports.push_back({"BLEU", bleu.score, bleu_signature(references.size(), bleu_options), bleu.verbose()});
  }
  if (metrics.count(Metric::chrf))
    reports.push_back({"chrF2", corpus_chrf(hypotheses, references, chrf_options),
                       chrf_signature(references.size(), chrf_options), ""});

  const bool with_figures = with_model && !style.score_only;
  if (command_line.has("json")) {
    if (style.score_only) {
      std::cout << sacrebleu_json_scores(reports, style.width);
    } else {
      std::vector<nlohmann::ordered_json> entries;
      for (const MetricReport& report : reports) entries.push_back(sacrebleu_json_entry(report, style.width));
      if (with_figures) entries.push_back(model_entry(figures));
      std::cout << sacrebleu_json(entries);
    }
  } else {
    std::cout << sacrebleu_text(reports, style);
    if (with_figures) std::cout << model_lines(figures);
  }
  return 0;
}

}  // namespace nmt
