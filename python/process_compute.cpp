// process_compute.cpp — the module's compute settings, and the lock around their use.
#include "python/process_compute.hpp"

#include "app/compute_settings.hpp"
#include "model/dnnl_backend.hpp"

namespace nmt::python {
namespace {

std::mutex& compute_mutex() {
  static std::mutex mutex;
  return mutex;
}

ComputeConfig& settings() {
  static ComputeConfig config;  // the defaults, as nmt translate's [compute] has them
  return config;
}

}  // namespace

ComputeLock::ComputeLock() : lock_(compute_mutex()) {}

const ComputeConfig& ComputeLock::config() const { return settings(); }

void ComputeLock::apply(const ComputeConfig& config, const char* source) {
  try {
    apply_compute(config, "compute", source);
  } catch (...) {
    apply_compute(settings(), "compute", source);  // the old settings, which were accepted
    throw;
  }
  settings() = config;
}

void ComputeLock::use_threads_here() const { set_num_threads(settings().threads); }

}  // namespace nmt::python
