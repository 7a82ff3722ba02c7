// compute_thread.hpp — the one thread on which the module computes, and the process's
// compute settings it computes with.
//
// Every translation, and every change or reading of the settings, runs on a thread the
// module starts on first use, whichever Python thread asks: oneDNN's primitives (the
// GRU's, which the network caches) keep library-owned scratch memory per thread and must
// run on the thread that created them; OpenMP's thread count is a setting of each thread;
// and one thread runs translations one at a time, as the backend's process-wide settings
// want. A caller waits for its work with the GIL released, so other Python threads run.
// The settings start at ComputeConfig's defaults, as `nmt translate`'s [compute] does.
#pragma once

#include <future>
#include <optional>
#include <type_traits>
#include <utility>

#include "model/compute_config.hpp"

namespace nmt::python {

// Runs `task` on the compute thread and waits for it; its exception, if any, is rethrown
// here. Call without the GIL.
void run_on_compute_thread(std::packaged_task<void()> task);
// Runs `task` (freeing what the compute thread computed with) there and waits for it, or
// here when no compute thread has started (nothing has computed yet).
void dispose_on_compute_thread(std::packaged_task<void()> task);

// `work()` run on the compute thread, its result returned here.
template <class Work>
auto on_compute_thread(Work&& work) {
  using Result = std::invoke_result_t<Work&>;
  if constexpr (std::is_void_v<Result>) {
    run_on_compute_thread(std::packaged_task<void()>(std::forward<Work>(work)));
  } else {
    std::optional<Result> result;
    run_on_compute_thread(std::packaged_task<void()>([&] { result.emplace(work()); }));
    return std::move(*result);
  }
}

// On the compute thread only: the settings in force, and setting new ones as the commands
// do (app/compute_settings; `source` names the caller in the refusal of a precision the
// CPU lacks). A refused change throws ConfigError and keeps the old settings.
const ComputeConfig& compute_settings();
void apply_compute_settings(const ComputeConfig& config, const char* source);

}  // namespace nmt::python
