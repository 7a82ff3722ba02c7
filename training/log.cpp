// log.cpp — spdlog behind nmt's logging header: one logger, subsystem in the message.
#include "training/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <stdexcept>

#include "data/utf8.hpp"

namespace nmt::log {
namespace {

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
    case Level::off: break;
  }
  return spdlog::level::off;
}

// The logger and its sinks: stderr always, files as added; and a logger of the files alone.
struct Sinks {
  std::shared_ptr<spdlog::sinks::stderr_sink_mt> terminal;
  std::shared_ptr<spdlog::sinks::dist_sink_mt> files;
  std::shared_ptr<spdlog::logger> logger, file_logger;

  Sinks()
      : terminal(std::make_shared<spdlog::sinks::stderr_sink_mt>()),
        files(std::make_shared<spdlog::sinks::dist_sink_mt>()) {
    terminal->set_pattern("[%H:%M:%S] %v");
    terminal->set_level(spdlog::level::info);
    files->set_pattern("[%Y-%m-%d %H:%M:%S.%e] %v");
    files->set_level(spdlog::level::debug);
    logger = std::make_shared<spdlog::logger>("nmt", spdlog::sinks_init_list{terminal, files});
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::info);
    file_logger = std::make_shared<spdlog::logger>("nmt-files", files);
    file_logger->set_level(spdlog::level::debug);
    file_logger->flush_on(spdlog::level::info);
  }
};

Sinks& sinks() {
  static Sinks instance;
  return instance;
}

}  // namespace

void set_stderr_level(Level level) { sinks().terminal->set_level(to_spdlog(level)); }

Level parse_level(std::string_view name) {
  if (name == "debug") return Level::debug;
  if (name == "info") return Level::info;
  if (name == "warn" || name == "warning") return Level::warn;
  if (name == "error") return Level::error;
  if (name == "off") return Level::off;
  throw std::invalid_argument("log level must be one of debug, info, warn, error, off (got '" +
                              std::string(name) + "')");
}

void add_file(const std::string& path) {
  try {
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, /*truncate=*/false);
    file->set_pattern("[%Y-%m-%d %H:%M:%S.%e] %v");
    sinks().files->add_sink(file);
  } catch (const spdlog::spdlog_ex& e) {
    throw std::runtime_error("cannot open log file '" + path + "': " + e.what());
  }
}

void close_files() {
  sinks().files->flush();
  sinks().files->set_sinks({});
}

void write(Level level, std::string_view subsystem, std::string_view message, Destination destination) {
  std::string_view severity;
  if (level == Level::warn) severity = "warning: ";
  if (level == Level::error) severity = "error: ";
  // A message quotes file names and lines: escaped as error messages are, so no control
  // byte or invalid UTF-8 reaches the terminal or the log file raw.
  const auto& logger = destination == Destination::files ? sinks().file_logger : sinks().logger;
  logger->log(to_spdlog(level), "[{}] {}{}", subsystem, severity, utf8::escape_for_message(message));
}

}  // namespace nmt::log
