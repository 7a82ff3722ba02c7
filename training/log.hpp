// log.hpp — nmt's logging: one call per message, tagged by subsystem.
//
//   log::info("data", "read {} pairs from '{}'", n, path);   // [12:00:01] [data] read ...
//
// Messages go to stderr (at or above the chosen level) and to every log file added
// with add_file (all levels, with dates), one line each: what a message quotes (a file
// name, a line of a corpus) is escaped as errors are (utf8::escape_for_message: control
// bytes and invalid UTF-8 as \xNN). A message whose news stderr shows another way
// (training's live progress line) is written to the files alone (Destination::files), so
// a log file holds every line whatever the terminal shows. spdlog does the work behind
// this header; nothing else in nmt includes spdlog.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace nmt::log {

enum class Level { debug, info, warn, error, off };
// Where a message goes: stderr (at its level) and every log file, or the files alone.
enum class Destination { everywhere, files };

void set_stderr_level(Level level);
// Parses "debug", "info", "warn", "error", "off"; throws std::invalid_argument.
Level parse_level(std::string_view name);
// Appends to `path` (created if missing). Throws std::runtime_error on failure.
void add_file(const std::string& path);
// Stops writing to the files added so far (flushing them).
void close_files();

void write(Level level, std::string_view subsystem, std::string_view message,
           Destination destination = Destination::everywhere);

template <class... Args>
void debug(std::string_view subsystem, fmt::format_string<Args...> format, Args&&... args) {
  write(Level::debug, subsystem, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void info(std::string_view subsystem, fmt::format_string<Args...> format, Args&&... args) {
  write(Level::info, subsystem, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void warn(std::string_view subsystem, fmt::format_string<Args...> format, Args&&... args) {
  write(Level::warn, subsystem, fmt::format(format, std::forward<Args>(args)...));
}
template <class... Args>
void error(std::string_view subsystem, fmt::format_string<Args...> format, Args&&... args) {
  write(Level::error, subsystem, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace nmt::log
