// stop_signal.cpp — records the first stop signal; async-signal-safe.
#include "training/stop_signal.hpp"

#include <atomic>

namespace nmt {
namespace {

std::atomic<int> received{0};

extern "C" void record_stop_signal(int signal) {
  received.store(signal);
  std::signal(signal, SIG_DFL);  // a second one stops the process at once
}

}  // namespace

StopSignalScope::StopSignalScope() {
  received.store(0);
  struct sigaction action {};
  action.sa_handler = record_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

StopSignalScope::~StopSignalScope() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

int stop_signal() { return received.load(); }

}  // namespace nmt
