// stop_signal.hpp — SIGINT/SIGTERM as a request to stop at the next safe point.
//
// While a StopSignalScope lives, the first SIGINT or SIGTERM only records itself; the
// training loop polls stop_signal() after each update, writes a checkpoint and
// returns. A second signal gets the default action (immediate exit), for an impatient
// Ctrl-C. The previous handlers come back when the scope ends.
#pragma once

#include <csignal>

namespace nmt {

class StopSignalScope {
 public:
  StopSignalScope();
  ~StopSignalScope();
  StopSignalScope(const StopSignalScope&) = delete;
  StopSignalScope& operator=(const StopSignalScope&) = delete;

 private:
  struct sigaction old_int_{}, old_term_{};
};

// The signal received (SIGINT or SIGTERM), or 0.
int stop_signal();

}  // namespace nmt
