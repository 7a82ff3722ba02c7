// progress.hpp — the live status line of a long job on a terminal.
//
// On a terminal, show() redraws one line in place (at most a few times a second);
// clear() erases it so a log message can be printed, and the next show() redraws it.
// When stderr is not a terminal, nothing is drawn: the caller logs plain lines instead.
#pragma once

#include <chrono>
#include <string>

namespace nmt {

class ProgressLine {
 public:
  ProgressLine();  // decides from isatty(stderr)
  explicit ProgressLine(bool terminal) : terminal_(terminal) {}
  ~ProgressLine() { clear(); }

  bool on_terminal() const { return terminal_; }
  // Redraws with `text` unless the last redraw was under 0.25 s ago (force: always).
  void show(const std::string& text, bool force = false);
  void clear();

 private:
  bool terminal_;
  bool visible_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// "1:02:03" or "4:05".
std::string format_duration(double seconds);

}  // namespace nmt
