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
  bool colour = false;        // 256-colour heatmap cells (a terminal that shows them)
  bool show_attention = false;
  std::string model_name;     // for the greeting
};

// Reads lines from `in` until :quit or end of input; writes prompts, translations and
// messages to `out`.
void run_interactive(Translator& translator, std::istream& in, std::ostream& out, InteractiveOptions options);

}  // namespace nmt
