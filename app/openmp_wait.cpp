// openmp_wait.cpp — OMP_WAIT_POLICY=passive for `nmt serve`, by re-execution (see openmp_wait.hpp).
#include "app/openmp_wait.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace nmt {
namespace {

constexpr const char* kPolicy = "OMP_WAIT_POLICY";
constexpr const char* kSpinCount = "GOMP_SPINCOUNT";

}  // namespace

void sleep_openmp_threads_when_serving(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "serve") != 0) return;
  if (std::getenv(kPolicy) != nullptr || std::getenv(kSpinCount) != nullptr) return;
  if (setenv(kPolicy, "passive", /*overwrite=*/1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv(kPolicy);  // not re-executed: this process's libgomp spins, and says so in the log
}

std::string openmp_wait_policy() {
  for (const char* name : {kPolicy, kSpinCount})
    if (const char* value = std::getenv(name)) return std::string(name) + "=" + value;
  return "libgomp's default (spinning)";
}

}  // namespace nmt
