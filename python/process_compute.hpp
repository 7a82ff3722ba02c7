// process_compute.hpp — the module's process-wide compute settings and the one lock
// under which a translation, or a change of the settings, runs.
//
// Threads and precision are the backend's process-wide settings (model/dnnl_backend),
// as they are for every nmt command; the module keeps them in one ComputeConfig, starting
// from its defaults. OpenMP's thread count is a setting of each calling thread, so each
// translation applies it on the thread that translates. Translations run one at a time in
// the process (the backend's settings and its oneDNN stream are shared); a caller takes
// the lock with the GIL released, so other Python threads run while it waits or works.
#pragma once

#include <mutex>

#include "model/compute_config.hpp"

namespace nmt::python {

class ComputeLock {
 public:
  ComputeLock();
  // The settings in force; change them only through apply() while holding the lock.
  const ComputeConfig& config() const;
  // Sets `config` process-wide, as `nmt translate` does (app/compute_settings, `source`
  // naming the caller in the refusal of a precision the CPU lacks); throws ConfigError
  // and keeps the old settings when it is refused.
  void apply(const ComputeConfig& config, const char* source);
  // Makes the calling thread compute with config().threads.
  void use_threads_here() const;

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace nmt::python
