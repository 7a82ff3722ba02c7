// standard_output.hpp — checked writes to standard output.
//
// A write to stdout that fails (full disk, failing device) must not be lost silently:
// flush_standard_output() throws after a failed flush, and close_standard_output()
// (called by main before it returns) flushes and closes stdout and reports failure.
// A closed pipe is not such a failure: SIGPIPE keeps its default action, so the
// process ends quietly with status 141 before any of these checks can see EPIPE.
#pragma once

#include <string>

namespace nmt {

// Restores SIGPIPE's default action (death, status 141), whatever the parent left.
void keep_default_sigpipe();

// Flushes std::cout; throws std::runtime_error naming standard output if it failed.
void flush_standard_output();

// Flushes std::cout and closes stdout. Returns "" on success, else the error message.
std::string close_standard_output();

}  // namespace nmt
