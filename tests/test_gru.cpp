// test_gru.cpp — oneDNN's GRU layer, the decoder's GRU cell and the bidirectional
// encoder against a plain double-precision reference GRU: values and gradients.
#include <gtest/gtest.h>

#include <random>
#include <utility>

#include "model/dnnl_backend.hpp"
#include "model/encoder.hpp"
#include "model/gru_cell.hpp"
#include "reference_gru.hpp"

namespace nmt {
namespace {

std::vector<double> random_vector(std::size_t n, std::mt19937& rng, double scale = 0.5) {
  std::uniform_real_distribution<double> dist(-scale, scale);
  std::vector<double> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

std::vector<float> to_float(const std::vector<double>& v) { return {v.begin(), v.end()}; }

// Σ r ⊙ f(·): a random linear functional, so every output gets a different gradient.
double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Central differences of `loss` with respect to each element of `values`.
template <class F>
std::vector<double> numeric_gradient(std::vector<double>& values, F loss) {
  std::vector<double> grad(values.size());
  const double h = 1e-6;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double saved = values[i];
    values[i] = saved + h;
    const double plus = loss();
    values[i] = saved - h;
    const double minus = loss();
    values[i] = saved;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

void expect_close(const std::vector<float>& actual, const std::vector<double>& expected,
                  double tolerance, const char* what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i)
    worst = std::max(worst, std::abs(actual[i] - expected[i]) / (1.0 + std::abs(expected[i])));
  EXPECT_LT(worst, tolerance) << what;
}

struct GruFixture {
  int B = 3, T = 5, I = 4, H = 6;
  std::mt19937 rng{42};
  test::ReferenceGru reference{I, H, {}, {}, {}};
  std::vector<double> x, r;
  GruFixture() {
    reference.w_x = random_vector(static_cast<std::size_t>(I) * 3 * H, rng);
    reference.w_h = random_vector(static_cast<std::size_t>(H) * 3 * H, rng);
    reference.bias = random_vector(4 * static_cast<std::size_t>(H), rng);
    x = random_vector(static_cast<std::size_t>(B) * T * I, rng, 1.0);
    r = random_vector(static_cast<std::size_t>(B) * T * H, rng, 1.0);
  }
};

TEST(GruLayer, ForwardMatchesTheReference) {
  GruFixture f;
  GruLayer layer(f.I, f.H);
  std::vector<float> h(static_cast<std::size_t>(f.B) * f.T * f.H);
  GruLayer::Cache cache;
  layer.forward(f.B, f.T, to_float(f.x).data(), to_float(f.reference.w_x).data(),
                to_float(f.reference.w_h).data(), to_float(f.reference.bias).data(), h.data(), cache);
  expect_close(h, f.reference.sequence(f.B, f.T, f.x), 1e-5, "h");
}

// Runs the layer forward and backward on the fixture and checks values and gradients
// against the reference within the given tolerances; returns h and its reference.
std::pair<std::vector<float>, std::vector<double>> check_layer(double value_tolerance, double gradient_tolerance) {
  GruFixture f;
  GruLayer layer(f.I, f.H);
  const auto x = to_float(f.x), w_x = to_float(f.reference.w_x), w_h = to_float(f.reference.w_h),
             bias = to_float(f.reference.bias), dh = to_float(f.r);
  std::vector<float> h(static_cast<std::size_t>(f.B) * f.T * f.H);
  GruLayer::Cache cache;
  layer.forward(f.B, f.T, x.data(), w_x.data(), w_h.data(), bias.data(), h.data(), cache);
  const std::vector<double> expected = f.reference.sequence(f.B, f.T, f.x);
  expect_close(h, expected, value_tolerance, "h");
  std::vector<float> dx(x.size()), dw_x(w_x.size(), 0.f), dw_h(w_h.size(), 0.f), dbias(bias.size(), 0.f);
  layer.backward(cache, x.data(), w_x.data(), w_h.data(), bias.data(), h.data(), dh.data(), dx.data(),
                 dw_x.data(), dw_h.data(), dbias.data());
  const auto loss = [&] { return dot(f.r, f.reference.sequence(f.B, f.T, f.x)); };
  expect_close(dx, numeric_gradient(f.x, loss), gradient_tolerance, "dx");
  expect_close(dw_x, numeric_gradient(f.reference.w_x, loss), gradient_tolerance, "dw_x");
  expect_close(dw_h, numeric_gradient(f.reference.w_h, loss), gradient_tolerance, "dw_h");
  expect_close(dbias, numeric_gradient(f.reference.bias, loss), gradient_tolerance, "dbias");
  return {h, expected};
}

TEST(GruLayer, BackwardMatchesTheReferencesNumericGradient) { check_layer(1e-5, 1e-4); }

// With bf16 products the layer reads bf16 sequences and weights (f32 gradients): the
// same values and gradients within bf16 rounding, and not the f32 ones exactly.
TEST(GruLayer, Bf16MatchesTheReferenceWithinBf16Rounding) {
  if (!cpu_has_bf16()) GTEST_SKIP() << "no bf16 on this CPU (oneDNN ISA " << cpu_isa_name() << ")";
  struct F32Afterwards {
    ~F32Afterwards() { set_gemm_precision(Precision::fp32); }
  } restore;
  set_gemm_precision(Precision::bf16);
  const auto [h, expected] = check_layer(2e-2, 5e-2);
  double worst = 0;
  for (std::size_t i = 0; i < h.size(); ++i) worst = std::max(worst, std::abs(h[i] - expected[i]));
  EXPECT_GT(worst, 1e-4) << "bf16 rounding should show";
}

TEST(GruLayer, WeightGradientsAccumulate) {
  GruFixture f;
  GruLayer layer(f.I, f.H);
  const auto x = to_float(f.x), w_x = to_float(f.reference.w_x), w_h = to_float(f.reference.w_h),
             bias = to_float(f.reference.bias), dh = to_float(f.r);
  std::vector<float> h(static_cast<std::size_t>(f.B) * f.T * f.H), dx(x.size());
  GruLayer::Cache cache;
  layer.forward(f.B, f.T, x.data(), w_x.data(), w_h.data(), bias.data(), h.data(), cache);
  std::vector<float> once(w_x.size(), 0.f), twice(w_x.size(), 0.f), dw_h(w_h.size()), dbias(bias.size());
  layer.backward(cache, x.data(), w_x.data(), w_h.data(), bias.data(), h.data(), dh.data(), dx.data(),
                 once.data(), dw_h.data(), dbias.data());
  for (int i = 0; i < 2; ++i)
    layer.backward(cache, x.data(), w_x.data(), w_h.data(), bias.data(), h.data(), dh.data(),
                   dx.data(), twice.data(), dw_h.data(), dbias.data());
  for (std::size_t i = 0; i < once.size(); ++i) EXPECT_NEAR(twice[i], 2 * once[i], 1e-5);
}

// The decoder's element-wise cell, with its matrix products done here in double.
TEST(GruCell, ForwardAndBackwardMatchTheReference) {
  GruFixture f;
  const int B = f.B, H = f.H;
  auto h_prev = random_vector(static_cast<std::size_t>(B) * H, f.rng);
  auto x = random_vector(static_cast<std::size_t>(B) * f.I, f.rng, 1.0);
  const auto r = random_vector(static_cast<std::size_t>(B) * H, f.rng, 1.0);
  // gx = x w_x + [b_u, b_r, b_n], gh = h w_h + [0, 0, c_n]: the reference's biases.
  const auto pre_activations = [&](std::vector<double>& gx, std::vector<double>& gh) {
    gx.assign(static_cast<std::size_t>(B) * 3 * H, 0.0);
    gh.assign(gx.size(), 0.0);
    for (int b = 0; b < B; ++b)
      for (int g = 0; g < 3 * H; ++g) {
        double sx = f.reference.bias[g], sh = g >= 2 * H ? f.reference.bias[H + g] : 0.0;
        for (int i = 0; i < f.I; ++i) sx += x[b * f.I + i] * f.reference.w_x[i * 3 * H + g];
        for (int k = 0; k < H; ++k) sh += h_prev[b * H + k] * f.reference.w_h[k * 3 * H + g];
        gx[b * 3 * H + g] = sx;
        gh[b * 3 * H + g] = sh;
      }
  };
  std::vector<double> gx, gh;
  pre_activations(gx, gh);
  std::vector<float> h(static_cast<std::size_t>(B) * H), gates(gx.size()), hidden_n(h.size());
  gru_cell_forward(B, H, to_float(gx).data(), to_float(gh).data(), to_float(h_prev).data(), h.data(),
                   gates.data(), hidden_n.data());
  const auto reference_h = [&] {
    std::vector<double> out;
    for (int b = 0; b < B; ++b) {
      const std::vector<double> prev(h_prev.begin() + b * H, h_prev.begin() + (b + 1) * H);
      const auto next = f.reference.step(&x[b * f.I], prev);
      out.insert(out.end(), next.begin(), next.end());
    }
    return out;
  };
  expect_close(h, reference_h(), 1e-6, "h");

  std::vector<float> dgx(gx.size()), dgh(gh.size()), dh_prev(h.size(), 0.f);
  gru_cell_backward(B, H, gates.data(), hidden_n.data(), to_float(h_prev).data(), to_float(r).data(),
                    dgx.data(), dgh.data(), dh_prev.data());
  // Numeric gradients through gx and gh, by perturbing them directly.
  const auto loss_from = [&](const std::vector<double>& gx_value, const std::vector<double>& gh_value) {
    double total = 0;
    for (int b = 0; b < B; ++b)
      for (int o = 0; o < H; ++o) {
        const double* x_row = &gx_value[b * 3 * H];
        const double* h_row = &gh_value[b * 3 * H];
        const double u = 1 / (1 + std::exp(-(x_row[o] + h_row[o])));
        const double rr = 1 / (1 + std::exp(-(x_row[H + o] + h_row[H + o])));
        const double n = std::tanh(x_row[2 * H + o] + rr * h_row[2 * H + o]);
        total += r[b * H + o] * (u * h_prev[b * H + o] + (1 - u) * n);
      }
    return total;
  };
  expect_close(dgx, numeric_gradient(gx, [&] { return loss_from(gx, gh); }), 1e-5, "dgx");
  expect_close(dgh, numeric_gradient(gh, [&] { return loss_from(gx, gh); }), 1e-5, "dgh");
  // dh_prev holds only the direct path u ⊙ dh (the caller adds dgh · w_hᵀ).
  std::vector<double> direct(h.size());
  for (int b = 0; b < B; ++b)
    for (int o = 0; o < H; ++o) direct[b * H + o] = r[b * H + o] * gates[b * 3 * H + o];
  expect_close(dh_prev, direct, 1e-6, "dh_prev");
}

// Two reference GRUs as the two directions of one encoder layer, and their float copies.
struct BiGruFixture {
  int B, S, I, H;
  std::vector<int> lengths;
  test::ReferenceGru fwd, bwd;
  std::vector<float> fw_x, fw_h, fb, bw_x, bw_h, bb;

  BiGruFixture(int batch, int steps, int input, int hidden, std::vector<int> sentence_lengths,
               std::mt19937& rng)
      : B(batch), S(steps), I(input), H(hidden), lengths(std::move(sentence_lengths)),
        fwd{I, H, random_vector(I * 3 * H, rng), random_vector(H * 3 * H, rng), random_vector(4 * H, rng)},
        bwd{I, H, random_vector(I * 3 * H, rng), random_vector(H * 3 * H, rng), random_vector(4 * H, rng)} {
    refresh_floats();
  }
  void refresh_floats() {
    fw_x = to_float(fwd.w_x), fw_h = to_float(fwd.w_h), fb = to_float(fwd.bias);
    bw_x = to_float(bwd.w_x), bw_h = to_float(bwd.w_h), bb = to_float(bwd.bias);
  }
  std::vector<BiGruTensors<const float>> weights() const {
    return {{{fw_x.data(), fw_h.data(), fb.data()}, {bw_x.data(), bw_h.data(), bb.data()}}};
  }
  // [→h ; ←h] (B, S, 2H) from the reference run on each sentence alone; padding is 0.
  std::vector<double> reference_output(const std::vector<double>& x) const {
    std::vector<double> out(static_cast<std::size_t>(B) * S * 2 * H, 0.0);
    for (int b = 0; b < B; ++b) {
      const int L = lengths[b];
      std::vector<double> sentence(x.begin() + b * S * I, x.begin() + (b * S + L) * I), reversed;
      for (int j = L - 1; j >= 0; --j)
        reversed.insert(reversed.end(), sentence.begin() + j * I, sentence.begin() + (j + 1) * I);
      const auto hf = fwd.sequence(1, L, sentence), hb = bwd.sequence(1, L, reversed);
      for (int j = 0; j < L; ++j)
        for (int o = 0; o < H; ++o) {
          out[(b * S + j) * 2 * H + o] = hf[j * H + o];
          out[(b * S + j) * 2 * H + H + o] = hb[(L - 1 - j) * H + o];
        }
    }
    return out;
  }
};

// The bidirectional encoder on a padded batch equals the reference run on each
// sentence alone, forward and (reversed) backward.
TEST(BiGruEncoder, PaddedBatchEqualsEachSentenceAlone) {
  std::mt19937 rng(7);
  const BiGruFixture f(3, 6, 4, 5, {6, 2, 4}, rng);
  const auto x = random_vector(static_cast<std::size_t>(f.B) * f.S * f.I, rng, 1.0);
  BiGruEncoder encoder(f.I, f.H, 1);
  BiGruEncoder::Cache cache;
  encoder.forward(f.weights(), f.B, f.S, f.lengths.data(), to_float(x).data(), cache);
  const auto& out = cache.outputs.back();
  const auto expected = f.reference_output(x);
  for (int b = 0; b < f.B; ++b)
    for (int j = 0; j < f.lengths[b]; ++j)
      for (int o = 0; o < 2 * f.H; ++o) {
        const std::size_t i = (static_cast<std::size_t>(b) * f.S + j) * 2 * f.H + o;
        EXPECT_NEAR(out[i], expected[i], 1e-5) << b << "," << j << "," << o;
      }
}

// Gradients of the padded bidirectional encoder, both directions, against the numeric
// gradient of the reference run sentence by sentence (padding contributes nothing).
TEST(BiGruEncoder, BackwardMatchesTheReferenceInBothDirections) {
  std::mt19937 rng(9);
  BiGruFixture f(3, 5, 3, 4, {5, 2, 3}, rng);
  auto x = random_vector(static_cast<std::size_t>(f.B) * f.S * f.I, rng, 1.0);
  auto r = random_vector(static_cast<std::size_t>(f.B) * f.S * 2 * f.H, rng, 1.0);
  for (int b = 0; b < f.B; ++b)  // the model never sends gradient into padding
    for (int j = f.lengths[b]; j < f.S; ++j) std::fill_n(r.begin() + (b * f.S + j) * 2 * f.H, 2 * f.H, 0.0);
  const auto reference_loss = [&] { return dot(r, f.reference_output(x)); };
  std::vector<float> g_fw_x(f.fw_x.size(), 0.f), g_fw_h(f.fw_h.size(), 0.f), g_fb(f.fb.size(), 0.f),
      g_bw_x(f.bw_x.size(), 0.f), g_bw_h(f.bw_h.size(), 0.f), g_bb(f.bb.size(), 0.f);
  const std::vector<BiGruTensors<float>> grads = {
      {{g_fw_x.data(), g_fw_h.data(), g_fb.data()}, {g_bw_x.data(), g_bw_h.data(), g_bb.data()}}};
  BiGruEncoder encoder(f.I, f.H, 1);
  BiGruEncoder::Cache cache;
  const auto x_float = to_float(x);
  encoder.forward(f.weights(), f.B, f.S, f.lengths.data(), x_float.data(), cache);
  std::vector<float> dx(x.size());
  encoder.backward(f.weights(), grads, cache, f.lengths.data(), x_float.data(), to_float(r).data(), dx.data());
  expect_close(dx, numeric_gradient(x, reference_loss), 1e-4, "dx");
  expect_close(g_fw_x, numeric_gradient(f.fwd.w_x, reference_loss), 1e-4, "forward w_x");
  expect_close(g_fw_h, numeric_gradient(f.fwd.w_h, reference_loss), 1e-4, "forward w_h");
  expect_close(g_fb, numeric_gradient(f.fwd.bias, reference_loss), 1e-4, "forward bias");
  expect_close(g_bw_x, numeric_gradient(f.bwd.w_x, reference_loss), 1e-4, "backward w_x");
  expect_close(g_bw_h, numeric_gradient(f.bwd.w_h, reference_loss), 1e-4, "backward w_h");
  expect_close(g_bb, numeric_gradient(f.bwd.bias, reference_loss), 1e-4, "backward bias");
}

TEST(BiGruEncoder, ReverseWithinLengthsIsAnInvolution) {
  const std::vector<float> in = {1, 2, 3, 9, 4, 5, 8, 8};  // (B=2, S=4, C=1)
  const std::vector<int> lengths = {3, 2};
  std::vector<float> out(in.size()), back(in.size());
  reverse_within_lengths(in.data(), 2, 4, 1, lengths.data(), out.data());
  EXPECT_EQ(out, (std::vector<float>{3, 2, 1, 9, 5, 4, 8, 8}));
  reverse_within_lengths(out.data(), 2, 4, 1, lengths.data(), back.data());
  EXPECT_EQ(back, in);
}

}  // namespace
}  // namespace nmt
