// openmp_wait.hpp — `nmt serve`'s OpenMP threads spin briefly when a batch ends, then sleep.
//
// libgomp's threads spin for a while after each parallel region (OMP_WAIT_POLICY unset:
// up to GOMP_SPINCOUNT, 300,000 turns, by default) before they sleep. In `nmt translate`
// the next region follows at once and the spin pays; in `nmt serve` the next batch waits
// for the HTTP threads, which need the cores the spinning threads hold (on 2 cores the
// server gave a fraction of `translate -i`'s lines/s). Sleeping at once
// (OMP_WAIT_POLICY=passive) costs a wake-up per parallel region, of which a decoding step
// has dozens (with 16 one-line clients it gave well under the lines/s of a short spin:
// README, Serving). So the server spins 10,000 turns, a fraction of a
// millisecond: enough to bridge the regions of a batch, not the wait for the next one.
// libgomp reads its environment once, when it is loaded, so the setting cannot be changed
// from main: the process sets GOMP_SPINCOUNT and executes itself again. A user who sets
// OMP_WAIT_POLICY or GOMP_SPINCOUNT keeps theirs.
#pragma once

#include <string>

namespace nmt {

// For `nmt serve` (argv[1] == "serve") without OMP_WAIT_POLICY and GOMP_SPINCOUNT in the
// environment: sets GOMP_SPINCOUNT=10000 and re-executes /proc/self/exe with `argv`
// (it does not return then). Otherwise, or if the re-execution fails, returns and the
// process goes on as it is. Call first thing in main, before any thread starts.
void sleep_openmp_threads_when_serving(int argc, char** argv);

// How the OpenMP threads wait between parallel regions, for the serve log:
// "GOMP_SPINCOUNT=10000", the user's "OMP_WAIT_POLICY=..." or "GOMP_SPINCOUNT=...", or
// "libgomp's default (spinning)" when neither is set (the re-execution failed).
std::string openmp_wait_policy();

}  // namespace nmt
