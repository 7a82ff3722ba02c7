// test_fast_math.cpp — the vectorisable exp/expm1/tanh/sigmoid against double precision.
//
// Every input on a dense grid over the range each function is used on (and the edges
// where the formulas switch): the relative error stays below the bounds fast_math.hpp
// promises, and tanh keeps its relative accuracy near 0, where 1 - 2/(e^2x + 1) would not.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "model/fast_math.hpp"

namespace nmt {
namespace {

// The largest |approx(x) - exact(x)| / max(|exact(x)|, tiny) over [low, high].
double max_relative_error(const std::function<float(float)>& approx, const std::function<double(double)>& exact,
                          float low, float high, int points, double tiny = 1e-30) {
  double worst = 0;
  for (int i = 0; i <= points; ++i) {
    const float x = low + (high - low) * static_cast<float>(i) / static_cast<float>(points);
    const double want = exact(static_cast<double>(x));
    const double error = std::abs(static_cast<double>(approx(x)) - want) / std::max(std::abs(want), tiny);
    worst = std::max(worst, error);
  }
  return worst;
}

TEST(FastMath, ExpIsAccurateOverItsRange) {
  const auto exact = [](double x) { return std::exp(x); };
  EXPECT_LT(max_relative_error(fast_exp, exact, -87.f, 88.f, 2000003), 5e-7);
  EXPECT_LT(max_relative_error(fast_exp, exact, -1.f, 1.f, 200001), 5e-7);
  EXPECT_EQ(fast_exp(0.f), 1.f);
}

TEST(FastMath, ExpClampsBeyondItsRange) {
  EXPECT_NEAR(fast_exp(-1000.f) / std::exp(-87.f), 1.0, 1e-6);
  EXPECT_NEAR(fast_exp(1000.f) / std::exp(88.f), 1.0, 1e-6);
  EXPECT_TRUE(std::isfinite(fast_exp(1000.f)));
}

TEST(FastMath, Expm1IsAccurateNearZeroAndBeyond) {
  const auto exact = [](double x) { return std::expm1(x); };
  EXPECT_LT(max_relative_error(fast_expm1, exact, -1e-3f, 1e-3f, 200001), 5e-7);
  EXPECT_LT(max_relative_error(fast_expm1, exact, -20.f, 20.f, 2000001), 5e-7);
}

TEST(FastMath, TanhIsAccurateEverywhereIncludingNearZero) {
  const auto exact = [](double x) { return std::tanh(x); };
  EXPECT_LT(max_relative_error(fast_tanh, exact, -12.f, 12.f, 2400001), 5e-7);
  EXPECT_LT(max_relative_error(fast_tanh, exact, -1e-4f, 1e-4f, 200001), 5e-7);
  EXPECT_EQ(fast_tanh(0.f), 0.f);
  EXPECT_EQ(fast_tanh(30.f), 1.f);
  EXPECT_EQ(fast_tanh(-30.f), -1.f);
  for (const float x : {0.1f, 0.7f, 3.f}) EXPECT_EQ(fast_tanh(-x), -fast_tanh(x));
}

TEST(FastMath, SigmoidIsAccurate) {
  const auto exact = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  EXPECT_LT(max_relative_error(fast_sigmoid, exact, -80.f, 80.f, 1600001), 5e-7);
  EXPECT_EQ(fast_sigmoid(0.f), 0.5f);
}

TEST(FastMath, NanGivesNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(fast_exp(nan)));
  EXPECT_TRUE(std::isnan(fast_expm1(nan)));
  EXPECT_TRUE(std::isnan(fast_tanh(nan)));
  EXPECT_TRUE(std::isnan(fast_sigmoid(nan)));
}

// Loops over the functions vectorise (no libm calls); here they must also agree with
// the scalar calls element for element, whatever code GCC chose.
TEST(FastMath, LoopsGiveTheSameValuesAsSingleCalls) {
  std::vector<float> x(1031), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = -9.f + 18.f * static_cast<float>(i) / 1030.f;
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = fast_tanh(x[i]) + fast_exp(x[i]) + fast_sigmoid(x[i]);
  for (std::size_t i = 0; i < x.size(); i += 97) {
    const volatile float xi = x[i];
    EXPECT_NEAR(y[i], fast_tanh(xi) + fast_exp(xi) + fast_sigmoid(xi), 1e-6 * std::abs(y[i]));
  }
}

}  // namespace
}  // namespace nmt
