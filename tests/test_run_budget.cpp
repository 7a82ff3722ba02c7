// test_run_budget.cpp — the budget spent and the time left (the live line's ETA): each of
// max_epochs, max_steps and max_minutes ends the run when it is the first to run out.
#include <gtest/gtest.h>

#include <cmath>

#include "training/run_budget.hpp"

namespace nmt {
namespace {

// 2 epochs of 100 batches at 0.5 s a batch, 30 batches into the first (15 s spent): the
// epochs end the run in 170 batches, 85 s.
TrainConfig two_epochs() {
  TrainConfig config;
  config.max_epochs = 2;
  return config;
}
const RunPosition kPosition{0.3, 30, 15.0};

TEST(RunBudget, TheEpochsEndTheRunWhenNoOtherLimitIsSet) {
  const TimeLeft left = run_time_left(two_epochs(), kPosition, 0.5, 100);
  EXPECT_EQ(left.budget, Budget::epochs);
  EXPECT_DOUBLE_EQ(left.seconds, 85.0);
  EXPECT_DOUBLE_EQ(budget_share_used(two_epochs(), kPosition), 0.15);
}

TEST(RunBudget, MaxStepsEndsTheRunWhenItComesFirst) {
  TrainConfig config = two_epochs();
  config.max_steps = 50;  // 20 updates left: 10 s
  const TimeLeft left = run_time_left(config, kPosition, 0.5, 100);
  EXPECT_EQ(left.budget, Budget::steps);
  EXPECT_DOUBLE_EQ(left.seconds, 10.0);
  EXPECT_DOUBLE_EQ(budget_share_used(config, kPosition), 0.6);
  config.max_steps = 500;  // after the epochs: they end it
  EXPECT_EQ(run_time_left(config, kPosition, 0.5, 100).budget, Budget::epochs);
}

TEST(RunBudget, MaxMinutesEndsTheRunWhenItComesFirst) {
  TrainConfig config = two_epochs();
  config.max_steps = 50;
  config.max_minutes = 0.4;  // 24 s in all, 9 s left: before the 10 s of max_steps
  const TimeLeft left = run_time_left(config, kPosition, 0.5, 100);
  EXPECT_EQ(left.budget, Budget::minutes);
  EXPECT_DOUBLE_EQ(left.seconds, 9.0);
  EXPECT_DOUBLE_EQ(budget_share_used(config, kPosition), 0.625);
  config.max_minutes = 1;  // 45 s left: max_steps first again
  EXPECT_EQ(run_time_left(config, kPosition, 0.5, 100).budget, Budget::steps);
}

TEST(RunBudget, AnExhaustedBudgetLeavesNoTimeAndAnUnknownPaceNone) {
  TrainConfig config = two_epochs();
  config.max_minutes = 0.2;  // 12 s, already spent
  const TimeLeft spent = run_time_left(config, kPosition, 0.5, 100);
  EXPECT_EQ(spent.budget, Budget::minutes);
  EXPECT_EQ(spent.seconds, 0.0);
  EXPECT_EQ(budget_share_used(config, kPosition), 1.0);
  EXPECT_TRUE(std::isnan(run_time_left(two_epochs(), kPosition, 0.0, 100).seconds));  // no batch timed yet
  EXPECT_STREQ(budget_key(Budget::epochs), "max_epochs");
  EXPECT_STREQ(budget_key(Budget::steps), "max_steps");
  EXPECT_STREQ(budget_key(Budget::minutes), "max_minutes");
}

}  // namespace
}  // namespace nmt
