// standard_output.hpp — checked writes to standard output.
//
// A write to stdout that fails (full disk, failing device) must not be lost silently.
// main() installs a buffer under std::cout that writes to descriptor 1 itself and keeps
// the first failure with its errno; flush_standard_output() throws after a failure, and
// close_standard_output() (called by main before it returns) flushes, closes and reports.
// A closed pipe is not such a failure: SIGPIPE keeps its default action, so the
// process ends quietly with status 141 before any of these checks can see EPIPE.
// A descriptor 0, 1 or 2 closed at start is reserved on /dev/null before anything is
// opened, so no file nmt opens becomes its stdout or stderr: a closed stdout makes
// every write fail (EBADF, reported as above), a closed stderr discards, a closed stdin
// reads as empty.
#pragma once

#include <string>

namespace nmt {

// Reserves closed standard descriptors (above), gives std::cout the checked buffer and
// SIGPIPE its default action (death, status 141), whatever the parent left. Call once,
// first thing in main, before any file is opened.
void install_checked_standard_output();

// Flushes std::cout; throws std::runtime_error naming standard output if any write failed.
void flush_standard_output();

// Flushes std::cout and closes stdout. Returns "" on success, else the error message.
std::string close_standard_output();

}  // namespace nmt
