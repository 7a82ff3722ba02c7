// standard_output.cpp — checked writes, flush and close of stdout (see standard_output.hpp).
#include "app/standard_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <streambuf>

namespace nmt {
namespace {

bool stdout_closed_at_start = false;

std::string standard_output_error(int error) {
  std::string message = "cannot write to standard output";
  if (error != 0) message += std::string(": ") + std::strerror(error);
  if (error == EBADF && stdout_closed_at_start) message += " (it was closed when nmt started)";
  return message;
}

// A standard descriptor the parent left closed (`nmt ... >&-`) would be handed to the
// next file nmt opens, and what is meant for stdout or stderr would land in that file.
// Each closed one is opened on /dev/null first: stdin reads as empty, stderr discards
// (there is no one to tell), stdout read-only, so that every write to it fails (EBADF)
// and is reported like any failed write to standard output.
void reserve_standard_descriptors() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = ::open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);
    if (opened >= 0 && opened != fd) {  // the lowest free descriptor is `fd`: not expected
      ::dup2(opened, fd);
      ::close(opened);
    }
    if (fd == STDOUT_FILENO) stdout_closed_at_start = true;
  }
}

// std::cout's buffer: bytes go to file descriptor 1 with write(2), and the first failure
// is kept with its errno (stdio forgets it). Line-buffered at a terminal, as stdio is.
class CheckedOutputBuffer : public std::streambuf {
 public:
  CheckedOutputBuffer() : line_buffered_(::isatty(STDOUT_FILENO) == 1) { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    if (line_buffered_ && c == '\n' && !drain()) return traits_type::eof();
    return c;
  }

  std::streamsize xsputn(const char* data, std::streamsize size) override {
    for (std::streamsize done = 0; done < size;) {
      if (pptr() == epptr() && !drain()) return done;
      const std::streamsize n = std::min<std::streamsize>(size - done, epptr() - pptr());
      std::memcpy(pptr(), data + done, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      done += n;
    }
    if (line_buffered_ && std::memchr(data, '\n', static_cast<std::size_t>(size)) && !drain()) return 0;
    return size;
  }

  int sync() override { return drain() ? 0 : -1; }

 private:
  // Writes out what is buffered; false (and the errno kept) on failure. After a failure
  // nothing more is written: the output is already incomplete.
  bool drain() {
    const char* next = pbase();
    while (error_ == 0 && next < pptr()) {
      const ssize_t n = ::write(STDOUT_FILENO, next, static_cast<std::size_t>(pptr() - next));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? errno : EIO;
      else next += n;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return error_ == 0;
  }

  char buffer_[1 << 16];
  bool line_buffered_;
  int error_ = 0;
};

// Never destroyed: std::cout may be flushed at exit, after every static object is gone.
CheckedOutputBuffer* checked_buffer = nullptr;

int output_error() {
  if (checked_buffer && checked_buffer->error() != 0) return checked_buffer->error();
  return std::cout ? 0 : EIO;
}

}  // namespace

void install_checked_standard_output() {
  reserve_standard_descriptors();
  std::signal(SIGPIPE, SIG_DFL);
  if (!checked_buffer) checked_buffer = new CheckedOutputBuffer;
  std::cout.rdbuf(checked_buffer);
}

void flush_standard_output() {
  std::cout.flush();
  if (const int error = output_error()) throw std::runtime_error(standard_output_error(error));
}

std::string close_standard_output() {
  std::cout.flush();
  int error = output_error();
  // Anything a library printed through stdio, then the descriptor itself.
  if (std::fflush(stdout) != 0 && error == 0) error = errno;
  // A stdout closed from the start is /dev/null, read-only (reserve_standard_descriptors):
  // closing it succeeds, so it is an error only if something was written to it.
  if (std::fclose(stdout) != 0 && error == 0 && errno != EBADF) error = errno;
  return error == 0 ? std::string() : standard_output_error(error);
}

}  // namespace nmt
