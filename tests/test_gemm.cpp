// test_gemm.cpp — the backend's GEMM against a plain loop, in every operand layout, in
// f32, in bf16 (operands rounded to bf16, products accumulated in f32) and in int8
// (within the quantization error bound; a row's result independent of the other rows;
// weights quantized once per change; products of two activations left in f32); bf16 and
// int8 refused by name on a CPU without their instructions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

#include "model/dnnl_backend.hpp"

namespace nmt {
namespace {

// x rounded to the nearest bf16 (ties to even), as oneDNN's f32 -> bf16 reorder does.
float round_to_bf16(float x) {
  std::uint32_t bits = 0;
  std::memcpy(&bits, &x, sizeof bits);
  bits += 0x7FFFu + ((bits >> 16) & 1u);
  bits &= 0xFFFF0000u;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

struct Operands {
  GemmArgs args;
  std::vector<float> a, b, c, bias;
};

// Random operands for m×n×k in the given layout; c has a row stride of n + 3 and holds
// values to accumulate into.
Operands make_operands(int m, int n, int k, bool transpose_a, bool transpose_b, bool with_bias, bool accumulate,
                       std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> value(-1.f, 1.f);
  Operands o;
  GemmArgs& g = o.args;
  g.m = m, g.n = n, g.k = k;
  g.transpose_a = transpose_a, g.transpose_b = transpose_b;
  g.lda = transpose_a ? m : k;
  g.ldb = transpose_b ? k : n;
  g.ldc = n + 3;
  o.a.resize(static_cast<std::size_t>(m) * k);
  o.b.resize(static_cast<std::size_t>(k) * n);
  o.c.resize(static_cast<std::size_t>(m) * g.ldc);
  for (auto* v : {&o.a, &o.b, &o.c})
    for (float& x : *v) x = value(rng);
  if (with_bias) {
    o.bias.resize(static_cast<std::size_t>(n));
    for (float& x : o.bias) x = value(rng);
  }
  g.a = o.a.data(), g.b = o.b.data(), g.c = o.c.data();
  g.bias = with_bias ? o.bias.data() : nullptr;
  g.accumulate = accumulate;
  return o;
}

// c(i, j) of the product in double, operands passed through `round` first, and the sum
// of |terms| (the scale of its rounding error).
struct Expected {
  double value, magnitude;
};
template <class Round>
Expected expected_at(const Operands& o, int i, int j, Round round) {
  const GemmArgs& g = o.args;
  double sum = 0, magnitude = 0;
  for (int p = 0; p < g.k; ++p) {
    const float a = g.transpose_a ? o.a[static_cast<std::size_t>(p) * g.lda + i] : o.a[static_cast<std::size_t>(i) * g.lda + p];
    const float b = g.transpose_b ? o.b[static_cast<std::size_t>(j) * g.ldb + p] : o.b[static_cast<std::size_t>(p) * g.ldb + j];
    const double term = static_cast<double>(round(a)) * round(b);
    sum += term;
    magnitude += std::fabs(term);
  }
  if (g.bias) sum += g.bias[j], magnitude += std::fabs(g.bias[j]);
  if (g.accumulate) {
    const float c = o.c[static_cast<std::size_t>(i) * g.ldc + j];
    sum += c, magnitude += std::fabs(c);
  }
  return {sum, magnitude};
}

// Runs gemm on every layout and checks each element within tolerance × magnitude.
template <class Round>
void check_all_layouts(Round round, double tolerance) {
  std::uint32_t seed = 1;
  for (const bool transpose_a : {false, true})
    for (const bool transpose_b : {false, true})
      for (const bool with_bias : {false, true})
        for (const bool accumulate : {false, true}) {
          Operands o = make_operands(7, 33, 129, transpose_a, transpose_b, with_bias, accumulate, seed++);
          const Operands before = o;
          gemm(o.args);
          for (int i = 0; i < o.args.m; ++i)
            for (int j = 0; j < o.args.n; ++j) {
              const Expected e = expected_at(before, i, j, round);
              ASSERT_NEAR(o.c[static_cast<std::size_t>(i) * o.args.ldc + j], e.value, tolerance * e.magnitude + 1e-6)
                  << "transpose_a " << transpose_a << " transpose_b " << transpose_b << " bias " << with_bias
                  << " accumulate " << accumulate << " at (" << i << ", " << j << ")";
            }
          for (int i = 0; i < o.args.m; ++i)  // the padding past each row of c is untouched
            for (int j = o.args.n; j < o.args.ldc; ++j)
              ASSERT_EQ(o.c[static_cast<std::size_t>(i) * o.args.ldc + j], before.c[static_cast<std::size_t>(i) * o.args.ldc + j]);
        }
}

// Puts the process back to f32 products when a test ends, however it ends.
struct F32Afterwards {
  ~F32Afterwards() { set_gemm_precision(Precision::fp32); }
};

TEST(Gemm, F32MatchesAPlainLoopInEveryLayout) {
  set_gemm_precision(Precision::fp32);
  check_all_layouts([](float x) { return x; }, 1e-6);
}

// On a CPU without the instructions `precision` needs: refused, naming the ISA, and
// the setting left as it was.
void expect_refused_here(Precision precision) {
  try {
    set_gemm_precision(precision);
    FAIL() << "precision " << static_cast<int>(precision) << " accepted on a CPU without its instructions";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("ISA " + cpu_isa_name()), std::string::npos) << e.what();
  }
  EXPECT_EQ(gemm_precision(), Precision::fp32);
}

TEST(Gemm, Bf16RoundsTheOperandsAndAccumulatesInF32) {
  if (!cpu_has_bf16()) return expect_refused_here(Precision::bf16);
  const F32Afterwards restore;
  set_gemm_precision(Precision::bf16);
  // Products of bf16 values are exact in f32; only the f32 sums round.
  check_all_layouts(round_to_bf16, 1e-5);
  // And bf16 really is used: the result differs from the f32 product.
  Operands o = make_operands(4, 8, 64, false, true, false, false, 99);
  gemm(o.args);
  set_gemm_precision(Precision::fp32);
  const Expected exact = expected_at(o, 0, 0, [](float x) { return x; });
  EXPECT_GT(std::fabs(o.c[0] - exact.value), 1e-5);
}

TEST(Gemm, Bf16ConvertsARegisteredWeightOncePerChange) {
  if (!cpu_has_bf16()) GTEST_SKIP() << "no bf16 on this CPU (oneDNN ISA " << cpu_isa_name() << ")";
  const F32Afterwards restore;
  set_gemm_precision(Precision::bf16);
  Operands o = make_operands(3, 16, 32, false, true, false, false, 7);
  const auto product = [&] {
    gemm(o.args);
    return std::vector<float>(o.c.begin(), o.c.end());
  };
  ConstantOperands weights(o.b.data(), o.b.size());
  const std::vector<float> first = product();
  for (float& x : o.b) x *= 2;  // new values, not announced: the bf16 copy is reused
  EXPECT_EQ(product(), first);
  weights.changed();  // announced: converted again
  const std::vector<float> second = product();
  for (int j = 0; j < o.args.n; ++j) EXPECT_FLOAT_EQ(second[static_cast<std::size_t>(j)], 2 * first[static_cast<std::size_t>(j)]);
}

// ---- int8 -------------------------------------------------------------------------------

// op(a)(i, ·) and op(b)(·, j) of a gemm's operands.
float a_at(const Operands& o, int i, int p) {
  const GemmArgs& g = o.args;
  return g.transpose_a ? o.a[static_cast<std::size_t>(p) * g.lda + i] : o.a[static_cast<std::size_t>(i) * g.lda + p];
}
float b_at(const Operands& o, int p, int j) {
  const GemmArgs& g = o.args;
  return g.transpose_b ? o.b[static_cast<std::size_t>(j) * g.ldb + p] : o.b[static_cast<std::size_t>(p) * g.ldb + j];
}

// The worst error of c(i, j) quantized symmetrically, a per row (scale sa) and b per
// column (scale sb). With a = â + ea, |ea| ≤ sa/2, and b = b̂ + eb, |eb| ≤ sb/2:
// ab − âb̂ = a·eb + b·ea − ea·eb, so |error| ≤ Σ_p |a_p|·sb/2 + |b_p|·sa/2 + sa·sb/4.
double int8_bound(const Operands& o, int i, int j) {
  const GemmArgs& g = o.args;
  double a_max = 0, b_max = 0;
  for (int p = 0; p < g.k; ++p) {
    a_max = std::max(a_max, static_cast<double>(std::fabs(a_at(o, i, p))));
    b_max = std::max(b_max, static_cast<double>(std::fabs(b_at(o, p, j))));
  }
  const double sa = a_max / 127, sb = b_max / 127;
  double bound = 0;
  for (int p = 0; p < g.k; ++p) bound += std::fabs(a_at(o, i, p)) * sb / 2 + std::fabs(b_at(o, p, j)) * sa / 2 + sa * sb / 4;
  return bound;
}

// Sets int8 products for the test's life (the test returns early where the CPU has no
// VNNI or AMX, after checking the refusal).
struct Int8Products {
  Int8Products() { set_gemm_precision(Precision::int8); }
  ~Int8Products() { set_gemm_precision(Precision::fp32); }
};

TEST(Gemm, Int8IsWithinTheQuantizationBoundInEveryLayout) {
  if (!cpu_has_int8()) return expect_refused_here(Precision::int8);
  std::uint32_t seed = 50;
  double largest_error = 0;
  for (const bool transpose_a : {false, true})
    for (const bool transpose_b : {false, true})
      for (const bool with_bias : {false, true})
        for (const bool accumulate : {false, true}) {
          Operands o = make_operands(7, 33, 129, transpose_a, transpose_b, with_bias, accumulate, seed++);
          for (int p = 0; p < 129; ++p) o.a[static_cast<std::size_t>(p)] *= 9;  // rows of unlike ranges
          const Operands before = o;
          {
            const Int8Products int8;
            const ConstantOperands weights(o.b.data(), o.b.size());
            gemm(o.args);
          }
          for (int i = 0; i < o.args.m; ++i)
            for (int j = 0; j < o.args.n; ++j) {
              const Expected e = expected_at(before, i, j, [](float x) { return x; });
              const double error = std::fabs(o.c[static_cast<std::size_t>(i) * o.args.ldc + j] - e.value);
              largest_error = std::max(largest_error, error);
              // the bound, plus the f32 rounding of the dequantisation and the sums
              ASSERT_LE(error, int8_bound(before, i, j) + 1e-6 * e.magnitude + 1e-6)
                  << "transpose_a " << transpose_a << " transpose_b " << transpose_b << " bias " << with_bias
                  << " accumulate " << accumulate << " at (" << i << ", " << j << ")";
            }
          for (int i = 0; i < o.args.m; ++i)  // the padding past each row of c is untouched
            for (int j = o.args.n; j < o.args.ldc; ++j)
              ASSERT_EQ(o.c[static_cast<std::size_t>(i) * o.args.ldc + j], before.c[static_cast<std::size_t>(i) * o.args.ldc + j]);
        }
  EXPECT_GT(largest_error, 1e-4) << "no quantization error at all: int8 was not used";
}

// c of a gemm on `o`'s own a and c (b stays the caller's registered weight), over rows
// [first, first + rows) of a (stored m×k) alone.
std::vector<float> product_of_rows(Operands o, int first, int rows) {
  o.args.m = rows;
  o.args.a = o.a.data() + static_cast<std::size_t>(first) * o.args.lda;
  o.args.c = o.c.data() + static_cast<std::size_t>(first) * o.args.ldc;
  gemm(o.args);
  return o.c;
}

TEST(Gemm, Int8RowResultsDoNotDependOnTheOtherRows) {
  if (!cpu_has_int8()) GTEST_SKIP() << "no VNNI or AMX on this CPU (oneDNN ISA " << cpu_isa_name() << ")";
  for (const bool transpose_b : {false, true}) {
    SCOPED_TRACE(transpose_b ? "a · bᵀ" : "a · b");
    const Operands batch = make_operands(6, 40, 96, false, transpose_b, true, true, 70);
    const int m = batch.args.m, k = batch.args.k;
    const Int8Products int8;
    const ConstantOperands weights(batch.b.data(), batch.b.size());
    const std::vector<float> together = product_of_rows(batch, 0, m);
    for (int r = 0; r < m; ++r) {
      Operands other_mates = batch;  // the other rows a thousand times larger
      for (int i = 0; i < m; ++i)
        if (i != r)
          for (int p = 0; p < k; ++p) other_mates.a[static_cast<std::size_t>(i) * k + p] *= 1000;
      const std::vector<float> alone = product_of_rows(batch, r, 1),
                               with_others = product_of_rows(other_mates, 0, m);
      for (int j = 0; j < batch.args.n; ++j) {
        const std::size_t at = static_cast<std::size_t>(r) * batch.args.ldc + j;
        ASSERT_EQ(alone[at], together[at]) << "row " << r << " column " << j << " alone";
        ASSERT_EQ(with_others[at], together[at]) << "row " << r << " column " << j << " among other rows";
      }
    }
  }
}

TEST(Gemm, Int8QuantizesRegisteredWeightsOncePerChangeAndLeavesOtherProductsF32) {
  if (!cpu_has_int8()) GTEST_SKIP() << "no VNNI or AMX on this CPU (oneDNN ISA " << cpu_isa_name() << ")";
  Operands o = make_operands(3, 16, 32, false, true, false, false, 8);
  const auto product = [&] {
    gemm(o.args);
    return std::vector<float>(o.c.begin(), o.c.end());
  };
  const std::vector<float> f32 = product();
  const Int8Products int8;
  EXPECT_EQ(product(), f32) << "b is in no registered buffer (an activation): the product stays f32";
  ConstantOperands weights(o.b.data(), o.b.size());
  const std::vector<float> first = product();
  EXPECT_NE(first, f32);
  for (float& x : o.b) x *= 2;  // new values, not announced: the int8 copy is reused
  EXPECT_EQ(product(), first);
  weights.changed();  // announced: quantized again (the same values at twice the scale)
  const std::vector<float> second = product();
  for (int j = 0; j < o.args.n; ++j) EXPECT_FLOAT_EQ(second[static_cast<std::size_t>(j)], 2 * first[static_cast<std::size_t>(j)]);
}

}  // namespace
}  // namespace nmt
