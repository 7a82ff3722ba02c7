// compute_thread.cpp — the module's compute thread: a queue of tasks run one at a time.
#include "python/compute_thread.hpp"

#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "app/compute_settings.hpp"

namespace nmt::python {
namespace {

ComputeConfig& settings() {
  static ComputeConfig config;
  return config;
}

// The thread and its queue. Never destroyed: the thread is detached and waits for work
// until the process ends.
class ComputeThread {
 public:
  ComputeThread() {
    std::thread([this] { serve(); }).detach();
  }
  void post(std::packaged_task<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    wake_.notify_one();
  }

 private:
  void serve() {
    apply_compute(settings(), "compute", "nmt");  // the defaults, on this thread (never refused)
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return !tasks_.empty(); });
      std::packaged_task<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();  // its exception goes to its future
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> tasks_;
};

// The compute thread of this process, started if `start` and none runs yet (else null):
// a child made by fork() has none of its parent's threads, so it starts its own (the
// parent's object is left alone, its lock as it was).
ComputeThread* compute_thread(bool start) {
  static std::mutex creating;
  static ComputeThread* thread = nullptr;
  static pid_t owner = 0;
  std::lock_guard<std::mutex> lock(creating);
  if (thread != nullptr && owner == ::getpid()) return thread;
  if (!start) return nullptr;
  thread = new ComputeThread;
  owner = ::getpid();
  return thread;
}

}  // namespace

void run_on_compute_thread(std::packaged_task<void()> task) {
  std::future<void> done = task.get_future();
  compute_thread(true)->post(std::move(task));
  done.get();
}

void dispose_on_compute_thread(std::packaged_task<void()> task) {
  if (compute_thread(false) == nullptr) return task();
  run_on_compute_thread(std::move(task));
}

const ComputeConfig& compute_settings() { return settings(); }

void apply_compute_settings(const ComputeConfig& config, const char* source) {
  try {
    apply_compute(config, "compute", source);
  } catch (...) {
    apply_compute(settings(), "compute", source);  // the old settings, which were accepted
    throw;
  }
  settings() = config;
}

}  // namespace nmt::python
