// test_reference_network.cpp — the network's whole forward pass against an independent
// double-precision reference (tests/reference_network.hpp): the teacher-forced loss and
// every activation on the way (encoder layers, s_0, attention weights, contexts, states,
// output probabilities), the same with dropout masks, the decoding step() on plain and
// reordered rows, and greedy search with its alignments — for every attention type, with
// tied and untied embeddings, on a tiny two-layer model and a padded batch.
//
// The finite-difference tests (test_model_gradients) prove that backward matches forward;
// this one proves that forward computes docs/model.md's formulas.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "decoding/greedy_search.hpp"
#include "model/batch.hpp"
#include "model/rnnsearch.hpp"
#include "model/special_ids.hpp"
#include "reference_network.hpp"

namespace nmt {
namespace {

// Tolerance on every comparison: |network − reference| ≤ kTolerance · max(|reference|, kFloor),
// i.e. relative for values of at least kFloor, and 1e-5 absolute below.
//
// The network computes in float (ε = 6e-8), with the vectorised exp, tanh and sigmoid of
// model/fast_math.hpp (within 5e-7 relative) and oneDNN's f32 GEMMs and GRU. Each value
// here sits behind at most ~25 dependent nonlinear operations (two encoder layers of up to
// 5 steps, then up to 6 decoder steps), each a handful of products of length ≤ 19 with
// O(1) terms: a few 1e-7 relative errors per operation, hardly amplified by tanh and σ
// (slopes ≤ 1) and by these moderately scaled weights. The largest error seen, printed by
// each test, is below 3e-6 — over 30 times below kTolerance, room for another CPU's GEMM
// kernels and summation orders — while a wrong formula (a dropped bias, c_n outside the
// reset product, a missing 1/√C, y' dropped out once instead of twice) moved values by
// 1e-2 to 1 when tried.
//
// The floor: a value near zero (a state component u·s + (1 − u)·n that crosses zero, a
// context of terms of both signs) carries the absolute rounding error of its O(1) terms,
// about 1e-7, not an error relative to itself; measuring it against itself would blow
// that up (a state of 0.005 showed 1e-5 "relative"). Below 0.1 it is measured against 0.1.
constexpr double kTolerance = 1e-4;
constexpr double kFloor = 0.1;

constexpr int kSourceVocab = 11, kTargetVocab = 13;

struct Variant {
  AttentionType attention;
  bool tied;
};

std::string variant_name(const Variant& v) {
  const char* attention = v.attention == AttentionType::additive ? "additive"
                          : v.attention == AttentionType::dot    ? "dot"
                                                                 : "scaled_dot";
  return std::string(attention) + (v.tied ? "_tied" : "_untied");
}

// E 5, H 4 (C 8), 2 layers, D 6, A 3, O 7 untied (every size distinct, so a transposed
// or mis-sized read shows) or O = E = 5 tied.
ModelConfig tiny_config(const Variant& v) {
  ModelConfig config;
  config.embed_dim = 5;
  config.encoder_hidden = 4;
  config.encoder_layers = 2;
  config.decoder_hidden = 6;
  config.attention_dim = 3;
  config.output_dim = v.tied ? 5 : 7;
  config.attention = v.attention;
  config.tie_embeddings = v.tied;
  config.dropout = 0.0;
  return config;
}

// Every tensor, biases included (the initialisation leaves them at zero, which would hide
// a missing one). Matrices uniform in ±2.5/√fan_in: pre-activations of about 1.4 times
// their inputs' spread, so tanh and σ work in their curved range, neither linear nor
// saturated. The weights that scale the attention scores (v_a, W_q) three times that:
// at the plain scale the scores of different positions lie a fraction of a unit apart,
// α is nearly uniform and a wrong score would hardly show (U_a and W_a stay plain, so
// the additive tanh is not saturated); expect_non_trivial checks the regime. Biases ±0.5,
// embeddings ±1.
std::vector<float> random_parameters(const RnnSearch& model, std::uint32_t seed) {
  std::vector<float> params(model.layout().total_size(), 0.f);
  std::mt19937 rng(seed);
  for (const ParameterTensor& t : model.layout().tensors()) {
    const std::string last = t.name.substr(t.name.rfind('.') + 1);
    double scale;
    if (t.name.rfind("embed.", 0) == 0)
      scale = 1.0;
    else if (last[0] == 'b')  // bias, b_x, b_h, b, b_a, b_o, b_z
      scale = 0.5;
    else  // v_a (A) as a (1, A) matrix, GRU (in, 3, out), dense (out, in)
      scale = 2.5 / std::sqrt(static_cast<double>(t.shape.size() == 2 ? t.shape[1] : t.shape[0]));
    if (t.name == "attention.v_a" || t.name == "attention.W_q") scale *= 3;
    std::uniform_real_distribution<double> dist(-scale, scale);
    for (std::size_t i = 0; i < t.size; ++i) params[t.offset + i] = static_cast<float>(dist(rng));
  }
  return params;
}

std::vector<std::vector<int>> random_sentences(const std::vector<int>& lengths, int vocab, std::mt19937& rng) {
  std::uniform_int_distribution<int> id(4, vocab - 1);  // no special ids
  std::vector<std::vector<int>> out;
  for (const int length : lengths) {
    std::vector<int> s(length);
    for (auto& x : s) x = id(rng);
    out.push_back(s);
  }
  return out;
}

// Three pairs of different lengths on both sides: padding inside the batch, sources of 5,
// 2 and 4 pieces, targets of 3, 5 and 1 (4, 6 and 2 positions with eos).
struct Pairs {
  std::vector<std::vector<int>> sources, targets;
};
Pairs tiny_pairs() {
  std::mt19937 rng(11);
  Pairs p;
  p.sources = random_sentences({5, 2, 4}, kSourceVocab, rng);
  p.targets = random_sentences({3, 5, 1}, kTargetVocab, rng);
  return p;
}

// The worst relative error over many comparisons, with where it happened.
class Comparison {
 public:
  explicit Comparison(std::string what) : what_(std::move(what)) {}
  template <class Where>
  void add(double actual, double expected, Where&& where) {
    ++count_;
    const double error = std::abs(actual - expected) / std::max(std::abs(expected), kFloor);
    if (!(error <= worst_)) {  // NaN counts as worst
      worst_ = std::isnan(error) ? INFINITY : error;
      std::ostringstream s;
      where(s);
      s << ": network " << actual << ", reference " << expected;
      where_ = s.str();
    }
  }
  void expect_within(double tolerance) const {
    EXPECT_GT(count_, 0u) << what_;
    EXPECT_LE(worst_, tolerance) << what_ << ": worst relative error at " << where_;
    std::printf("  %-34s %5zu values, worst relative error %.2e at %s\n", what_.c_str(), count_, worst_,
                where_.c_str());
  }

