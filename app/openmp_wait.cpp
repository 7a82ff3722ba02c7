// openmp_wait.cpp — a short OpenMP spin for `nmt serve`, by re-execution (see openmp_wait.hpp).
#include "app/openmp_wait.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace nmt {
namespace {

constexpr const char* kPolicy = "OMP_WAIT_POLICY";
constexpr const char* kSpinCount = "GOMP_SPINCOUNT";
constexpr const char* kServeSpins = "10000";  // a fraction of a millisecond: a decoding step's regions follow closer

}  // namespace

void sleep_openmp_threads_when_serving(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "serve") != 0) return;
  if (std::getenv(kPolicy) != nullptr || std::getenv(kSpinCount) != nullptr) return;
  if (setenv(kSpinCount, kServeSpins, /*overwrite=*/1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv(kSpinCount);  // not re-executed: this process's libgomp spins, and says so in the log
}

std::string openmp_wait_policy() {
  for (const char* name : {kPolicy, kSpinCount})
    if (const char* value = std::getenv(name)) return std::string(name) + "=" + value;
  return "libgomp's default (spinning)";
}

}  // namespace nmt
