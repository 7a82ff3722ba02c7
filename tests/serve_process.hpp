// serve_process.hpp — `nmt serve` run by a test: started on a free loopback port, its
// address read from its log, stopped with a signal and its exit status collected.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>

#include <httplib.h>

#include "test_util.hpp"

namespace nmt::test {

class ServeProcess {
 public:
  // Starts `nmt serve --port 0 ARGUMENTS` (a shell command line), its stderr into
  // STDERR_PATH; returns once it logs the address it listens on (throws if it exits first).
  ServeProcess(const std::string& arguments, std::string stderr_path) : stderr_path_(std::move(stderr_path)) {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const std::string command =
          "exec " + std::string(NMT_BINARY_PATH) + " serve --port 0 " + arguments + " 2> " + stderr_path_ + " > /dev/null";
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    for (;;) {  // no time limit of its own: ctest's timeout ends a test that hangs
      std::smatch found;
      const std::string log = read_text(stderr_path_);
      if (std::regex_search(log, found, listening)) {
        port_ = std::stoi(found[1]);
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("nmt serve exited before listening:\n" + log);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(120);
    return c;
  }
  std::string log() const { return read_text(stderr_path_); }

  // Sends `signal` and waits for the exit; the exit code, or -1 if it was killed.
  int stop(int signal = SIGTERM) {
    kill(pid_, signal);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0)
      if (errno != EINTR) throw std::runtime_error("waitpid failed");
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string stderr_path_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace nmt::test
