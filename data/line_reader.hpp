// line_reader.hpp — reads a text file line by line, plain or gzip-compressed.
//
// zlib's gz* functions read uncompressed files transparently, so one reader serves
// both. Line endings "\n" and "\r\n" are stripped; a UTF-8 byte-order mark at the
// start of the file is dropped. Content is not validated here (see parallel_corpus).
#pragma once

#include <cstddef>
#include <memory>
#include <iosfwd>
#include <string>
#include <vector>

namespace nmt {

class LineReader {
 public:
  // Throws std::runtime_error naming `path` if it cannot be opened.
  explicit LineReader(std::string path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Reads the next line into `line`; false at end of file. Throws on a read error
  // (e.g. a corrupt .gz), naming the file and the line.
  bool next(std::string& line);

  // 1-based number of the line last returned by next().
  std::size_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  bool fill_buffer();

  std::string path_;
  struct GzFile;
  std::unique_ptr<GzFile> file_;
  std::vector<char> buffer_;
  std::size_t buffer_pos_ = 0;
  std::size_t buffer_end_ = 0;
  bool eof_ = false;
  std::size_t line_number_ = 0;
};

// All lines of a file (plain or .gz).
std::vector<std::string> read_lines(const std::string& path);

// The next line of `in` (stdin, a terminal) without its newline or a CR before it.
bool read_stream_line(std::istream& in, std::string& line);

}  // namespace nmt
