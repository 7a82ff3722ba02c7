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
#include "model/decoder_step.hpp"
#include "model/gru_cell.hpp"
#include "model/initial_state.hpp"
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
                    const std::function<double()>& loss, double step = kStep) {
  ASSERT_EQ(values.size(), analytic.size());
  std::size_t bad = 0;
  double worst = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const float saved = values[i];
    values[i] = saved + static_cast<float>(step);
    const double plus = loss();
    values[i] = saved - static_cast<float>(step);
    const double minus = loss();
    values[i] = saved;
    const double numeric = (plus - minus) / (2 * step);
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

void check_whole_model(const ModelConfig& config, float token_dropout = 0.f, float recurrent_dropout = 0.f,
                       double step = kStep) {
  const RnnSearch model(config, test::kTinySourceVocab, test::kTinyTargetVocab);
  std::vector<float> params = model.initial_parameters(5);
  // Larger weights than the initialisation, so every path carries a clear gradient.
  std::mt19937 rng(11);
  for (auto& p : params) p += std::uniform_real_distribution<float>(-0.3f, 0.3f)(rng);
  const Batch batch = test::tiny_batch();
  TrainingContext context;
  context.dropout = {static_cast<float>(config.dropout), /*seed=*/9, /*step=*/4};
  context.token_dropout = token_dropout;
  context.recurrent_dropout = recurrent_dropout;
  context.label_smoothing = 0.1f;
  auto cache = model.make_cache();
  model.forward(params.data(), batch, context, *cache);
  std::vector<float> grads(params.size(), 0.f);
  model.backward(params.data(), batch, context, *cache, grads.data(), 1.f);
  check_gradient("model", params, grads, [&] {
    auto c = model.make_cache();
    return model.forward(params.data(), batch, context, *c).loss;
  }, step);
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

// Token dropout zeroes whole embeddings; recurrent dropout masks the decoder state its
// products read, one mask per sequence. At these rates the tiny batch loses rows and
// units for certain, so a mask applied in forward and forgotten in backward shows. The
// masks' 1/(1-p) scales steepen the loss: h = 5e-3 keeps the central difference's own
// error (which h = 1e-2 brings to the tolerance here) a third of the tolerance.
TEST(ModelGradients, TokenAndRecurrentDropout) {
  check_whole_model(test::tiny_config(AttentionType::additive), /*token_dropout=*/0.25f,
                    /*recurrent_dropout=*/0.25f, /*step=*/5e-3);
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

TEST(LayerGradients, InitialState) {
  std::mt19937 rng(51);
  const int N = 3, S = 4, C = 6, D = 5;
  const InitialState layer(C, D);
  ParameterLayout layout;
  layer.declare(layout);
  auto params = random_floats(layout.total_size(), rng);
  EncoderState memory;
  memory.rows = N;
  memory.steps = S;
  memory.lengths = {4, 1, 3};
  memory.h = random_floats(N * S * C, rng, 1.f);
  const auto r = random_floats(N * D, rng, 1.f);
  const auto w = [&] { return layer.bind(layout, static_cast<const float*>(params.data())); };
  std::vector<float> mean(N * C), s0(N * D);
  const auto loss = [&] {
    layer.forward(w(), memory, mean.data(), s0.data());
    return weighted_sum(s0, r);
  };
  loss();
  std::vector<float> grads(params.size(), 0.f), dh(memory.h.size(), 0.f);
  layer.backward(w(), layer.bind(layout, grads.data()), memory, mean.data(), s0.data(), r.data(), dh.data());
  check_gradient("dh", memory.h, dh, loss);
  check_gradient("dW_init, db_init", params, grads, loss);
  for (int n = 0; n < N; ++n)  // padding is left out of the mean
    for (int j = memory.lengths[n]; j < S; ++j)
      for (int i = 0; i < C; ++i) EXPECT_EQ(dh[(n * S + j) * C + i], 0.f);
}

// One decoder step from s_prev, y' and the memory, with loss = Σ r_s ⊙ s + Σ r_c ⊙ c: the
// per-step backward, then the batched weight gradients, ∂y' and the keys.
void check_decoder_step(AttentionType type) {
  std::mt19937 rng(61);
  const int N = 3, S = 5, E = 3, C = 6, D = 5, A = 4;
  const DecoderStep step(type, E, C, D, A);
  const int K = step.key_size();
  ParameterLayout layout;
  step.declare(layout);
  auto params = random_floats(layout.total_size(), rng);
  EncoderState memory;
  memory.rows = N;
  memory.steps = S;
  memory.lengths = {5, 2, 4};
  memory.h = random_floats(N * S * C, rng, 1.f);
  auto s_prev = random_floats(N * D, rng, 1.f), y = random_floats(N * E, rng, 1.f);
  const auto r_s = random_floats(N * D, rng, 1.f), r_c = random_floats(N * C, rng, 1.f);
  const auto w = [&] { return step.bind(layout, static_cast<const float*>(params.data())); };
  DecoderStep::Activations a;
  std::vector<float> s(N * D);
  const auto loss = [&] {
    step.keys_forward(w(), memory);
    std::vector<float> gx(N * 3 * D), gh(N * 3 * D);
    step.input_forward(w(), N, y.data(), gx.data());
    step.resize(a, N, S);
    step.forward(w(), memory, s_prev.data(), s_prev.data(), gx.data(), gh.data(), a, 0, s.data());
    return weighted_sum(s, r_s) + weighted_sum(a.contexts, r_c);
  };
  loss();
  std::vector<float> grads(params.size(), 0.f), ds_prev(N * D, 0.f), dh(memory.h.size(), 0.f),
      dkeys(N * S * K, 0.f), dy(y.size(), 0.f), dc = r_c;
  const auto g = step.bind(layout, grads.data());
  DecoderStep::Gradients d = step.zero_gradients(N);
  step.backward(w(), g, memory, s_prev.data(), a, 0, r_s.data(), dc.data(), d, ds_prev.data(),
                ds_prev.data(), dh.data(), dkeys.data());
  step.backward_weights(g, N, y.data(), s_prev.data(), a, d);
  step.input_backward(w(), N, d, dy.data());
  step.keys_backward(w(), g, memory, dkeys.data(), dh.data());
  check_gradient("ds_prev", s_prev, ds_prev, loss);
  check_gradient("dy", y, dy, loss);
  check_gradient("dh", memory.h, dh, loss);
  check_gradient("decoder step weights", params, grads, loss);
}

TEST(LayerGradients, DecoderStepAdditive) { check_decoder_step(AttentionType::additive); }
TEST(LayerGradients, DecoderStepDot) { check_decoder_step(AttentionType::dot); }

// The gradient rule: a backward adds into what it is given. Every output of each layer's
// backward, started at 1 instead of 0, comes out 1 higher.
void expect_one_higher(const char* what, const std::vector<float>& from_zero,
                       const std::vector<float>& from_one) {
  ASSERT_EQ(from_zero.size(), from_one.size()) << what;
  for (std::size_t i = 0; i < from_zero.size(); ++i)
    EXPECT_NEAR(from_one[i], 1.f + from_zero[i], 1e-5f) << what << "[" << i << "]";
}

TEST(LayerGradients, BackwardsAddIntoTheGradientsTheyAreGiven) {
  std::mt19937 rng(71);
  const int N = 3, S = 4, E = 3, C = 6, D = 5, A = 4, O = 3, V = 6, In = D + C + E;
  const std::vector<int> lengths = {4, 1, 3};
  // GRU cell: dgx, dgh, dh_prev.
  const auto gx = random_floats(N * 3 * D, rng, 1.f), gh = random_floats(N * 3 * D, rng, 1.f),
             h_prev = random_floats(N * D, rng, 1.f), dh = random_floats(N * D, rng, 1.f);
  std::vector<float> h(N * D), gates(N * 3 * D), hidden_n(N * D);
  gru_cell_forward(N, D, gx.data(), gh.data(), h_prev.data(), h.data(), gates.data(), hidden_n.data());
  const auto gru_cell = [&](float start) {
    std::vector<float> out(2 * N * 3 * D + N * D, start);
    gru_cell_backward(N, D, gates.data(), hidden_n.data(), h_prev.data(), dh.data(), out.data(),
                      out.data() + N * 3 * D, out.data() + 2 * N * 3 * D);
    return out;
  };
  expect_one_higher("gru_cell_backward", gru_cell(0.f), gru_cell(1.f));
  // Attention's context: dq, dh, dkeys, dv_a.
  const Attention attention(AttentionType::additive, C, D, A);
  auto attention_weights = random_floats(A * C + A * D + 2 * A, rng);
  const float* aw = attention_weights.data();
  const AttentionTensors<const float> wa{aw, aw + A * C, aw + A * C + A * D, aw + A * C + A * D + A, nullptr};
  const auto memory_h = random_floats(N * S * C, rng, 1.f), s = random_floats(N * D, rng, 1.f),
             dc = random_floats(N * C, rng, 1.f);
  std::vector<float> keys(N * S * A), q(N * A), alpha(N * S), c(N * C);
  attention.keys_forward(wa, N * S, memory_h.data(), keys.data());
  attention.query_forward(wa, N, s.data(), q.data());
  attention.context_forward(wa, N, S, lengths.data(), nullptr, memory_h.data(), keys.data(), q.data(),
                            alpha.data(), c.data());
  const auto context = [&](float start) {
    std::vector<float> out(N * A + N * S * C + N * S * A + A, start);
    float* dq = out.data();
    float* dmemory = dq + N * A;
    float* dkeys = dmemory + N * S * C;
    const AttentionTensors<float> ga{nullptr, nullptr, nullptr, dkeys + N * S * A, nullptr};
    attention.context_backward(wa, ga, N, S, lengths.data(), memory_h.data(), keys.data(), q.data(),
                               alpha.data(), dc.data(), dq, dmemory, dkeys);
    return out;
  };
  expect_one_higher("context_backward", context(0.f), context(1.f));
  // Output layer: dinput and its weights.
  const OutputLayer output(In, O, V);
  auto output_weights = random_floats(O * In + O + V * O + V, rng);
  const float* ow = output_weights.data();
  const OutputTensors<const float> wo{ow, ow + O * In, ow + O * In + O, ow + O * In + O + V * O};
  const auto input = random_floats(N * In, rng, 1.f), dlogits = random_floats(N * V, rng, 1.f);
  OutputLayer::Cache output_cache;
  std::vector<float> logits(N * V);
  output.forward(wo, N, input.data(), logits.data(), DropoutContext{0.25f, 3, 1}, output_cache);
  const auto output_backward = [&](float start) {
    std::vector<float> out(N * In + output_weights.size(), start);
    float* g = out.data() + N * In;
    output.backward(wo, {g, g + O * In, g + O * In + O, g + O * In + O + V * O}, output_cache,
                    dlogits.data(), out.data());
    return out;
  };
  expect_one_higher("OutputLayer::backward", output_backward(0.f), output_backward(1.f));
  // Initial state: dh and its weights.
  const InitialState initial(C, D);
  ParameterLayout layout;
  initial.declare(layout);
  auto init_params = random_floats(layout.total_size(), rng);
  EncoderState memory;
  memory.rows = N;
  memory.steps = S;
  memory.lengths = lengths;
  memory.h = memory_h;
  const auto wi = initial.bind(layout, static_cast<const float*>(init_params.data()));
  std::vector<float> mean(N * C), s0(N * D);
  initial.forward(wi, memory, mean.data(), s0.data());
  const auto initial_backward = [&](float start) {
    std::vector<float> out(N * S * C + layout.total_size(), start);
    initial.backward(wi, initial.bind(layout, out.data() + N * S * C), memory, mean.data(), s0.data(),
                     dh.data(), out.data());
    return out;
  };
  expect_one_higher("InitialState::backward", initial_backward(0.f), initial_backward(1.f));
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
