// batcher.cpp — tokenization with length filtering, and the seeded epoch batches.
#include "training/batcher.hpp"

#include <algorithm>
#include <numeric>

#include "model/random.hpp"

namespace nmt {
namespace {

// Fisher–Yates with nmt's own generator, so the order is the same on every platform
// (std::shuffle's use of a generator is implementation-defined).
template <class T>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng.next() % i);
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace

std::size_t TokenizedCorpus::target_tokens() const {
  std::size_t total = 0;
  for (const auto& t : target) total += t.size() + 1;
  return total;
}

std::size_t TokenizedCorpus::target_tokens(const std::vector<std::size_t>& indices) const {
  std::size_t total = 0;
  for (const std::size_t i : indices) total += target.at(i).size() + 1;
  return total;
}

TokenizedCorpus tokenize_corpus(const ParallelCorpus& corpus, const Vocabularies& vocabularies,
                                int max_length, TokenizeReport* report) {
  TokenizedCorpus out;
  TokenizeReport counts;
  const auto too_long = [&](const std::vector<int>& ids) {
    return max_length > 0 && static_cast<int>(ids.size()) > max_length;
  };
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    std::vector<int> source = vocabularies.source.encode(corpus.source[i]);
    std::vector<int> target = vocabularies.target.encode(corpus.target[i]);
    if (source.empty() || target.empty()) {
      ++counts.empty;
    } else if (too_long(source) || too_long(target)) {
      ++counts.too_long;
    } else {
      out.source.push_back(std::move(source));
      out.target.push_back(std::move(target));
    }
  }
  counts.kept = out.size();
  if (report) *report = counts;
  return out;
}

std::vector<std::vector<std::size_t>> epoch_batches(const TokenizedCorpus& corpus, int batch_tokens,
                                                    std::uint64_t seed, int epoch) {
  Rng rng(mix64(seed) ^ mix64(0xBA7C4ull + static_cast<std::uint64_t>(epoch)));
  std::vector<std::size_t> order(corpus.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(order, rng);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (corpus.target[a].size() != corpus.target[b].size())
      return corpus.target[a].size() < corpus.target[b].size();
    return corpus.source[a].size() < corpus.source[b].size();
  });
  std::vector<std::vector<std::size_t>> batches;
  std::vector<std::size_t> current;
  std::size_t longest = 0;
  for (const std::size_t i : order) {
    const std::size_t steps = std::max(longest, corpus.target[i].size() + 1);
    if (!current.empty() && (current.size() + 1) * steps > static_cast<std::size_t>(batch_tokens)) {
      batches.push_back(std::move(current));
      current.clear();
      longest = 0;
    }
    current.push_back(i);
    longest = std::max(longest, corpus.target[i].size() + 1);
  }
  if (!current.empty()) batches.push_back(std::move(current));
  shuffle(batches, rng);
  return batches;
}

Batch gather_batch(const TokenizedCorpus& corpus, const std::vector<std::size_t>& indices) {
  std::vector<std::vector<int>> sources, targets;
  sources.reserve(indices.size());
  targets.reserve(indices.size());
  for (const std::size_t i : indices) {
    sources.push_back(corpus.source[i]);
    targets.push_back(corpus.target[i]);
  }
  return make_batch(sources, targets);
}

}  // namespace nmt
