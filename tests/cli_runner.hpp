// cli_runner.hpp — runs the `nmt` executable from a test (NMT_BINARY_PATH is set by
// tests/CMakeLists.txt; commands run in the project root).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace nmt {

struct Result {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a shell command from the project root, capturing stdout and stderr together.
inline Result run_command(const std::string& shell_command) {
  const std::string command = shell_command + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed");
  std::string output;
  std::array<char, 4096> buffer;
  for (std::size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

inline Result run_nmt(const std::string& arguments) {
  return run_command(std::string(NMT_BINARY_PATH) + " " + arguments);
}

}  // namespace nmt

#define EXPECT_CONTAINS(text, fragment) \
  EXPECT_NE((text).find(fragment), std::string::npos) << "missing '" << (fragment) << "' in:\n" << (text)
