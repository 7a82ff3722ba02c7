// test_training_curve.cpp — the SVG training curve: its axes tick at round values (1, 2,
// 5 × 10^k, 2.5 × 10^k from 25 up), cover the data, and label ticks without spurious
// decimals.
#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include "training/training_curve.hpp"

namespace nmt {
namespace {

TEST(TrainingCurve, TicksAtRoundStepsCoveringTheRange) {
  const TickAxis steps = round_ticks(0, 1371, 6);
  EXPECT_EQ(steps.step, 250);
  EXPECT_EQ(steps.high, 1500);
  EXPECT_EQ(steps.ticks(), (std::vector<double>{0, 250, 500, 750, 1000, 1250, 1500}));
  const TickAxis minutes = round_ticks(0, 16.3, 6);
  EXPECT_EQ(minutes.ticks(), (std::vector<double>{0, 5, 10, 15, 20}));
  const TickAxis loss = round_ticks(0, 6.6, 8);
  EXPECT_EQ(loss.step, 1);
  EXPECT_EQ(loss.high, 7);
  const TickAxis bleu = round_ticks(0, 35.7, 8);
  EXPECT_EQ(bleu.step, 5);
  EXPECT_EQ(bleu.high, 40);
  const TickAxis small = round_ticks(0, 0.52, 6);
  EXPECT_NEAR(small.step, 0.1, 1e-12);
  EXPECT_EQ(small.ticks().size(), 7u);
  const TickAxis empty = round_ticks(3, 3, 6);
  EXPECT_LE(empty.low, 3);
  EXPECT_GE(empty.high, 4);
}

TEST(TrainingCurve, EveryStepIsOneTwoOrFiveTimesAPowerOfTen) {
  for (const double high : {0.013, 0.9, 1.0, 7.3, 42.0, 99.0, 105.0, 4321.0, 10970.0, 123456.0}) {
    const TickAxis axis = round_ticks(0, high, 6);
    const double power = std::pow(10.0, std::floor(std::log10(axis.step) + 1e-9));
    const double mantissa = axis.step / power;
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9 ||
                (std::abs(mantissa - 2.5) < 1e-9 && axis.step >= 25))
        << high << ": step " << axis.step;
    EXPECT_GE(axis.high, high);
    EXPECT_LE(axis.ticks().size(), 7u) << high;
  }
}

TEST(TrainingCurve, LabelsHaveNoSpuriousDecimals) {
  EXPECT_EQ(tick_label(0, 250), "0");
  EXPECT_EQ(tick_label(1500, 250), "1500");
  EXPECT_EQ(tick_label(12000, 2000), "12000");
  EXPECT_EQ(tick_label(0.5, 0.5), "0.5");
  EXPECT_EQ(tick_label(1.0, 0.5), "1");
  EXPECT_EQ(tick_label(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(tick_label(0.05, 0.05), "0.05");
}

TEST(TrainingCurve, SvgLabelsAreRoundNumbers) {
  std::vector<MetricsRecord> records;
  for (int step = 100; step <= 10970; step += 100) {
    MetricsRecord train;
    train.type = "train";
    train.step = step;
    train.time = step * 0.229;
    train.loss = 6.0 * 1000 / (1000 + step);
    records.push_back(train);
    if (step % 500 == 0) {
      MetricsRecord valid = train;
      valid.type = "valid";
      valid.bleu = 34.0 * step / 10970;
      records.push_back(valid);
    }
  }
  const std::string svg = training_curve_svg(records);
  const std::regex label("font-size='10'[^>]*>([^<]*)<");
  int labels = 0;
  for (std::sregex_iterator it(svg.begin(), svg.end(), label), end; it != end; ++it, ++labels)
    EXPECT_TRUE(std::regex_match((*it)[1].str(), std::regex("0|[1-9][0-9]*(0|5)|[0-9]"))) << (*it)[1].str();
  EXPECT_GT(labels, 20);
  EXPECT_NE(svg.find(">12000<"), std::string::npos);  // steps: 0, 2000, ... 12000
  EXPECT_NE(svg.find(">50<"), std::string::npos);     // minutes: 0, 10, ... 50
  EXPECT_NE(svg.find(">35<"), std::string::npos);     // BLEU: 0, 5, ... 40
}

}  // namespace
}  // namespace nmt
