// text_writer.hpp — writes files atomically (temporary file, then rename).
//
// A reader never sees a half-written file: the content goes to "TARGET.tmp.PID" (TARGET
// is PATH with its symbolic links followed), is flushed and fsynced, then renamed over
// TARGET, and the directory is fsynced. Every write, the fsync and the close are
// checked: a failure (a full disk, a file-size limit) throws naming PATH, removes the
// temporary file and leaves TARGET as it was.
//
// What is at PATH decides: nothing or a regular file is replaced (an existing file keeps
// its permission bits, and its owner when possible); a symbolic link is followed, so its
// target is replaced in the target's directory and the link stays a link; a directory,
// FIFO, socket or device is refused, naming PATH and what it is, before anything is written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

// The file that writing PATH replaces: PATH with its symbolic links followed. Throws
// std::runtime_error naming PATH when it is a directory, FIFO, socket or device.
std::string resolve_output_path(const std::string& path);

// Streams a file into place: write() appends, patch() overwrites bytes already
// written, commit() makes it visible. Destroyed without commit(), it removes the
// temporary file and PATH is unchanged. Errors throw std::runtime_error naming PATH.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, std::size_t size);
  void patch(std::uint64_t offset, const void* data, std::size_t size);
  void commit();

 private:
  void fail(const std::string& what);
  void keep_permissions();
  std::string path_, target_, temporary_;
  int fd_ = -1;
  bool replaces_file_ = false;  // target_ exists: its mode, owner and group are kept
  mode_t mode_ = 0;
  uid_t owner_ = 0;
  gid_t group_ = 0;
};

// Throws std::runtime_error naming `path` on failure; PATH is then unchanged.
void write_file_atomically(const std::string& path, std::string_view content);

// One line per element, each terminated by '\n'.
void write_lines_atomically(const std::string& path, const std::vector<std::string>& lines);

// The temporary files that writers died before committing (a SIGKILL, a crash): removes
// each DIRECTORY/NAME.tmp.PID whose NAME `owned` accepts and whose PID is no running
// process, and returns their paths. A running process's temporary file is kept. Errors
// are ignored (a file that cannot be removed stays, and is not returned).
std::vector<std::string> remove_stale_temporaries(const std::string& directory,
                                                  const std::function<bool(const std::string& name)>& owned);

}  // namespace nmt
