// line_reader.cpp — plain/gzip line reader on zlib (see line_reader.hpp).
#include "data/line_reader.hpp"

#include <istream>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "data/file_kind.hpp"

namespace nmt {

struct LineReader::GzFile {
  gzFile handle = nullptr;
  ~GzFile() {
    if (handle) gzclose(handle);
  }
};

LineReader::LineReader(std::string path)
    : path_(std::move(path)), file_(std::make_unique<GzFile>()), buffer_(1 << 16) {
  expect_not_directory(path_);
  errno = 0;
  file_->handle = gzopen(path_.c_str(), "rb");
  if (!file_->handle)
    throw std::runtime_error("cannot open '" + path_ + "': " +
                             (errno ? std::strerror(errno) : "out of memory"));
  gzbuffer(file_->handle, 1 << 17);
}

LineReader::~LineReader() = default;

bool LineReader::fill_buffer() {
  if (eof_) return false;
  const int n = gzread(file_->handle, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  if (n < 0) {
    int code = 0;
    const char* message = gzerror(file_->handle, &code);
    throw std::runtime_error("'" + path_ + "' line " + std::to_string(line_number_ + 1) +
                             ": read error: " + (message ? message : "unknown"));
  }
  if (n == 0) {
    int code = 0;
    const char* message = gzerror(file_->handle, &code);
    if (code != Z_OK && code != Z_STREAM_END)
      throw std::runtime_error("'" + path_ + "' line " + std::to_string(line_number_ + 1) +
                               ": read error: " + (message ? message : "unknown"));
    eof_ = true;
    return false;
  }
  buffer_pos_ = 0;
  buffer_end_ = static_cast<std::size_t>(n);
  return true;
}

bool LineReader::next(std::string& line) {
  line.clear();
  bool got_any = false;
  for (;;) {
    if (buffer_pos_ == buffer_end_ && !fill_buffer()) break;
    got_any = true;
    const char* begin = buffer_.data() + buffer_pos_;
    const char* end = buffer_.data() + buffer_end_;
    const char* newline = static_cast<const char*>(std::memchr(begin, '\n', end - begin));
    if (newline) {
      line.append(begin, newline);
      buffer_pos_ += static_cast<std::size_t>(newline - begin) + 1;
      break;
    }
    line.append(begin, end);
    buffer_pos_ = buffer_end_;
  }
  if (!got_any) return false;
  ++line_number_;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line_number_ == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  return true;
}

std::vector<std::string> read_lines(const std::string& path) {
  LineReader reader(path);
  std::vector<std::string> lines;
  std::string line;
  while (reader.next(line)) lines.push_back(line);
  return lines;
}

bool read_stream_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

}  // namespace nmt
