// interactive.hpp — `nmt translate` at a terminal: a prompt, each line translated as it
// is typed, and commands that change the search or show the attention. The greeting
// names the model (an ensemble's models, "A + B"), its language pair ("en → de") and the
// search. An ensemble's heatmap shows its models' attention averaged with their weights
// (decoding/ensemble.hpp).
//
//   :help               the commands
//   :beam N             beam width (1 = greedy)
//   :nbest K            show the K best translations with their scores
//   :alpha A            length penalty (score / length^A)
//   :attention [on|off] draw the attention heatmap under every translation (no argument: toggle)
//   :show               draw the last translation's attention now
//   :svg FILE           write the last translation's attention as an SVG file
//   :quit, :q, Ctrl-D   leave
//
// The lines come from a PromptInput: at a terminal the line editor (line_editor.hpp:
// editing keys, history, Ctrl-C), elsewhere (--interactive in a pipe) the plain reader of
// a stream. Either way each line takes the same path: a ':' command, or a sentence
// translated as the filter translates it (invalid UTF-8 repaired, with a warning).
#pragma once

#include <iosfwd>
#include <string>

#include "app/translator.hpp"

namespace nmt {

// Where the prompt's lines come from.
class PromptInput {
 public:
  virtual ~PromptInput() = default;
  // Shows `prompt` and reads the next line, without its line break, into `line`; false
  // at the end of the input.
  virtual bool read_line(const std::string& prompt, std::string& line) = 0;
};

struct InteractiveOptions {
  bool show_attention = false;
  std::string model_name;     // for the greeting: the model's path, or an ensemble's "A + B"
};

// Reads lines from `in` until :quit or end of input; writes translations and messages to
// `out`. A command's value is read and checked as the flag's is (parse_option_value,
// search_problem), with the flag's message. `out` is flushed before each line is read; a
// failed write ends the session with std::runtime_error (for std::cout that of
// flush_standard_output, naming standard output and the reason).
void run_interactive(Translator& translator, PromptInput& in, std::ostream& out, InteractiveOptions options);

// The same with the plain reader: the prompt "> " written to `out`, lines read from `in`.
void run_interactive(Translator& translator, std::istream& in, std::ostream& out, InteractiveOptions options);

}  // namespace nmt
