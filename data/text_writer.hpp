// text_writer.hpp — writes files atomically (temporary file, then rename).
//
// A reader never sees a half-written file: the content goes to "PATH.tmp.PID",
// is flushed and fsynced, then renamed over PATH, and the directory is fsynced.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

// Streams a file into place: write() appends, patch() overwrites bytes already
// written, commit() makes it visible. Destroyed without commit(), it removes the
// temporary file and PATH is unchanged. Errors throw std::runtime_error naming the file.
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
  std::string path_, temporary_;
  int fd_ = -1;
};

// Throws std::runtime_error naming `path` on failure; PATH is then unchanged.
void write_file_atomically(const std::string& path, std::string_view content);

// One line per element, each terminated by '\n'.
void write_lines_atomically(const std::string& path, const std::vector<std::string>& lines);

}  // namespace nmt
