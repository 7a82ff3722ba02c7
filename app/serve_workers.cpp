// serve_workers.cpp — the bounded pool of HTTP threads.
#include "app/serve_workers.hpp"

namespace nmt {

ServeWorkers::ServeWorkers(std::size_t threads, std::size_t queue_capacity, std::atomic<std::size_t>& serving)
    : capacity_(queue_capacity), serving_(serving) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ServeWorkers::~ServeWorkers() { shutdown(); }

void ServeWorkers::enqueue(std::function<void()> task) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return tasks_.size() < capacity_; });
    tasks_.push_back(std::move(task));
  }
  changed_.notify_all();
}

void ServeWorkers::shutdown() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (shutting_down_) return;
    shutting_down_ = true;
  }
  changed_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ServeWorkers::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return shutting_down_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // shutting down, nothing left
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    changed_.notify_all();  // room in the queue
    ++serving_;
    task();
    --serving_;
  }
}

}  // namespace nmt
