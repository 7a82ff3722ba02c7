// test_distributed.cpp — the pieces of gradient accumulation and data-parallel training
// that one process can check: the chain sum's order and aliasing, dropout masks per
// batch of an update, an update's target tokens (tests/test_mpi.sh runs the ranks).
#include <gtest/gtest.h>

#include <vector>

#include "model/dropout.hpp"
#include "model/random.hpp"
#include "training/batcher.hpp"
#include "training/distributed.hpp"

namespace nmt {
namespace {

TEST(Distributed, OneProcessIsAGroupOfOneWithoutALauncher) {
  if (started_by_mpi_launcher()) GTEST_SKIP() << "run under an MPI launcher";
  const auto group = join_process_group();
  EXPECT_EQ(group->size(), 1);
  EXPECT_TRUE(group->is_root());
  EXPECT_EQ(group->gather(std::vector<double>{1.5, 2.5}), (std::vector<double>{1.5, 2.5}));
}

TEST(Distributed, ChainSumAddsLeftToRightInBatchOrder) {
  const auto group = join_process_group();
  if (group->size() != 1) GTEST_SKIP() << "one process only";
  // Values whose float sum depends on the order: (a + b) + c != a + (b + c).
  const std::vector<float> a = {1e8f, 1.f}, b = {-1e8f, 1e-8f}, c = {1.f, -1.f};
  std::vector<float> out(2);
  group->chain_sum({a.data(), b.data(), c.data()}, out.data(), 2);
  EXPECT_EQ(out[0], (a[0] + b[0]) + c[0]);
  EXPECT_EQ(out[1], (a[1] + b[1]) + c[1]);
  EXPECT_NE((a[0] + b[0]) + c[0], a[0] + (b[0] + c[0]));
  // The first buffer may be the sum's own.
  std::vector<float> first = a;
  group->chain_sum({first.data(), b.data(), c.data()}, first.data(), 2);
  EXPECT_EQ(first, out);
}

TEST(Distributed, EachBatchOfAnUpdateDrawsItsOwnDropoutMasks) {
  const std::vector<float> x(4096, 1.f);
  std::vector<float> out(x.size()), mask_first, mask_again, mask_second;
  DropoutContext context{0.3f, 11, 7, 0};
  dropout_forward(context, 5, x.data(), x.size(), out.data(), mask_first);
  // Batch 0 of an update draws what one batch per update always drew: (seed, step, site).
  const std::uint64_t stream = 7 * 1000003ull + 5;
  for (std::size_t i = 0; i < x.size(); ++i)
    ASSERT_EQ(mask_first[i], uniform01(11, stream, i) < 0.3f ? 0.f : 1.f / (1.f - 0.3f)) << i;
  dropout_forward(context, 5, x.data(), x.size(), out.data(), mask_again);
  EXPECT_EQ(mask_first, mask_again);
  context.batch = 1;
  dropout_forward(context, 5, x.data(), x.size(), out.data(), mask_second);
  EXPECT_NE(mask_first, mask_second);
}

TEST(Distributed, AnUpdatesTargetTokensCountEachPairAndItsEos) {
  TokenizedCorpus corpus;
  corpus.source = {{1}, {2, 3}, {4}};
  corpus.target = {{5, 6, 7}, {8}, {9, 10}};
  EXPECT_EQ(corpus.target_tokens({0, 2}), 4u + 3u);
  EXPECT_EQ(corpus.target_tokens({1}), 2u);
  EXPECT_EQ(corpus.target_tokens({0, 1, 2}), corpus.target_tokens());
}

}  // namespace
}  // namespace nmt