 private:
  std::string what_, where_;
  double worst_ = 0;
  std::size_t count_ = 0;
};

// The reference must not be checked in a regime where a wrong formula would hardly show:
// attention far from uniform somewhere, output distributions far from flat.
void expect_non_trivial(const std::vector<test::ReferenceNetwork::Sentence>& sentences) {
  double alpha_spread = 0, score_spread = 0, log_prob_spread = 1e9;
  for (const auto& s : sentences)
    for (const auto& step : s.steps) {
      const auto [a_min, a_max] = std::minmax_element(step.alpha.begin(), step.alpha.end());
      alpha_spread = std::max(alpha_spread, *a_max - *a_min);
      const auto [e_min, e_max] = std::minmax_element(step.scores.begin(), step.scores.end());
      score_spread = std::max(score_spread, *e_max - *e_min);
      const auto [p_min, p_max] = std::minmax_element(step.log_probs.begin(), step.log_probs.end());
      log_prob_spread = std::min(log_prob_spread, *p_max - *p_min);
    }
  std::printf("  reference: largest spread of attention weights %.3f, of scores %.3f;"
              " smallest of log-probabilities %.3f\n",
              alpha_spread, score_spread, log_prob_spread);
  EXPECT_GT(alpha_spread, 0.1) << "attention nearly uniform everywhere: scale the parameters up";
  EXPECT_GT(score_spread, 0.5) << "attention scores nearly equal everywhere: scale the parameters up";
  EXPECT_GT(log_prob_spread, 0.5) << "an output distribution nearly flat: scale the parameters up";
}

class NetworkAgainstReference : public ::testing::TestWithParam<Variant> {
 protected:
  NetworkAgainstReference()
      : config_(tiny_config(GetParam())),
        model_(config_, kSourceVocab, kTargetVocab),
        params_(random_parameters(model_, 1234)),
        reference_(config_, kSourceVocab, kTargetVocab, model_.layout(), params_.data()),
        pairs_(tiny_pairs()) {}

