// file_kind.hpp — what is at a path, checked (with stat) before a file is opened.
//
// A directory or a FIFO given where a file is read must be reported, naming the path,
// instead of failing obscurely or blocking on open: these checks stat the path first.
#pragma once

#include <sys/types.h>

#include <string>

namespace nmt {

// "a directory", "a FIFO (named pipe)", "a socket", "a character device", "a block device".
const char* describe_file_kind(mode_t mode);

// Throws std::runtime_error naming `path` if it exists and is not a regular file (a
// missing path is left to the open that follows, to report as it does).
void expect_regular_file(const std::string& path);

// Throws std::runtime_error naming `path` if it is a directory (pipes and devices pass:
// a text input may be /dev/stdin or a process substitution).
void expect_not_directory(const std::string& path);

}  // namespace nmt
