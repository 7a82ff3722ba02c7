// cli_runner.hpp — runs the `nmt` executable from a test (NMT_BINARY_PATH is set by
// tests/CMakeLists.txt; commands run in the project root).
#pragma once

#include <gtest/gtest.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <array>
#include <cerrno>
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

// Runs `nmt ARGUMENTS > STDOUT_PATH`; the output is what it wrote to stderr.
inline Result run_nmt_to(const std::string& arguments, const std::string& stdout_path) {
  return run_command("{ " + std::string(NMT_BINARY_PATH) + " " + arguments + " > " + stdout_path + "; }");
}

// Runs `nmt ARGUMENTS` (a shell command line; it may redirect stdin) with stdout a pipe
// whose reading end is closed before nmt starts, stderr into STDERR_PATH, SIGPIPE at its
// default action. Returns the raw wait status.
inline int run_nmt_into_closed_pipe(const std::string& arguments, const std::string& stderr_path) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  ::close(fds[0]);
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    std::signal(SIGPIPE, SIG_DFL);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (err < 0 || dup2(fds[1], STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0) _exit(127);
    const std::string command = "exec " + std::string(NMT_BINARY_PATH) + " " + arguments;
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(fds[1]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  return status;
}

// Runs `nmt ARGUMENTS` (a shell command line) with stdout and stderr a pseudo-terminal,
// stdin /dev/null; the output is what the terminal received (line ends as "\r\n").
inline Result run_nmt_at_a_terminal(const std::string& arguments) {
  const int terminal = posix_openpt(O_RDWR | O_NOCTTY);
  if (terminal < 0 || grantpt(terminal) != 0 || unlockpt(terminal) != 0) throw std::runtime_error("no pseudo-terminal");
  const std::string device = ptsname(terminal);
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    setsid();
    const int side = ::open(device.c_str(), O_RDWR);
    const int null = ::open("/dev/null", O_RDONLY);
    if (side < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(side, STDOUT_FILENO) < 0 ||
        dup2(side, STDERR_FILENO) < 0)
      _exit(127);
    ::close(terminal);
    const std::string command = "exec " + std::string(NMT_BINARY_PATH) + " " + arguments;
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string output;
  std::array<char, 4096> buffer;
  for (;;) {  // until the terminal's last holder closes it (EIO)
    const ssize_t n = ::read(terminal, buffer.data(), buffer.size());
    if (n > 0) output.append(buffer.data(), static_cast<std::size_t>(n));
    else if (n < 0 && errno == EINTR) continue;
    else break;
  }
  ::close(terminal);
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace nmt

#define EXPECT_CONTAINS(text, fragment) \
  EXPECT_NE((text).find(fragment), std::string::npos) << "missing '" << (fragment) << "' in:\n" << (text)