  ModelConfig config_;
  RnnSearch model_;
  std::vector<float> params_;
  test::ReferenceNetwork reference_;
  Pairs pairs_;
};

// Teacher forcing over the padded batch: the loss sums, each sentence's loss on its own,
// and every activation the network keeps in its cache, at the real positions.
TEST_P(NetworkAgainstReference, TeacherForcedForward) {
  const Batch batch = make_batch(pairs_.sources, pairs_.targets);
  const int B = batch.batch, S = batch.source_steps, C = 2 * config_.encoder_hidden, D = config_.decoder_hidden,
            V = kTargetVocab;
  for (const double smoothing : {0.0, 0.1}) {
    SCOPED_TRACE("label_smoothing " + std::to_string(smoothing));
    TrainingContext context;
    context.label_smoothing = static_cast<float>(smoothing);
    auto cache = model_.make_cache();
    const LossSums sums = model_.forward(params_.data(), batch, context, *cache);

    std::vector<test::ReferenceNetwork::Sentence> expected;
    for (int b = 0; b < B; ++b)
      expected.push_back(reference_.teacher_forced(pairs_.sources[b], pairs_.targets[b], smoothing));
    expect_non_trivial(expected);

    Comparison encoder("encoder h, every layer"), s0("s_0"), alpha("attention weights"),
        contexts("contexts c_t"), states("states s_t"), probs("output probabilities"),
        loss("loss sums"), per_sentence("per-sentence loss");
    for (int b = 0; b < B; ++b) {
      const auto& ref = expected[b];
      const int len = batch.source_lengths[b];
      for (int l = 0; l < config_.encoder_layers; ++l)
        for (int j = 0; j < len; ++j)
          for (int c = 0; c < C; ++c)
            encoder.add(cache->encoder.outputs[l][(b * S + j) * C + c], ref.memory.layers[l][j * C + c],
                        [&](std::ostream& o) { o << "layer " << l << " sentence " << b << " j " << j << " c " << c; });
      for (int d = 0; d < D; ++d)
        s0.add(cache->states[b * D + d], ref.s0[d], [&](std::ostream& o) { o << "sentence " << b << " d " << d; });
      for (int t = 0; t < batch.target_lengths[b]; ++t) {
        const auto& step = ref.steps[t];
        const int row = t * B + b;
        for (int j = 0; j < S; ++j) {
          const float got = cache->steps.alphas[row * S + j];
          if (j < len)
            alpha.add(got, step.alpha[j], [&](std::ostream& o) { o << "sentence " << b << " t " << t << " j " << j; });
          else
            EXPECT_EQ(got, 0.f) << "attention on padding: sentence " << b << " t " << t << " j " << j;
        }
        for (int c = 0; c < C; ++c)
          contexts.add(cache->steps.contexts[row * C + c], step.context[c],
                       [&](std::ostream& o) { o << "sentence " << b << " t " << t << " c " << c; });
        for (int d = 0; d < D; ++d)
          states.add(cache->states[(row + B) * D + d], step.state[d],
                     [&](std::ostream& o) { o << "sentence " << b << " t " << t + 1 << " d " << d; });
      }
    }
    // The output rows are the real positions packed in (t, b) order.
    ASSERT_EQ(cache->positions.size(), batch.target_tokens());
    for (std::size_t i = 0; i < cache->positions.size(); ++i) {
      const int t = cache->positions[i] / B, b = cache->positions[i] % B;
      ASSERT_EQ(cache->targets[i], expected[b].outputs[t]);
      for (int v = 0; v < V; ++v)
        probs.add(cache->probs[i * V + v], std::exp(expected[b].steps[t].log_probs[v]),
                  [&](std::ostream& o) { o << "sentence " << b << " t " << t << " v " << v; });
    }
    double loss_sum = 0, nll_sum = 0;
    for (const auto& ref : expected) {
      loss_sum += ref.loss;
      nll_sum += ref.nll;
    }
    loss.add(sums.loss, loss_sum, [](std::ostream& o) { o << "loss"; });
    loss.add(sums.nll, nll_sum, [](std::ostream& o) { o << "nll"; });
    if (smoothing == 0.0) {
      EXPECT_EQ(sums.loss, sums.nll);
    }
    // Each sentence alone (a batch of one, no padding anywhere).
    for (int b = 0; b < B; ++b) {
      const LossSums alone =
          model_.forward(params_.data(), make_batch({pairs_.sources[b]}, {pairs_.targets[b]}), context, *cache);
      per_sentence.add(alone.loss, expected[b].loss, [&](std::ostream& o) { o << "sentence " << b << " loss"; });
      per_sentence.add(alone.nll, expected[b].nll, [&](std::ostream& o) { o << "sentence " << b << " nll"; });
    }
    for (const Comparison* c : {&encoder, &s0, &alpha, &contexts, &states, &probs, &loss, &per_sentence})
      c->expect_within(kTolerance);
  }
}

// Training's dropout, with the masks the network drew handed to the reference: the loss
// and probabilities agree only if each mask multiplies what docs/model.md says (x, y' once
// at the input and again inside the output layer's input, o_t).
TEST_P(NetworkAgainstReference, TeacherForcedForwardWithDropoutMasks) {
  const Batch batch = make_batch(pairs_.sources, pairs_.targets);
  const int B = batch.batch, S = batch.source_steps, E = config_.embed_dim, O = config_.output_dim,
            In = config_.decoder_hidden + 2 * config_.encoder_hidden + E, V = kTargetVocab;
  const float rate = 0.3f;
  TrainingContext context;
  context.label_smoothing = 0.1f;
  context.dropout = DropoutContext{rate, /*seed=*/17, /*step=*/5};
  auto cache = model_.make_cache();
  const LossSums sums = model_.forward(params_.data(), batch, context, *cache);

  // Every mask element is 0 or the inverted-dropout scale, and some are 0.
  const float keep = 1.f / (1.f - rate);
  std::size_t zeros = 0;
  for (const std::vector<float>* mask :
       {&cache->x_source_mask, &cache->y_mask, &cache->output.input_mask, &cache->output.o_mask}) {
    ASSERT_FALSE(mask->empty());
    for (const float m : *mask) {
      ASSERT_TRUE(m == 0.f || m == keep) << m;
      zeros += m == 0.f;
    }
  }
  EXPECT_GT(zeros, 0u);

  std::vector<test::ReferenceNetwork::Sentence> expected;
  for (int b = 0; b < B; ++b) {
    const int len = batch.source_lengths[b], positions = batch.target_lengths[b];
    test::ReferenceNetwork::Masks masks;
    for (int j = 0; j < len; ++j)  // x (B, S, E)
      for (int e = 0; e < E; ++e) masks.source.push_back(cache->x_source_mask[(b * S + j) * E + e]);
    for (int t = 0; t < positions; ++t)  // y' (T, B, E)
      for (int e = 0; e < E; ++e) masks.target.push_back(cache->y_mask[(t * B + b) * E + e]);
    masks.output_input.resize(static_cast<std::size_t>(positions) * In);
    masks.output.resize(static_cast<std::size_t>(positions) * O);
    for (std::size_t i = 0; i < cache->positions.size(); ++i) {  // (N, In), (N, O) packed
      const int t = cache->positions[i] / B;
      if (cache->positions[i] % B != b) continue;
      std::copy_n(cache->output.input_mask.begin() + i * In, In, masks.output_input.begin() + t * In);
      std::copy_n(cache->output.o_mask.begin() + i * O, O, masks.output.begin() + t * O);
    }
    expected.push_back(reference_.teacher_forced(pairs_.sources[b], pairs_.targets[b], 0.1, masks));
  }

  Comparison probs("output probabilities, dropout"), loss("loss sums, dropout");
  for (std::size_t i = 0; i < cache->positions.size(); ++i) {
    const int t = cache->positions[i] / B, b = cache->positions[i] % B;
    for (int v = 0; v < V; ++v)
      probs.add(cache->probs[i * V + v], std::exp(expected[b].steps[t].log_probs[v]),
                [&](std::ostream& o) { o << "sentence " << b << " t " << t << " v " << v; });
  }
  double loss_sum = 0, nll_sum = 0;
  for (const auto& ref : expected) {
    loss_sum += ref.loss;
    nll_sum += ref.nll;
  }
  loss.add(sums.loss, loss_sum, [](std::ostream& o) { o << "loss"; });
  loss.add(sums.nll, nll_sum, [](std::ostream& o) { o << "nll"; });
  probs.expect_within(kTolerance);
  loss.expect_within(kTolerance);
}

// The search path: encode() and initial_state() on a source-only batch, then step() fed
// arbitrary previous tokens (not only the teacher's), first on the batch's rows, then on
// rows selected and repeated as a beam does (row n reading encoder row index[n]).
TEST_P(NetworkAgainstReference, DecodingSteps) {
  const Batch batch = make_batch(pairs_.sources, {});
  const int S = batch.source_steps, D = config_.decoder_hidden, V = kTargetVocab;
  EncoderState encoder = model_.encode(params_.data(), batch);
  std::vector<float> state = model_.initial_state(params_.data(), encoder);

  std::vector<test::ReferenceNetwork::Memory> memories;
  std::vector<std::vector<double>> ref_states;  // per row (D)
  std::vector<int> sentence_of_row;
  for (std::size_t b = 0; b < pairs_.sources.size(); ++b) {
    memories.push_back(reference_.encode(pairs_.sources[b]));
    ref_states.push_back(reference_.initial_state(memories.back()));
    sentence_of_row.push_back(static_cast<int>(b));
  }
  Comparison s0("s_0, search"), log_probs("step log-probabilities"), alpha("step attention weights"),
      states("step states");
  for (std::size_t r = 0; r < ref_states.size(); ++r)
    for (int d = 0; d < D; ++d)
      s0.add(state[r * D + d], ref_states[r][d], [&](std::ostream& o) { o << "row " << r << " d " << d; });

  std::mt19937 rng(99);
  std::uniform_int_distribution<int> any_token(1, V - 1);
  const std::vector<int> beam_rows = {2, 0, 0, 1};  // applied before step 3
  for (int t = 0; t < 6; ++t) {
    if (t == 3) {
      model_.select_rows(encoder, beam_rows);
      std::vector<float> next;
      std::vector<std::vector<double>> next_ref;
      std::vector<int> next_sentence;
      for (const int r : beam_rows) {
        next.insert(next.end(), state.begin() + r * D, state.begin() + (r + 1) * D);
        next_ref.push_back(ref_states[r]);
        next_sentence.push_back(sentence_of_row[r]);
      }
      state = next;
      ref_states = next_ref;
      sentence_of_row = next_sentence;
    }
    const std::size_t rows = sentence_of_row.size();
    std::vector<int> tokens(rows, SpecialIds::bos);
    if (t > 0)
      for (auto& token : tokens) token = any_token(rng);
    const StepOutput out = model_.step(params_.data(), encoder, tokens, state);
    ASSERT_EQ(out.log_probs.size(), rows * V);
    ASSERT_EQ(out.alpha.size(), rows * S);
    for (std::size_t r = 0; r < rows; ++r) {
      const int sentence = sentence_of_row[r];
      const auto step = reference_.step(memories[sentence], tokens[r], ref_states[r]);
      const auto where = [&](const char* what, int i) {
        return [&, what, i](std::ostream& o) {
          o << "t " << t << " row " << r << " (sentence " << sentence << ") " << what << " " << i;
        };
      };
      for (int v = 0; v < V; ++v) log_probs.add(out.log_probs[r * V + v], step.log_probs[v], where("v", v));
      for (int j = 0; j < S; ++j) {
        if (j < memories[sentence].length)
          alpha.add(out.alpha[r * S + j], step.alpha[j], where("j", j));
        else
          EXPECT_EQ(out.alpha[r * S + j], 0.f) << "attention on padding, t " << t << " row " << r;
      }
      for (int d = 0; d < D; ++d) states.add(out.state[r * D + d], step.state[d], where("d", d));
      ref_states[r] = step.state;
    }
    state = out.state;
  }
  for (const Comparison* c : {&s0, &log_probs, &alpha, &states}) c->expect_within(kTolerance);
}

// Greedy search (rows leave the batch as their sentences reach their length limits) against
// the reference driven greedily: the same tokens, scores and alignments.
TEST_P(NetworkAgainstReference, GreedySearch) {
  SearchConfig search;
  search.beam_size = 1;
  search.max_length_ratio = 1.0;
  search.max_length_extra = 2;  // limits 7, 4 and 6 pieces: rows finish at different steps
  const std::vector<Hypothesis> got = greedy_search_batch(model_, params_.data(), pairs_.sources, search, true);
  ASSERT_EQ(got.size(), pairs_.sources.size());
  Comparison scores("greedy scores"), alignment("greedy alignments");
  for (std::size_t b = 0; b < pairs_.sources.size(); ++b) {
    const auto memory = reference_.encode(pairs_.sources[b]);
    const int limit = static_cast<int>(std::ceil(search.max_length_ratio * memory.length)) + search.max_length_extra;
    std::vector<double> state = reference_.initial_state(memory);
    std::vector<int> tokens;
    std::vector<std::vector<double>> alphas;
    double score = 0;
    int previous = SpecialIds::bos;
    for (;;) {
      auto step = reference_.step(memory, previous, state);
      if (tokens.empty()) step.log_probs[SpecialIds::eos] = -std::numeric_limits<double>::infinity();  // eos cannot come first
      std::vector<double> sorted = step.log_probs;
      std::sort(sorted.rbegin(), sorted.rend());
      ASSERT_GT(sorted[0] - sorted[1], 1e-3) << "near tie in the reference: pick another seed";
      const int best = static_cast<int>(std::max_element(step.log_probs.begin(), step.log_probs.end()) -
                                        step.log_probs.begin());
      score += step.log_probs[best];
      alphas.push_back(step.alpha);
      if (best == SpecialIds::eos) break;
      tokens.push_back(best);
      if (static_cast<int>(tokens.size()) >= limit) break;
      previous = best;
      state = step.state;
    }
    EXPECT_EQ(got[b].tokens, tokens) << "sentence " << b;
    scores.add(got[b].score, score, [&](std::ostream& o) { o << "sentence " << b; });
    ASSERT_EQ(got[b].alignment.size(), alphas.size()) << "sentence " << b;
    for (std::size_t t = 0; t < alphas.size(); ++t) {
      ASSERT_EQ(got[b].alignment[t].size(), static_cast<std::size_t>(memory.length));
      for (int j = 0; j < memory.length; ++j)
        alignment.add(got[b].alignment[t][j], alphas[t][j],
                      [&](std::ostream& o) { o << "sentence " << b << " t " << t << " j " << j; });
    }
  }
  scores.expect_within(kTolerance);
  alignment.expect_within(kTolerance);
}

INSTANTIATE_TEST_SUITE_P(AllVariants, NetworkAgainstReference,
                         ::testing::Values(Variant{AttentionType::additive, false},
                                           Variant{AttentionType::additive, true},
                                           Variant{AttentionType::dot, false},
                                           Variant{AttentionType::dot, true},
                                           Variant{AttentionType::scaled_dot, false},
                                           Variant{AttentionType::scaled_dot, true}),
                         [](const ::testing::TestParamInfo<Variant>& info) { return variant_name(info.param); });

}  // namespace
}  // namespace nmt
