// interactive.hpp — `nmt translate` at a terminal: a prompt, each line translated as it
// is typed, and commands that change the search or show the attention.
//
//   :help               the commands
//   :beam N             beam width (1 = greedy)
//   :nbest K            show the K best translations with their scores
//   :alpha A            length penalty (score / length^A)
//   :attention [on|off] draw the attention heatmap under every translation (no argument: toggle)
//   :show               draw the last translation's attention now
//   :svg FILE           write the last translation's attention as an SVG file
//   :quit, :q, Ctrl-D   leave
#pragma once

#include <iosfwd>
#include <string>

#include "app/translator.hpp"

namespace nmt {

struct InteractiveOptions {
  bool show_attention = false;
  std::string model_name;     // for the greeting
};

// Reads lines from `in` until :quit or end of input; writes prompts, translations and
// messages to `out`. A command's value is read and checked as the flag's is
// (parse_option_value, search_problem), with the flag's message. `out` is flushed before
// each line is read; a failed write ends the session with std::runtime_error (for
// std::cout that of flush_standard_output, naming standard output and the reason).
void run_interactive(Translator& translator, std::istream& in, std::ostream& out, InteractiveOptions options);

}  // namespace nmt
