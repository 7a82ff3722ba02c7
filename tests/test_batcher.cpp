// test_batcher.cpp — epoch batches: every pair once, within budget, length-bucketed,
// the same for the same (seed, epoch) and different across epochs; length filtering.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "training/batcher.hpp"

namespace nmt {
namespace {

TokenizedCorpus random_corpus(std::size_t pairs, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> length(1, 40);
  TokenizedCorpus corpus;
  for (std::size_t i = 0; i < pairs; ++i) {
    corpus.source.emplace_back(static_cast<std::size_t>(length(rng)), 5);
    corpus.target.emplace_back(static_cast<std::size_t>(length(rng)), 6);
  }
  return corpus;
}

TEST(Batcher, EveryPairOncePerEpochWithinTheTokenBudget) {
  const TokenizedCorpus corpus = random_corpus(1000, 1);
  const int budget = 600;
  const auto batches = epoch_batches(corpus, budget, 42, 0);
  std::vector<int> seen(corpus.size(), 0);
  for (const auto& batch : batches) {
    ASSERT_FALSE(batch.empty());
    std::size_t longest = 0;
    for (const std::size_t i : batch) {
      ++seen[i];
      longest = std::max(longest, corpus.target[i].size() + 1);
    }
    EXPECT_LE(batch.size() * longest, static_cast<std::size_t>(budget));
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
}

TEST(Batcher, BatchesHoldSimilarLengths) {
  const TokenizedCorpus corpus = random_corpus(2000, 2);
  std::size_t padded = 0, real = 0;
  for (const auto& batch : epoch_batches(corpus, 2000, 1, 0)) {
    std::size_t longest = 0;
    for (const std::size_t i : batch) {
      longest = std::max(longest, corpus.target[i].size() + 1);
      real += corpus.target[i].size() + 1;
    }
    padded += longest * batch.size();
  }
  EXPECT_LT(static_cast<double>(padded) / static_cast<double>(real), 1.10);  // < 10% target padding (random: ~90%)
}

TEST(Batcher, SameSeedAndEpochSameBatchesOtherwiseDifferent) {
  const TokenizedCorpus corpus = random_corpus(500, 3);
  EXPECT_EQ(epoch_batches(corpus, 400, 7, 3), epoch_batches(corpus, 400, 7, 3));
  EXPECT_NE(epoch_batches(corpus, 400, 7, 3), epoch_batches(corpus, 400, 7, 4));
  EXPECT_NE(epoch_batches(corpus, 400, 7, 3), epoch_batches(corpus, 400, 8, 3));
}

TEST(Batcher, APairLongerThanTheBudgetGetsABatchOfItsOwn) {
  TokenizedCorpus corpus;
  corpus.source = {{5}, {5, 5}};
  corpus.target = {std::vector<int>(50, 6), {6}};
  const auto batches = epoch_batches(corpus, 10, 1, 0);
  ASSERT_EQ(batches.size(), 2u);
  const Batch batch = gather_batch(corpus, batches[0].size() == 1 && batches[0][0] == 0 ? batches[0] : batches[1]);
  EXPECT_EQ(batch.target_steps, 51);
}

}  // namespace
}  // namespace nmt
