// text_writer.hpp — writes text files atomically (temporary file, then rename).
//
// A reader never sees a half-written file: the content goes to "PATH.tmp.PID",
// is flushed and fsynced, then renamed over PATH.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nmt {

// Throws std::runtime_error naming `path` on failure; PATH is then unchanged.
void write_file_atomically(const std::string& path, std::string_view content);

// One line per element, each terminated by '\n'.
void write_lines_atomically(const std::string& path, const std::vector<std::string>& lines);

}  // namespace nmt
