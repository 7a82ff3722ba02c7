// standard_output.cpp — checked flush and close of stdout (see standard_output.hpp).
#include "app/standard_output.hpp"

#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>

namespace nmt {
namespace {

std::string standard_output_error(int error) {
  std::string message = "cannot write to standard output";
  if (error != 0) message += std::string(": ") + std::strerror(error);
  return message;
}

}  // namespace

void keep_default_sigpipe() { std::signal(SIGPIPE, SIG_DFL); }

void flush_standard_output() {
  errno = 0;
  std::cout.flush();
  if (!std::cout || std::ferror(stdout)) throw std::runtime_error(standard_output_error(errno));
}

std::string close_standard_output() {
  errno = 0;
  std::cout.flush();
  const bool written = std::cout.good() && !std::ferror(stdout) && std::fflush(stdout) == 0;
  const int flush_error = errno;
  if (std::fclose(stdout) != 0 && written) return standard_output_error(errno);
  return written ? std::string() : standard_output_error(flush_error);
}

}  // namespace nmt
