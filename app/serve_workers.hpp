// serve_workers.hpp — the HTTP threads of `nmt serve`: a fixed pool with a bounded queue.
//
// cpp-httplib hands each accepted connection to its task queue. This one runs them on
// serve.http_threads threads and holds at most serve.http_queue connections waiting for
// a thread; when that many wait, enqueue() blocks the accepting thread, so further
// clients wait in the kernel's listen backlog instead of piling up in memory. Requests
// that reach a thread and find the translation queue full are answered 503. It counts the
// connections its threads are serving (the translation queue's clients).
#pragma once

#include <atomic>
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
  // `serving`: kept equal to the connections being served (tasks running), by every pool
  // made with it; it outlives the pool.
  ServeWorkers(std::size_t threads, std::size_t queue_capacity, std::atomic<std::size_t>& serving);
  ~ServeWorkers() override;

  void enqueue(std::function<void()> task) override;
  // Runs every task already queued, then joins the threads (httplib calls it when
  // listening ends).
  void shutdown() override;

 private:
  void work();

  const std::size_t capacity_;
  std::atomic<std::size_t>& serving_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace nmt
