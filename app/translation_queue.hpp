// translation_queue.hpp — the lines of every waiting request, and the one thread that
// translates them in batches.
//
// HTTP threads submit a request's lines with its search settings and wait on the
// returned future. The translation thread takes waiting lines in arrival order, up to
// search.batch_size of them, from requests with the same search settings as the oldest
// waiting line (a request of other settings waits for its own batch); it starts a batch
// when it is full, when every client that could send a line has one waiting (the
// requests waiting are at least `clients()`, the connections being served: a client
// waits for its answer before it asks again, so no other line can come before this
// batch is answered), or when the oldest line has waited max_wait. A request longer than
// a batch is spread over several. Each line's translation is what `nmt translate` gives
// for it alone: the translator's results do not depend on the batch.
//
// The queue is bounded: at most `capacity_lines` lines submitted and not yet answered;
// submit() refuses (returns no future) a request that does not fit, and the server
// answers it 503. stop() lets the thread finish every line already submitted.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "app/translator.hpp"

namespace nmt {

// What is in the queue now: lines waiting to be taken, and lines taken and not yet answered.
struct QueueLoad {
  std::size_t waiting_lines = 0;
  std::size_t pending_lines = 0;  // waiting or being translated
};

class TranslationQueue {
 public:
  // How many requests could be waiting at most now (the server's open connections).
  using ClientCount = std::function<std::size_t()>;

  // The queue owns `translator`; its search() is the default of requests.
  TranslationQueue(Translator translator, std::chrono::milliseconds max_wait, std::size_t capacity_lines,
                   ClientCount clients);
  ~TranslationQueue();  // stop(), then joins the thread
  TranslationQueue(const TranslationQueue&) = delete;
  TranslationQueue& operator=(const TranslationQueue&) = delete;

  // Queues `lines` (at least one) for translation with `search` (valid: search_problem
  // is ""), attention weights kept if `attention`; the future holds one Translation per
  // line, in order, or the exception the translation threw. No future when the lines do
  // not fit in the queue (or the queue is stopping).
  std::optional<std::future<std::vector<Translation>>> submit(std::vector<std::string> lines,
                                                              const SearchConfig& search, bool attention);

  QueueLoad load() const;
  // Refuses new lines; the thread translates what was submitted, then ends.
  void stop();

  // The translator, for what does not change while serving (model, vocabularies, pieces).
  const Translator& translator() const { return translator_; }

 private:
  struct Job {
    std::vector<std::string> lines;
    SearchConfig search;
    std::string search_key;  // equal for equal settings (every [search] value as text)
    bool attention = false;
    std::chrono::steady_clock::time_point arrival;
    std::size_t next_line = 0;  // lines before it were taken into a batch
    std::size_t done_lines = 0;
    std::vector<Translation> results;
    std::exception_ptr failure;  // of any of its batches: the answer instead of results
    std::promise<std::vector<Translation>> promise;
  };
  struct Slot {  // one line of a batch
    std::shared_ptr<Job> job;
    std::size_t line;
  };

  void run();
  // The next batch (taken from waiting_); waits for it as the rules above say. Empty
  // when stopping with nothing left.
  std::vector<Slot> next_batch(std::unique_lock<std::mutex>& lock);
  void translate(const std::vector<Slot>& batch);

  Translator translator_;
  const std::chrono::milliseconds max_wait_;
  const std::size_t capacity_lines_;
  const ClientCount clients_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::shared_ptr<Job>> waiting_;  // jobs with lines not yet taken, oldest first
  std::size_t waiting_lines_ = 0;
  std::size_t pending_lines_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nmt
