// test_model_paths.cpp — the same thing computed two ways: padded batches against single
// sentences, masked attention against unpadded attention, the decoding step against
// teacher forcing; and the full model overfitting a handful of pairs.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>

#include "model/attention.hpp"
#include "model/loss.hpp"
#include "model_fixture.hpp"
#include "tokenizer/sentencepiece_model.hpp"
#include "training/adam.hpp"

namespace nmt {
namespace {

std::vector<float> perturbed_parameters(const RnnSearch& model, std::uint32_t seed) {
  std::vector<float> params = model.initial_parameters(seed);
  std::mt19937 rng(seed);
  for (auto& p : params) p += std::uniform_real_distribution<float>(-0.2f, 0.2f)(rng);
  return params;
}

// The layout written out in one list, as RnnSearch's constructor did before each layer
// declared its own tensors: the flat buffer and the initialisation depend on this order.
ParameterLayout layout_in_one_list(const ModelConfig& config, int source_vocab, int target_vocab) {
  const int E = config.embed_dim, H = config.encoder_hidden, C = 2 * H, D = config.decoder_hidden,
            A = config.attention_dim, O = config.output_dim, In = D + C + E;
  ParameterLayout layout;
  layout.add("embed.source", {source_vocab, E}, InitKind::normal_embedding);
  if (config.tie_embeddings)
    layout.add("embed.target", {target_vocab, E}, InitKind::glorot, 1, target_vocab, E);
  else
    layout.add("embed.target", {target_vocab, E}, InitKind::normal_embedding);
  for (int l = 0; l < config.encoder_layers; ++l) {
    const int I = l == 0 ? E : C;
    for (const char* direction : {"fwd", "bwd"}) {
      const std::string prefix = "encoder." + std::to_string(l) + "." + direction + ".";
      layout.add(prefix + "w_x", {I, 3, H}, InitKind::glorot, 1, H, I);
      layout.add(prefix + "w_h", {H, 3, H}, InitKind::orthogonal, 3, H, H);
      layout.add(prefix + "bias", {4, H}, InitKind::zeros);
    }
  }
  layout.add("decoder.init.W", {D, C}, InitKind::glorot, 1, D, C);
  layout.add("decoder.init.b", {D}, InitKind::zeros);
  if (config.attention == AttentionType::additive) {
    layout.add("attention.U_a", {A, C}, InitKind::glorot, 1, A, C);
    layout.add("attention.W_a", {A, D}, InitKind::glorot, 1, A, D);
    layout.add("attention.b_a", {A}, InitKind::zeros);
    layout.add("attention.v_a", {A}, InitKind::glorot, 1, 1, A);
  } else {
    layout.add("attention.W_q", {C, D}, InitKind::glorot, 1, C, D);
  }
  layout.add("decoder.gru.W_y", {E, 3, D}, InitKind::glorot, 1, D, E + C);
  layout.add("decoder.gru.W_c", {C, 3, D}, InitKind::glorot, 1, D, E + C);
  layout.add("decoder.gru.U", {D, 3, D}, InitKind::orthogonal, 3, D, D);
  layout.add("decoder.gru.b_x", {3, D}, InitKind::zeros);
  layout.add("decoder.gru.b_h", {3, D}, InitKind::zeros);
  layout.add("output.W_o", {O, In}, InitKind::glorot, 1, O, In);
  layout.add("output.b_o", {O}, InitKind::zeros);
  if (!config.tie_embeddings) layout.add("output.W_z", {target_vocab, O}, InitKind::glorot, 1, target_vocab, O);
  layout.add("output.b_z", {target_vocab}, InitKind::zeros);
  return layout;
}

TEST(ModelPaths, LayersDeclareTheLayoutInItsOneListOrder) {
  ModelConfig tied = test::tiny_config(AttentionType::dot);
  tied.encoder_layers = 2;
  tied.tie_embeddings = true;  // O = E = 4
  for (const ModelConfig& config : {test::tiny_config(AttentionType::additive), tied}) {
    const RnnSearch model(config, test::kTinySourceVocab, test::kTinyTargetVocab);
    const ParameterLayout expected = layout_in_one_list(config, test::kTinySourceVocab, test::kTinyTargetVocab);
    const auto& got = model.layout().tensors();
    ASSERT_EQ(got.size(), expected.tensors().size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      const ParameterTensor& e = expected.tensors()[i];
      EXPECT_EQ(got[i].name, e.name) << i;
      EXPECT_EQ(got[i].shape, e.shape) << e.name;
      EXPECT_EQ(got[i].offset, e.offset) << e.name;
      EXPECT_EQ(got[i].init, e.init) << e.name;
      EXPECT_EQ(got[i].blocks, e.blocks) << e.name;
      EXPECT_EQ(got[i].fan_out, e.fan_out) << e.name;
      EXPECT_EQ(got[i].fan_in, e.fan_in) << e.name;
    }
    std::vector<float> values;
    expected.initialise(values, 7);
    EXPECT_EQ(model.initial_parameters(7), values);
    // Tied, W_z is the target embedding table itself.
    const float* base = values.data();
    const auto w = model.bind(base);
    EXPECT_EQ(w.output.W_z, config.tie_embeddings ? w.embed_target
                                                  : base + model.layout().find("output.W_z").offset);
  }
}

TEST(ModelPaths, PaddedBatchEqualsEachSentenceAlone) {
  for (const auto attention : {AttentionType::additive, AttentionType::dot}) {
    ModelConfig config = test::tiny_config(attention);
    config.encoder_layers = 2;
    const RnnSearch model(config, test::kTinySourceVocab, test::kTinyTargetVocab);
    const std::vector<float> params = perturbed_parameters(model, 2);
    std::mt19937 rng(5);
    const auto sources = test::random_sentences({5, 2, 4, 1}, test::kTinySourceVocab, rng);
    const auto targets = test::random_sentences({3, 6, 1, 2}, test::kTinyTargetVocab, rng);
    TrainingContext context;  // no dropout: masks would differ between the two layouts
    context.label_smoothing = 0.1f;

    auto cache = model.make_cache();
    const Batch batch = make_batch(sources, targets);
    const LossSums together = model.forward(params.data(), batch, context, *cache);
    std::vector<float> grads_together(params.size(), 0.f);
    model.backward(params.data(), batch, context, *cache, grads_together.data(), 1.f);

    LossSums apart;
    std::vector<float> grads_apart(params.size(), 0.f);
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const Batch single = make_batch({sources[i]}, {targets[i]});
      const LossSums sums = model.forward(params.data(), single, context, *cache);
      apart.loss += sums.loss;
      apart.nll += sums.nll;
      model.backward(params.data(), single, context, *cache, grads_apart.data(), 1.f);
    }
    EXPECT_NEAR(together.loss, apart.loss, 1e-4 * std::abs(apart.loss));
    EXPECT_NEAR(together.nll, apart.nll, 1e-4 * std::abs(apart.nll));
    for (std::size_t i = 0; i < params.size(); ++i)
      ASSERT_NEAR(grads_together[i], grads_apart[i], 1e-5 + 1e-4 * std::abs(grads_apart[i])) << i;
  }
}

TEST(ModelPaths, MaskedAttentionEqualsUnpaddedAttention) {
  std::mt19937 rng(8);
  const int N = 3, S = 6, C = 4, D = 3, A = 5;
  const std::vector<int> lengths = {6, 1, 3};
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  const auto random = [&](std::size_t n) {
    std::vector<float> v(n);
    for (auto& x : v) x = dist(rng);
    return v;
  };
  auto U_a = random(A * C), W_a = random(A * D), b_a = random(A), v_a = random(A);
  const AttentionTensors<const float> w{U_a.data(), W_a.data(), b_a.data(), v_a.data(), nullptr};
  const Attention attention(AttentionType::additive, C, D, A);
  auto h = random(N * S * C), s = random(N * D);
  // Make the padding loud: it must not matter.
  for (int n = 0; n < N; ++n)
    for (int j = lengths[n]; j < S; ++j)
      for (int i = 0; i < C; ++i) h[(n * S + j) * C + i] = 1e3f;
  std::vector<float> keys(N * S * A), q(N * A), alpha(N * S), c(N * C);
  attention.keys_forward(w, N * S, h.data(), keys.data());
  attention.query_forward(w, N, s.data(), q.data());
  attention.context_forward(w, N, S, lengths.data(), nullptr, h.data(), keys.data(), q.data(), alpha.data(), c.data());
  for (int n = 0; n < N; ++n) {
    const int L = lengths[n];
    std::vector<float> h1(h.begin() + n * S * C, h.begin() + (n * S + L) * C);
    std::vector<float> s1(s.begin() + n * D, s.begin() + (n + 1) * D);
    std::vector<float> k1(L * A), q1(A), a1(L), c1(C);
    attention.keys_forward(w, L, h1.data(), k1.data());
    attention.query_forward(w, 1, s1.data(), q1.data());
    attention.context_forward(w, 1, L, &L, nullptr, h1.data(), k1.data(), q1.data(), a1.data(), c1.data());
    for (int j = 0; j < L; ++j) EXPECT_NEAR(alpha[n * S + j], a1[j], 1e-6);
    for (int i = 0; i < C; ++i) EXPECT_NEAR(c[n * C + i], c1[i], 1e-5);
    EXPECT_NEAR(std::accumulate(a1.begin(), a1.end(), 0.f), 1.f, 1e-5);
  }
}

// Stepping the decoder with the gold tokens gives the teacher-forced probabilities.
TEST(ModelPaths, DecodingStepEqualsTeacherForcing) {
  for (const auto attention : {AttentionType::additive, AttentionType::scaled_dot}) {
    const RnnSearch model(test::tiny_config(attention), test::kTinySourceVocab, test::kTinyTargetVocab);
    const std::vector<float> params = perturbed_parameters(model, 4);
    const Batch batch = test::tiny_batch();
    auto cache = model.make_cache();
    const LossSums forced = model.forward(params.data(), batch, TrainingContext{}, *cache);

    EncoderState encoder = model.encode(params.data(), batch);
    std::vector<float> state = model.initial_state(params.data(), encoder);
    double nll = 0;
    for (int t = 0; t < batch.target_steps; ++t) {
      std::vector<int> tokens(batch.batch);
      for (int b = 0; b < batch.batch; ++b) tokens[b] = batch.target_input[b * batch.target_steps + t];
      const StepOutput out = model.step(params.data(), encoder, tokens, state);
      for (int b = 0; b < batch.batch; ++b) {
        float alpha_sum = 0;
        for (int j = 0; j < batch.source_steps; ++j) alpha_sum += out.alpha[b * batch.source_steps + j];
        EXPECT_NEAR(alpha_sum, 1.f, 1e-5);
        if (t < batch.target_lengths[b])
          nll -= out.log_probs[b * model.target_vocab() + batch.target_output[b * batch.target_steps + t]];
      }
      state = out.state;
    }
    EXPECT_NEAR(nll, forced.nll, 1e-4 * forced.nll);
  }
}

TEST(ModelPaths, EncoderStateRowsCanBeSelected) {
  const RnnSearch model(test::tiny_config(AttentionType::additive), test::kTinySourceVocab,
                        test::kTinyTargetVocab);
  const std::vector<float> params = perturbed_parameters(model, 6);
  const Batch batch = test::tiny_batch();
  const EncoderState full = model.encode(params.data(), batch);
  EncoderState picked = full;
  picked.select_rows({2, 2, 0});
  ASSERT_EQ(picked.rows, 3);
  EXPECT_EQ(picked.lengths, (std::vector<int>{batch.source_lengths[2], batch.source_lengths[2],
                                              batch.source_lengths[0]}));
  EXPECT_EQ(picked.source_row, (std::vector<int>{2, 2, 0}));
  picked.select_rows({2, 0});  // composes: decoder rows 2 and 0 read encoder rows 0 and 2
  EXPECT_EQ(picked.source_row, (std::vector<int>{0, 2}));
  EXPECT_EQ(picked.lengths, (std::vector<int>{batch.source_lengths[0], batch.source_lengths[2]}));
  EXPECT_EQ(picked.h, full.h);  // nothing copied

  // A step on the selected rows equals a step of the sentences encoded on their own.
  const std::vector<int> tokens{5, 6};
  const std::vector<float> state = model.initial_state(params.data(), picked);
  const StepOutput selected = model.step(params.data(), picked, tokens, state);
  for (int i = 0; i < 2; ++i) {
    const int sentence = i == 0 ? 0 : 2;
    const Batch alone = make_batch({std::vector<int>(batch.source.begin() + sentence * batch.source_steps,
                                                     batch.source.begin() + sentence * batch.source_steps +
                                                         batch.source_lengths[static_cast<std::size_t>(sentence)])},
                                   {});
    const EncoderState own = model.encode(params.data(), alone);
    const std::vector<float> own_state = model.initial_state(params.data(), own);
    const StepOutput single = model.step(params.data(), own, {tokens[static_cast<std::size_t>(i)]}, own_state);
    const std::size_t V = static_cast<std::size_t>(model.target_vocab());
    for (std::size_t v = 0; v < V; ++v)
      EXPECT_NEAR(selected.log_probs[static_cast<std::size_t>(i) * V + v], single.log_probs[v], 1e-4);
  }
}

// Forward, backward and Adam fit together: a small model learns six pairs by heart.
TEST(ModelPaths, OverfitsAHandfulOfPairs) {
  ModelConfig config;
  config.embed_dim = 16;
  config.encoder_hidden = 16;
  config.decoder_hidden = 32;
  config.attention_dim = 16;
  config.output_dim = 16;
  config.dropout = 0.0;
  const int vocab = 20;
  const RnnSearch model(config, vocab, vocab);
  std::mt19937 rng(12);
  const auto sources = test::random_sentences({4, 6, 3, 5, 7, 2}, vocab, rng);
  const auto targets = test::random_sentences({5, 3, 4, 6, 2, 7}, vocab, rng);
  const Batch batch = make_batch(sources, targets);
  std::vector<float> params = model.initial_parameters(3);
  std::vector<float> grads(params.size());
  Adam adam(params.size(), AdamSettings{});
  auto cache = model.make_cache();
  const TrainingContext context;
  const double tokens = static_cast<double>(batch.target_tokens());
  double first = 0, last = 0;
  for (int step = 0; step < 300; ++step) {
    const LossSums sums = model.forward(params.data(), batch, context, *cache);
    if (step == 0) first = sums.loss / tokens;
    last = sums.loss / tokens;
    std::fill(grads.begin(), grads.end(), 0.f);
    model.backward(params.data(), batch, context, *cache, grads.data(), static_cast<float>(1.0 / tokens));
    adam.update(params, grads, 1e-2);
  }
  EXPECT_GT(first, 2.5);   // about log(20) at the start
  EXPECT_LT(last, 0.02);   // learnt by heart
}

}  // namespace
}  // namespace nmt
