// line_editor.hpp — the prompt's lines at a terminal, read with libedit (BSD-licensed).
//
// Keys are libedit's emacs bindings: Left, Right, Home, End (Ctrl-A, Ctrl-E), Backspace,
// Delete, Ctrl-K, Ctrl-U, Ctrl-W, Alt-B/F; Up and Down walk the history, which
// prompt_history.hpp keeps in a file. Ctrl-C clears the line being typed ("^C" is shown)
// and gives a fresh prompt; Ctrl-D on an empty line ends the input. A Ctrl-C while a line
// is being translated is ignored: the translation is finished and shown, and what was
// typed ahead is dropped. Lines are read as UTF-8 whatever the locale (LC_CTYPE is set to
// a UTF-8 locale while the editor lives, then restored).
//
// Only one LineEditor may exist at a time: it owns the process's SIGINT and SIGWINCH
// handlers while it lives and gives back the ones it found.
#pragma once

#include <memory>
#include <string>

#include "app/interactive.hpp"
#include "app/prompt_history.hpp"

namespace nmt {

class LineEditor : public PromptInput {
 public:
  // Edits standard input and output, which must be terminals. Throws std::runtime_error
  // when no UTF-8 locale exists or libedit cannot start on the terminal.
  explicit LineEditor(PromptHistory history_file);
  ~LineEditor() override;
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Shows `prompt` and reads one edited line; a non-empty line enters the history.
  // False at Ctrl-D on an empty line or the end of input.
  bool read_line(const std::string& prompt, std::string& line) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace nmt
