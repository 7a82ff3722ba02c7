// fast_math.hpp — exp, expm1, tanh and sigmoid in float that GCC vectorises.
//
// glibc's expf/tanhf are scalar calls: in the attention (A tanh per source position per
// target token), the GRU gates and the softmax over the vocabulary they took a quarter of
// a training step. These are plain arithmetic (no calls, no branches GCC cannot turn into
// selects), so a loop over them compiles to SIMD code without -ffast-math; it takes
// -fno-trapping-math (set project-wide in CMakeLists.txt), or GCC keeps the selects as
// branches and the loop scalar.
//
// Accuracy, checked in tests/test_fast_math.cpp against double precision over the whole
// float range they are used on: exp and sigmoid within 4 ulp-sized relative errors
// (< 5e-7), tanh within 5e-7 relative (near 0 too: it goes through expm1, not 1 - 2/(e+1)).
// Inputs are clamped: fast_exp(x) for x < -87 gives exp(-87) ≈ 1.6e-38 instead of a
// subnormal or 0, and x > 88 gives exp(88). NaN gives NaN (the trainer's non-finite
// check relies on it), without undefined behaviour on the way.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace nmt {
namespace fast_math_detail {

constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;        // ln 2 = kLn2Hi + kLn2Lo, kLn2Hi exact in
constexpr float kLn2Lo = -2.12194440e-4f;     // few bits so n * kLn2Hi is exact
constexpr float kRoundMagic = 12582912.f;     // 1.5 * 2^23: adding it rounds to an integer

// 2^n for an integer-valued n in [-126, 127], built from the exponent bits.
inline float exp2_integer(float n) {
  const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
  float out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}

// x = n ln 2 + r with n integral and |r| <= ln 2 / 2 (x already clamped).
inline float reduce(float x, float& n) {
  n = (x * kLog2e + kRoundMagic) - kRoundMagic;
  return (x - n * kLn2Hi) - n * kLn2Lo;
}

// expm1(r) for |r| <= ln 2 / 2: Taylor series to r^8 (remainder < 2e-9 relative).
inline float expm1_reduced(float r) {
  float p = 1.f / 40320;
  p = p * r + 1.f / 5040;
  p = p * r + 1.f / 720;
  p = p * r + 1.f / 120;
  p = p * r + 1.f / 24;
  p = p * r + 1.f / 6;
  p = p * r + 0.5f;
  return r + (r * r) * p;
}

// NaN goes to `low`, so the integer conversion in exp2_integer stays defined.
inline float clamp(float x, float low, float high) { return x > low ? (x < high ? x : high) : low; }

// `value`, or NaN where x is NaN (x != x only for NaN; a select GCC vectorises).
inline float keep_nan(float x, float value) { return x != x ? x : value; }

}  // namespace fast_math_detail

// e^x, x clamped to [-87, 88].
inline float fast_exp(float x) {
  using namespace fast_math_detail;
  float n;
  const float r = reduce(clamp(x, -87.f, 88.f), n);
  return keep_nan(x, (expm1_reduced(r) + 1.f) * exp2_integer(n));
}

// e^x - 1, accurate relative to the result near 0 as well; x clamped to [-87, 88].
inline float fast_expm1(float x) {
  using namespace fast_math_detail;
  float n;
  const float r = reduce(clamp(x, -87.f, 88.f), n);
  const float scale = exp2_integer(n);
  return keep_nan(x, scale * expm1_reduced(r) + (scale - 1.f));
}

// tanh(x) = e / (e + 2) with e = expm1(2|x|), the sign restored; |x| clamped to 9,
// where tanh is 1 to float precision.
inline float fast_tanh(float x) {
  const float magnitude = fast_math_detail::clamp(std::fabs(x), 0.f, 9.f);
  const float e = fast_expm1(2.f * magnitude);
  return fast_math_detail::keep_nan(x, std::copysign(e / (e + 2.f), x));
}

// 1 / (1 + e^-x).
inline float fast_sigmoid(float x) { return 1.f / (1.f + fast_exp(-x)); }

}  // namespace nmt
