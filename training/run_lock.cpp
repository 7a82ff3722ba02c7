// run_lock.cpp — the flock on RUN_DIR/.lock (see run_lock.hpp).
#include "training/run_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <string>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include "data/text_writer.hpp"
#include "formats/checkpoint_file.hpp"

namespace nmt {
namespace {

// The process id the holder wrote into the lock file, or "" if none can be read.
std::string holder_of(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

RunDirectoryLock::RunDirectoryLock(const std::string& run_dir) : run_dir_(run_dir) {
  const std::string path = run_dir + "/.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot open the lock file '" + path + "': " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = holder_of(fd_);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw std::runtime_error("run directory '" + run_dir + "' is in use by another nmt train" +
                               (holder.empty() ? std::string() : " (process " + holder + ")") +
                               "; wait for it to end, or choose another train.run_dir");
    throw std::runtime_error("cannot lock '" + path + "': " + std::strerror(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("cannot write the lock file '" + path + "': " + std::strerror(error));
  }
}

RunDirectoryLock::~RunDirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

std::vector<std::string> RunDirectoryLock::remove_stale_temporaries() const {
  // What nmt train writes through data/text_writer in RUN_DIR (cmd_train, trainer,
  // metrics_log); train.log and .lock are appended or locked in place, never replaced.
  static const std::array<const char*, 8> kRunFiles = {"config.ini", "source.model", "target.model", "metrics.jsonl",
                                                       "curve.svg",  "model.nmt",    "dev.hyp",      "test.hyp"};
  std::vector<std::string> removed = nmt::remove_stale_temporaries(run_dir_, [](const std::string& name) {
    return std::find(kRunFiles.begin(), kRunFiles.end(), name) != kRunFiles.end();
  });
  const std::vector<std::string> checkpoints =
      nmt::remove_stale_temporaries(run_dir_ + "/checkpoints", [](const std::string& name) { return is_checkpoint_name(name); });
  removed.insert(removed.end(), checkpoints.begin(), checkpoints.end());
  return removed;
}

}  // namespace nmt
