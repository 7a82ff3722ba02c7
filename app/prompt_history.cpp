// prompt_history.cpp — the history file of prompt_history.hpp.
#include "app/prompt_history.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "data/file_kind.hpp"
#include "data/line_reader.hpp"
#include "data/text_writer.hpp"
#include "data/utf8.hpp"
#include "training/log.hpp"

namespace nmt {

std::string PromptHistory::default_path() {
  if (const char* chosen = std::getenv("NMT_HISTORY")) return chosen;
  const char* home = std::getenv("HOME");
  return home && *home ? std::string(home) + "/.nmt_history" : std::string();
}

PromptHistory::PromptHistory(std::string path) : path_(std::move(path)) {
  struct stat info {};
  if (path_.empty() || ::stat(path_.c_str(), &info) != 0) return;  // none yet: the first add creates it
  std::vector<std::string> lines;
  try {
    expect_regular_file(path_);  // before opening: a FIFO would block
    lines = read_lines(path_);
  } catch (const std::exception& e) {
    give_up(e.what());
    return;
  }
  const std::size_t first = lines.size() > kMaxEntries ? lines.size() - kMaxEntries : 0;
  for (std::size_t i = first; i < lines.size(); ++i)
    if (!lines[i].empty()) loaded_.push_back(utf8::repair(lines[i]));
  if (!loaded_.empty()) last_ = loaded_.back();
  if (first == 0) return;
  try {
    write_lines_atomically(path_, loaded_);
  } catch (const std::exception& e) {
    give_up(e.what());
  }
}

void PromptHistory::add(const std::string& line) {
  if (line.empty() || line == last_ || line.find_first_of("\r\n") != std::string::npos) return;
  last_ = line;
  if (path_.empty()) return;
  const std::string quoted = "'" + path_ + "'";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return give_up("cannot open " + quoted + " to append to it: " + std::strerror(errno));
  const std::string entry = line + "\n";
  const ssize_t written = ::write(fd, entry.data(), entry.size());
  const int write_error = errno;
  const bool closed = ::close(fd) == 0;
  if (written != static_cast<ssize_t>(entry.size()))
    return give_up("cannot append to " + quoted + ": " +
                   (written < 0 ? std::string(std::strerror(write_error)) : std::string("a short write")));
  if (!closed) give_up("cannot close " + quoted + ": " + std::strerror(errno));
}

void PromptHistory::give_up(const std::string& problem) {
  log::warn("translate", "history file: {}; this session keeps its history in memory only", problem);
  path_.clear();
}

}  // namespace nmt
