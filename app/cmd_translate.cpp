// cmd_translate.cpp — `nmt translate`: a model's translations of lines of text.
//
// Three ways in:
// - at a terminal (stdin is a tty, or --interactive): a prompt; each line is translated
//   as it is typed; :help lists commands (beam, n-best, attention heatmap, SVG export).
//   With stdin and stdout both terminals the line editor reads the lines (editing keys,
//   history, Ctrl-C clears the line: line_editor.hpp), else the plain line reader;
// - from a pipe: each line is translated and written (and flushed) as soon as it is
//   read, so nmt works as a filter in a shell pipeline;
// - from --input FILE (plain or .gz): lines are translated in length-sorted batches,
//   with a progress line on stderr when stderr is a terminal.
// Output lines always match input lines one to one, in order (an empty line gives an
// empty line); --output is written atomically. With --nbest K, each input line gives up
// to K lines "INDEX ||| TRANSLATION ||| FEATURES ||| SCORE" (INDEX from 0, best first,
// distinct translations; nbest_line), the format of Moses and Marian n-best lists.
// Several -m models translate as an ensemble (app/model_flags.hpp): the LogProb feature
// is then the weighted mean of the members' log-probabilities.
#include <boost/program_options.hpp>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "app/command_line.hpp"
#include "app/compute_settings.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"
#include "app/interactive.hpp"
#include "app/line_editor.hpp"
#include "app/model_flags.hpp"
#include "app/standard_output.hpp"
#include "app/translator.hpp"
#include "data/line_reader.hpp"
#include "data/text_writer.hpp"
#include "model/dnnl_backend.hpp"
#include "training/log.hpp"
#include "training/progress.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

constexpr std::size_t kProgressChunk = 512;  // lines per batch of work between progress updates

// One n-best line in the Moses/Marian format, "INDEX ||| TRANSLATION ||| FEATURES ||| SCORE":
// the features are the model's log-probability and the length penalty, named; SCORE is
// their quotient, what ranks the list.
std::string nbest_line(std::size_t index, const Candidate& c) {
  return fmt::format("{} ||| {} ||| LogProb= {:.6f} LengthPenalty= {:.6f} ||| {:.6f}", index, c.text,
                     c.log_probability, c.length_penalty, c.score);
}

// The output lines of one translated input line: the translation, or its n-best list.
void append_output(const Translation& t, std::size_t index, int nbest, std::vector<std::string>& out) {
  if (nbest <= 1) {
    out.push_back(t.nbest.front().text);
    return;
  }
  for (const Candidate& c : t.nbest) out.push_back(nbest_line(index, c));
}

// Pipe mode: each line's output goes to stdout, flushed (and checked) before the next is read.
void translate_stream(const Translator& translator, std::istream& in) {
  std::string line;
  std::vector<std::string> lines;
  for (std::size_t number = 1; read_stream_line(in, line); ++number) {
    lines.clear();
    append_output(translator.translate_nbest({line}, number, false).front(), number - 1, translator.search().nbest,
                  lines);
    for (const auto& l : lines) std::cout << l << '\n';
    flush_standard_output();
  }
}

std::vector<std::string> translate_all(const Translator& translator, const std::vector<std::string>& lines) {
  ProgressLine progress;
  const auto start = std::chrono::steady_clock::now();
  const std::size_t chunk = progress.on_terminal() ? kProgressChunk : lines.size();
  std::vector<std::string> out;
  for (std::size_t begin = 0; begin < lines.size(); begin += chunk) {
    const std::size_t end = std::min(lines.size(), begin + chunk);
    const std::vector<std::string> part(lines.begin() + static_cast<std::ptrdiff_t>(begin),
                                        lines.begin() + static_cast<std::ptrdiff_t>(end));
    const auto translations = translator.translate_nbest(part, begin + 1, false);
    for (std::size_t i = 0; i < translations.size(); ++i)
      append_output(translations[i], begin + i, translator.search().nbest, out);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = static_cast<double>(end) / std::max(seconds, 1e-9);
    progress.show(fmt::format("translated {}/{} lines ({:.0f}%) | {:.1f} sentences/s | ETA {}", end, lines.size(),
                              100.0 * static_cast<double>(end) / static_cast<double>(lines.size()), rate,
                              format_duration(static_cast<double>(lines.size() - end) / rate)),
                  true);
  }
  progress.clear();
  return out;
}

