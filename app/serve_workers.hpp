// serve_workers.hpp — the HTTP threads of `nmt serve`: a fixed pool with a bounded queue.
//
// cpp-httplib hands each accepted connection to its task queue. This one runs them on
// serve.http_threads threads and holds at most serve.http_queue connections waiting for
// a thread; when that many wait, enqueue() blocks the accepting thread, so further
// clients wait in the kernel's listen backlog instead of piling up in memory. Requests
// that reach a thread and find the translation queue full are answered 503.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <httplib.h>

namespace nmt {

class ServeWorkers : public httplib::TaskQueue {
 public:
  ServeWorkers(std::size_t threads, std::size_t queue_capacity);
  ~ServeWorkers() override;

  void enqueue(std::function<void()> task) override;
  // Runs every task already queued, then joins the threads (httplib calls it when
  // listening ends).
  void shutdown() override;

 private:
  void work();

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace nmt
