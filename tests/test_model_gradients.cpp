// test_model_gradients.cpp — finite-difference checks of every layer and of the whole
// model, on tiny configurations with padding inside the batch, for every attention type.
//
// Tolerances: central differences with h = 1e-2 in float carry ~1e-5 of noise; a wrong
// sign, a missing term or a transposed matrix moves gradients by far more than the
// 2e-4 + 0.2% allowed per element (correct code stays within a fifth of that).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>

#include "model/attention.hpp"
#include "model/loss.hpp"
#include "model/output_layer.hpp"
#include "model_fixture.hpp"

namespace nmt {
namespace {

constexpr double kStep = 1e-2, kAbsolute = 2e-4, kRelative = 2e-3;

std::vector<float> random_floats(std::size_t n, std::mt19937& rng, float scale = 0.5f) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

// Compares analytic gradients with central differences of `loss` over `values`.
void check_gradient(const char* what, std::vector<float>& values, const std::vector<float>& analytic,
                    const std::function<double()>& loss) {
  ASSERT_EQ(values.size(), analytic.size());
  std::size_t bad = 0;
  double worst = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const float saved = values[i];
    values[i] = saved + static_cast<float>(kStep);
    const double plus = loss();
    values[i] = saved - static_cast<float>(kStep);
    const double minus = loss();
    values[i] = saved;
    const double numeric = (plus - minus) / (2 * kStep);
    const double error = std::abs(numeric - analytic[i]);
    worst = std::max(worst, error / (kAbsolute + kRelative * std::abs(numeric)));
    if (error > kAbsolute + kRelative * std::abs(numeric)) {
      if (++bad <= 5) ADD_FAILURE() << what << "[" << i << "]: analytic " << analytic[i] << ", numeric " << numeric;
    }
  }
  EXPECT_EQ(bad, 0u) << what << ": worst error / tolerance = " << worst;
  std::printf("  %s: worst error / tolerance %.3f\n", what, worst);
}

double weighted_sum(const std::vector<float>& x, const std::vector<float>& r) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += static_cast<double>(x[i]) * r[i];
  return s;
}

// ---- the whole model ----------------------------------------------------------------

void check_whole_model(const ModelConfig& config) {
  const RnnSearch model(config, test::kTinySourceVocab, test::kTinyTargetVocab);
  std::vector<float> params = model.initial_parameters(5);
  // Larger weights than the initialisation, so every path carries a clear gradient.
  std::mt19937 rng(11);
  for (auto& p : params) p += std::uniform_real_distribution<float>(-0.3f, 0.3f)(rng);
  const Batch batch = test::tiny_batch();
  TrainingContext context;
  context.dropout = {static_cast<float>(config.dropout), /*seed=*/9, /*step=*/4};
  context.label_smoothing = 0.1f;
  auto cache = model.make_cache();
  model.forward(params.data(), batch, context, *cache);
  std::vector<float> grads(params.size(), 0.f);
  model.backward(params.data(), batch, context, *cache, grads.data(), 1.f);
  check_gradient("model", params, grads, [&] {
    auto c = model.make_cache();
    return model.forward(params.data(), batch, context, *c).loss;
  });
}

TEST(ModelGradients, AdditiveAttention) { check_whole_model(test::tiny_config(AttentionType::additive)); }
TEST(ModelGradients, DotAttention) { check_whole_model(test::tiny_config(AttentionType::dot)); }
TEST(ModelGradients, ScaledDotAttention) { check_whole_model(test::tiny_config(AttentionType::scaled_dot)); }

TEST(ModelGradients, TwoEncoderLayersAndTiedEmbeddings) {
  ModelConfig config = test::tiny_config(AttentionType::additive);
  config.encoder_layers = 2;
  config.tie_embeddings = true;  // O = E = 4
  check_whole_model(config);
}