std::vector<std::string> read_stdin_lines() {
  std::vector<std::string> all;
  for (std::string line; read_stream_line(std::cin, line);) all.push_back(line);
  return all;
}

// The prompt: with the line editor when stdin and stdout are terminals (falling back,
// with a warning, to the plain reader if the editor cannot start), else plain lines.
void run_prompt(Translator& translator, InteractiveOptions options) {
  if (::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1) {
    std::unique_ptr<LineEditor> editor;
    try {
      editor = std::make_unique<LineEditor>(PromptHistory(PromptHistory::default_path()));
    } catch (const std::runtime_error& e) {
      log::warn("translate", "no line editing: {}", e.what());
    }
    if (editor) return run_interactive(translator, *editor, std::cout, std::move(options));
  }
  run_interactive(translator, std::cin, std::cout, std::move(options));
}

}  // namespace

int run_translate(const Arguments& arguments) {
  CommandLine command_line(
      "translate", "nmt translate -m MODEL [-m MODEL ...] [-i INPUT] [-o OUTPUT] [options]",
      "Translates one sentence per line. At a terminal: an interactive prompt (:help lists\n"
      "its commands, among them an attention heatmap) with line editing and a history in\n"
      "~/.nmt_history or $NMT_HISTORY (empty: none); Ctrl-C clears the line, Ctrl-D ends.\n"
      "From a pipe: a filter, one line out per line in, flushed. From --input FILE:\n"
      "length-sorted batches. Output lines stay aligned with input lines; an empty line\n"
      "gives an empty line. Beam search by default (--search.beam_size 1: greedy).\n"
      "--nbest K (at most the beam size) writes up to K distinct\n"
      "'INDEX ||| TRANSLATION ||| LogProb= L LengthPenalty= P ||| SCORE' lines per input\n"
      "line (SCORE = L / P). Several -m MODEL: an ensemble (the models' log-probabilities\n"
      "averaged at each step, --weights W... per model; they must share tokenizers).");
  SearchConfig search;
  add_model_flags(command_line, true);
  command_line.add_flags()
      ("input,i", po::value<std::string>()->value_name("FILE"), "read from FILE instead of stdin")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write to FILE instead of stdout")
      ("interactive", "the interactive prompt even when stdin is not a terminal")
      ("attention", "interactive: draw the attention heatmap under every translation");
  ComputeConfig compute;
  add_compute_options(command_line, "compute", compute);
  add_translation_search_options(command_line.schema(), search);
  RunConfig training_config;  // a training config's other sections: checked, then unused
  add_training_sections_file_only(command_line.schema(), training_config);
  command_line.schema().add_alias("nbest", "search.nbest");
  if (!command_line.parse(arguments)) return 0;
  apply_compute(compute, "compute", command_line.schema());
  if (command_line.has("output")) resolve_output_path(command_line.get<std::string>("output"));  // refuse early
  Translator translator(load_models(command_line), search);

  const bool from_stdin = !command_line.has("input");
  if (from_stdin && !command_line.has("output") &&
      (command_line.has("interactive") || ::isatty(STDIN_FILENO) == 1)) {
    InteractiveOptions options;
    options.show_attention = command_line.has("attention");
    options.model_name = translator.models_name();
    run_prompt(translator, options);
    return 0;
  }
  if (from_stdin && !command_line.has("output")) {
    translate_stream(translator, std::cin);
    return 0;
  }
  const std::vector<std::string> lines =
      from_stdin ? read_stdin_lines() : read_lines(command_line.get<std::string>("input"));
  const std::vector<std::string> translations = translate_all(translator, lines);
  if (command_line.has("output")) {
    write_lines_atomically(command_line.get<std::string>("output"), translations);
    log::info("translate", "wrote {} lines to '{}'", translations.size(), command_line.get<std::string>("output"));
  } else {
    for (const auto& t : translations) std::cout << t << '\n';
    flush_standard_output();
  }
  return 0;
}

}  // namespace nmt
