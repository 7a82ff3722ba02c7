// text_writer.cpp — atomic file writes with POSIX calls (see text_writer.hpp).
#include "data/text_writer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <utility>

#include "data/file_kind.hpp"

namespace nmt {
namespace {

[[noreturn]] void throw_io_error(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " '" + path + "': " + std::strerror(errno));
}

void fsync_directory_of(const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;  // best effort: some filesystems refuse directory fds
  ::fsync(fd);
  ::close(fd);
}

constexpr int kMaxSymlinks = 40;  // as the kernel's ELOOP limit

// PATH with its chain of symbolic links followed (the last one may dangle).
std::string follow_symlinks(const std::string& path) {
  std::filesystem::path current = path;
  for (int hop = 0; hop < kMaxSymlinks; ++hop) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return current.string();
    std::error_code error;
    const std::filesystem::path link = std::filesystem::read_symlink(current, error);
    if (error) throw std::runtime_error("cannot read the symbolic link '" + current.string() + "': " + error.message());
    current = link.is_absolute() ? link : current.parent_path() / link;
  }
  errno = ELOOP;
  throw_io_error("resolve", path);
}

}  // namespace

std::string resolve_output_path(const std::string& path) {
  const std::string target = follow_symlinks(path);
  struct stat info {};
  if (::stat(target.c_str(), &info) != 0) {
    if (errno == ENOENT) return target;
    throw_io_error("inspect", path);
  }
  if (!S_ISREG(info.st_mode))
    throw std::runtime_error("cannot write '" + path + "': it is " + describe_file_kind(info.st_mode) +
                             ", not a regular file");
  return target;
}

AtomicFileWriter::AtomicFileWriter(std::string path)
    : path_(std::move(path)),
      target_(resolve_output_path(path_)),
      temporary_(target_ + ".tmp." + std::to_string(::getpid())) {
  struct stat info {};
  if (::stat(target_.c_str(), &info) == 0) {
    replaces_file_ = true;
    mode_ = info.st_mode & 07777;
    owner_ = info.st_uid;
    group_ = info.st_gid;
  }
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_io_error("create the temporary file '" + temporary_ + "' for", path_);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(temporary_.c_str());
}

// Closes and removes the temporary file, then throws naming the destination (errno kept).
void AtomicFileWriter::fail(const std::string& what) {
  const int saved = errno;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(temporary_.c_str());
  errno = saved;
  throw_io_error(what, path_);
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(fd_, bytes + written, size - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
}

void AtomicFileWriter::patch(std::uint64_t offset, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  for (std::size_t written = 0; written < size;) {
    const ssize_t n = ::pwrite(fd_, bytes + written, size - written, static_cast<off_t>(offset + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // no progress: never loop forever
      fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
}

// The replaced file's owner (best effort: only root may give a file away) and mode.
void AtomicFileWriter::keep_permissions() {
  if (!replaces_file_) return;
  if (::fchown(fd_, owner_, group_) != 0) errno = 0;  // not ours to give away: the file stays ours
  if (::fchmod(fd_, mode_) != 0) fail("set the permissions of");
}

void AtomicFileWriter::commit() {
  keep_permissions();
  if (::fsync(fd_) != 0) fail("write");
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temporary_.c_str());
    errno = saved;
    throw_io_error("write", path_);
  }
  if (std::rename(temporary_.c_str(), target_.c_str()) != 0) fail("rename into place");
  fsync_directory_of(target_);
}

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFileWriter file(path);
  file.write(content.data(), content.size());
  file.commit();
}

void write_lines_atomically(const std::string& path, const std::vector<std::string>& lines) {
  std::string content;
  std::size_t total = 0;
  for (const auto& line : lines) total += line.size() + 1;
  content.reserve(total);
  for (const auto& line : lines) {
    content += line;
    content += '\n';
  }
  write_file_atomically(path, content);
}

namespace {

// The process id of "NAME.tmp.PID" as AtomicFileWriter names its temporary files, or 0.
pid_t temporary_owner(const std::string& file_name, std::string& name) {
  const std::size_t at = file_name.rfind(".tmp.");
  if (at == std::string::npos || at == 0) return 0;
  const std::string digits = file_name.substr(at + 5);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  const long pid = std::stol(digits);
  if (pid <= 0 || pid > std::numeric_limits<pid_t>::max()) return 0;
  name = file_name.substr(0, at);
  return static_cast<pid_t>(pid);
}

bool is_running(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

std::vector<std::string> remove_stale_temporaries(const std::string& directory,
                                                  const std::function<bool(const std::string& name)>& owned) {
  std::vector<std::string> removed;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    std::string name;
    const pid_t pid = temporary_owner(entry.path().filename().string(), name);
    if (pid == 0 || !owned(name) || is_running(pid)) continue;
    std::error_code ignored;
    if (entry.is_regular_file(ignored) && std::filesystem::remove(entry.path(), ignored))
      removed.push_back(entry.path().string());
  }
  std::sort(removed.begin(), removed.end());
  return removed;
}

}  // namespace nmt
