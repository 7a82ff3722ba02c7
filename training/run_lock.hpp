// run_lock.hpp — one training process per run directory.
//
// `nmt train` and `nmt train --resume` hold an advisory lock (flock) on RUN_DIR/.lock
// for as long as they run; the file also names the holder's process id. The kernel
// drops the lock when the process ends, however it ends (a SIGKILL included), so a
// killed run never leaves a stale lock behind.
#pragma once

#include <string>
#include <vector>

namespace nmt {

class RunDirectoryLock {
 public:
  // Takes the lock or throws std::runtime_error naming the directory and the process
  // that holds it. RUN_DIR must exist.
  explicit RunDirectoryLock(const std::string& run_dir);
  ~RunDirectoryLock();

  // The temporary files a killed nmt train left behind (a SIGKILL between creating
  // FILE.tmp.PID and renaming it over FILE): for each file nmt train writes atomically in
  // the run directory and in its checkpoints/, removes FILE.tmp.PID whose PID is no
  // running process, and returns the paths removed. Only the lock's holder may: no other
  // training process writes there.
  std::vector<std::string> remove_stale_temporaries() const;
  RunDirectoryLock(const RunDirectoryLock&) = delete;
  RunDirectoryLock& operator=(const RunDirectoryLock&) = delete;

 private:
  std::string run_dir_;
  int fd_ = -1;
};

}  // namespace nmt