TEST(ModelGradients, BackwardAccumulatesAndScales) {
  const RnnSearch model(test::tiny_config(AttentionType::additive), test::kTinySourceVocab,
                        test::kTinyTargetVocab);
  const std::vector<float> params = model.initial_parameters(1);
  const Batch batch = test::tiny_batch();
  TrainingContext context;
  auto cache = model.make_cache();
  model.forward(params.data(), batch, context, *cache);
  std::vector<float> once(params.size(), 0.f), twice(params.size(), 0.f), half(params.size(), 0.f);
  model.backward(params.data(), batch, context, *cache, once.data(), 1.f);
  model.backward(params.data(), batch, context, *cache, twice.data(), 1.f);
  model.backward(params.data(), batch, context, *cache, twice.data(), 1.f);
  model.backward(params.data(), batch, context, *cache, half.data(), 0.5f);
  double norm = 0;
  for (std::size_t i = 0; i < once.size(); ++i) {
    EXPECT_NEAR(twice[i], 2 * once[i], 1e-5 + 1e-5 * std::abs(once[i]));
    EXPECT_NEAR(half[i], 0.5 * once[i], 1e-5 + 1e-5 * std::abs(once[i]));
    norm += once[i] * once[i];
  }
  EXPECT_GT(norm, 0.0);
}

// ---- single layers --------------------------------------------------------------------

void check_attention(AttentionType type) {
  std::mt19937 rng(21);
  const int N = 3, S = 5, C = 6, D = 5, A = 4;
  const std::vector<int> lengths = {5, 2, 4};
  const Attention attention(type, C, D, A);
  const int K = attention.key_size();
  auto U_a = random_floats(A * C, rng), W_a = random_floats(A * D, rng), b_a = random_floats(A, rng),
       v_a = random_floats(A, rng), W_q = random_floats(C * D, rng);
  auto h = random_floats(N * S * C, rng, 1.f), s = random_floats(N * D, rng, 1.f);
  const auto r = random_floats(N * C, rng, 1.f);
  const auto weights = [&] {
    return AttentionTensors<const float>{U_a.data(), W_a.data(), b_a.data(), v_a.data(), W_q.data()};
  };
  // loss = Σ r ⊙ c(h, s): keys, query and context in sequence.
  const auto loss = [&] {
    const auto w = weights();
    std::vector<float> keys(N * S * K), q(N * K), alpha(N * S), c(N * C);
    attention.keys_forward(w, N * S, h.data(), keys.data());
    attention.query_forward(w, N, s.data(), q.data());
    attention.context_forward(w, N, S, lengths.data(), nullptr, h.data(), keys.data(), q.data(), alpha.data(), c.data());
    return weighted_sum(c, r);
  };
  const auto w = weights();
  std::vector<float> keys(N * S * K), q(N * K), alpha(N * S), c(N * C);
  attention.keys_forward(w, N * S, h.data(), keys.data());
  attention.query_forward(w, N, s.data(), q.data());
  attention.context_forward(w, N, S, lengths.data(), nullptr, h.data(), keys.data(), q.data(), alpha.data(), c.data());
  std::vector<float> dU_a(U_a.size(), 0.f), dW_a(W_a.size(), 0.f), db_a(b_a.size(), 0.f),
      dv_a(v_a.size(), 0.f), dW_q(W_q.size(), 0.f);
  const AttentionTensors<float> g{dU_a.data(), dW_a.data(), db_a.data(), dv_a.data(), dW_q.data()};
  std::vector<float> dq(N * K), dh(N * S * C, 0.f), dkeys(N * S * K, 0.f), ds(N * D, 0.f);
  attention.context_backward(w, g, N, S, lengths.data(), h.data(), keys.data(), q.data(), alpha.data(),
                             r.data(), dq.data(), dh.data(), dkeys.data());
  attention.query_backward_data(w, N, dq.data(), ds.data());
  attention.query_backward_weights(g, N, s.data(), dq.data());
  attention.keys_backward(w, g, N * S, h.data(), dkeys.data(), dh.data());
  check_gradient("dh", h, dh, loss);
  check_gradient("ds", s, ds, loss);
  if (type == AttentionType::additive) {
    check_gradient("dU_a", U_a, dU_a, loss);
    check_gradient("dW_a", W_a, dW_a, loss);
    check_gradient("db_a", b_a, db_a, loss);
    check_gradient("dv_a", v_a, dv_a, loss);
  } else {
    check_gradient("dW_q", W_q, dW_q, loss);
  }
  // Padding gets no weight and no gradient.
  for (int n = 0; n < N; ++n)
    for (int j = lengths[n]; j < S; ++j) {
      EXPECT_EQ(alpha[n * S + j], 0.f);
      for (int i = 0; i < C; ++i) EXPECT_EQ(dh[(n * S + j) * C + i], 0.f);
    }
}

