// file_kind.cpp — stat-based checks of input paths (see file_kind.hpp).
#include "data/file_kind.hpp"

#include <sys/stat.h>

#include <stdexcept>

namespace nmt {
namespace {

[[noreturn]] void throw_not_a_file(const std::string& path, mode_t mode) {
  throw std::runtime_error("cannot read '" + path + "': it is " + describe_file_kind(mode) +
                           ", not a regular file");
}

}  // namespace

const char* describe_file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

void expect_regular_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) throw_not_a_file(path, info.st_mode);
}

void expect_not_directory(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) throw_not_a_file(path, info.st_mode);
}

}  // namespace nmt
