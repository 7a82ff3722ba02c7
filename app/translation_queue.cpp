// translation_queue.cpp — the bounded queue of waiting lines and its translation thread.
#include "app/translation_queue.hpp"

#include <algorithm>

namespace nmt {
namespace {

// Every [search] value as text: two settings translate alike exactly when these are equal.
std::string search_key(const SearchConfig& search) {
  std::string key;
  SearchConfig::fields(search, [&](const FieldSpec&, const auto& member, const auto&) {
    key += field_text(member) + ';';
  });
  return key;
}

}  // namespace

TranslationQueue::TranslationQueue(Translator translator, std::chrono::milliseconds max_wait,
                                   std::size_t capacity_lines, ClientCount clients)
    : translator_(std::move(translator)), max_wait_(max_wait), capacity_lines_(capacity_lines),
      clients_(std::move(clients)) {
  thread_ = std::thread([this] { run(); });
}

TranslationQueue::~TranslationQueue() {
  stop();
  thread_.join();
}

std::optional<std::future<std::vector<Translation>>> TranslationQueue::submit(std::vector<std::string> lines,
                                                                              const SearchConfig& search,
                                                                              bool attention) {
  auto job = std::make_shared<Job>();
  job->lines = std::move(lines);
  job->search = search;
  job->search_key = search_key(search);
  job->attention = attention;
  job->results.resize(job->lines.size());
  auto future = job->promise.get_future();
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || pending_lines_ + job->lines.size() > capacity_lines_) return std::nullopt;
    job->arrival = std::chrono::steady_clock::now();
    waiting_lines_ += job->lines.size();
    pending_lines_ += job->lines.size();
    waiting_.push_back(std::move(job));
  }
  changed_.notify_all();
  return future;
}

QueueLoad TranslationQueue::load() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return {waiting_lines_, pending_lines_};
}

void TranslationQueue::stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

std::vector<TranslationQueue::Slot> TranslationQueue::next_batch(std::unique_lock<std::mutex>& lock) {
  const auto batch_size = [&] { return static_cast<std::size_t>(waiting_.front()->search.batch_size); };
  // Lines waiting with the oldest one's settings.
  const auto alike_lines = [&] {
    std::size_t n = 0;
    for (const auto& job : waiting_)
      if (job->search_key == waiting_.front()->search_key) n += job->lines.size() - job->next_line;
    return n;
  };
  changed_.wait(lock, [&] { return stopping_ || !waiting_.empty(); });
  if (waiting_.empty()) return {};
  // (A connection opening or closing does not wake this wait: at worst it lasts max_wait.)
  changed_.wait_until(lock, waiting_.front()->arrival + max_wait_, [&] {
    return stopping_ || alike_lines() >= batch_size() || waiting_.size() >= clients_();
  });
  const std::string key = waiting_.front()->search_key;
  const std::size_t size = batch_size();
  std::vector<Slot> batch;
  for (const auto& job : waiting_) {
    if (job->search_key != key) continue;
    while (batch.size() < size && job->next_line < job->lines.size()) batch.push_back({job, job->next_line++});
    if (batch.size() == size) break;
  }
  waiting_lines_ -= batch.size();
  waiting_.erase(std::remove_if(waiting_.begin(), waiting_.end(),
                                [](const auto& job) { return job->next_line == job->lines.size(); }),
                 waiting_.end());
  return batch;
}

void TranslationQueue::translate(const std::vector<Slot>& batch) {
  std::vector<std::string> lines;
  bool attention = false;
  for (const Slot& slot : batch) {
    lines.push_back(slot.job->lines[slot.line]);
    attention = attention || slot.job->attention;
  }
  std::vector<Translation> translations;
  std::exception_ptr failure;
  try {
    translator_.set_search(batch.front().job->search);
    translations = translator_.translate_nbest(lines, 1, attention);
  } catch (...) {
    failure = std::current_exception();
  }
  std::vector<std::shared_ptr<Job>> finished;  // every line done: answered now
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::shared_ptr<Job>& job = batch[i].job;
      if (failure) {
        job->failure = failure;
      } else {
        job->results[batch[i].line] = std::move(translations[i]);
        if (!job->attention)
          for (Candidate& c : job->results[batch[i].line].nbest) c.alignment.clear();
      }
      if (++job->done_lines == job->lines.size()) {
        finished.push_back(job);
        pending_lines_ -= job->lines.size();
      }
    }
  }
  for (const auto& job : finished) {
    if (job->failure) job->promise.set_exception(job->failure);
    else job->promise.set_value(std::move(job->results));
  }
}

void TranslationQueue::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    std::vector<Slot> batch = next_batch(lock);
    if (batch.empty()) return;
    lock.unlock();
    translate(batch);
    lock.lock();
  }
}

}  // namespace nmt