TEST(LayerGradients, AdditiveAttention) { check_attention(AttentionType::additive); }
TEST(LayerGradients, DotAttention) { check_attention(AttentionType::dot); }
TEST(LayerGradients, ScaledDotAttention) { check_attention(AttentionType::scaled_dot); }

TEST(LayerGradients, OutputLayerWithLoss) {
  std::mt19937 rng(31);
  const int N = 4, In = 7, O = 3, V = 6;
  const OutputLayer layer(In, O, V);
  auto W_o = random_floats(O * In, rng), b_o = random_floats(O, rng), W_z = random_floats(V * O, rng),
       b_z = random_floats(V, rng), input = random_floats(N * In, rng, 1.f);
  const std::vector<int> targets = {1, 5, 0, 3};
  const DropoutContext dropout{0.25f, 3, 1};
  const float smoothing = 0.1f;
  const auto loss = [&] {
    OutputLayer::Cache cache;
    std::vector<float> logits(N * V);
    layer.forward({W_o.data(), b_o.data(), W_z.data(), b_z.data()}, N, input.data(), logits.data(),
                  dropout, cache);
    return cross_entropy_forward(logits.data(), targets.data(), N, V, smoothing).loss;
  };
  OutputLayer::Cache cache;
  std::vector<float> probs(N * V);
  const OutputTensors<const float> w{W_o.data(), b_o.data(), W_z.data(), b_z.data()};
  layer.forward(w, N, input.data(), probs.data(), dropout, cache);
  cross_entropy_forward(probs.data(), targets.data(), N, V, smoothing);
  cross_entropy_backward(probs.data(), probs.data(), targets.data(), N, V, smoothing, 1.f);
  std::vector<float> dW_o(W_o.size(), 0.f), db_o(O, 0.f), dW_z(W_z.size(), 0.f), db_z(V, 0.f), dinput(input.size());
  layer.backward(w, {dW_o.data(), db_o.data(), dW_z.data(), db_z.data()}, cache, probs.data(), dinput.data());
  check_gradient("dinput", input, dinput, loss);
  check_gradient("dW_o", W_o, dW_o, loss);
  check_gradient("db_o", b_o, db_o, loss);
  check_gradient("dW_z", W_z, dW_z, loss);
  check_gradient("db_z", b_z, db_z, loss);
}

TEST(LayerGradients, LossValuesAndPerplexityTerm) {
  // Two classes with logits 0 and log 3: p = (1/4, 3/4).
  std::vector<float> logits = {0.f, std::log(3.f)};
  const int target = 1;
  const LossSums sums = cross_entropy_forward(logits.data(), &target, 1, 2, 0.2f);
  EXPECT_NEAR(sums.nll, -std::log(0.75), 1e-6);
  EXPECT_NEAR(sums.loss, 0.8 * -std::log(0.75) + 0.2 * 0.5 * (-std::log(0.25) - std::log(0.75)), 1e-6);
  EXPECT_NEAR(logits[0], 0.25f, 1e-6);  // replaced by probabilities
}

}  // namespace
}  // namespace nmt
