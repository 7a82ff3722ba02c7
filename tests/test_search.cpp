// test_search.cpp — greedy and beam search on tiny random models: beam 1 is greedy, a
// wide beam finds the best sequence exhaustive search finds, no hypothesis ends before
// its first piece, n-best lists are sorted and distinct, and batched search equals one
// sentence at a time.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "decoding/beam_search.hpp"
#include "model_fixture.hpp"
#include "tokenizer/sentencepiece_model.hpp"

namespace nmt {
namespace {

struct TinyModel {
  RnnSearch network{test::tiny_config(AttentionType::additive), test::kTinySourceVocab, test::kTinyTargetVocab};
  std::vector<float> parameters = network.initial_parameters(11);
  TinyModel() {
    // Larger weights than the initialisation gives a peakier, more interesting distribution.
    for (float& w : parameters) w *= 3.f;
  }
};

std::vector<std::vector<int>> sources(std::uint32_t seed, const std::vector<int>& lengths) {
  std::mt19937 rng(seed);
  return test::random_sentences(lengths, test::kTinySourceVocab, rng);
}

// log P(tokens [, eos] | source) by stepping the decoder.
double sequence_score(const TinyModel& m, const std::vector<int>& source, const std::vector<int>& tokens,
                      bool with_eos) {
  EncoderState encoder = m.network.encode(m.parameters.data(), make_batch({source}, {}));
  std::vector<float> state = m.network.initial_state(m.parameters.data(), encoder);
  int previous = SpecialIds::bos;
  double score = 0;
  std::vector<int> sequence = tokens;
  if (with_eos) sequence.push_back(SpecialIds::eos);
  for (const int token : sequence) {
    const StepOutput out = m.network.step(m.parameters.data(), encoder, {previous}, state);
    score += out.log_probs[static_cast<std::size_t>(token)];
    state = out.state;
    previous = token;
  }
  return score;
}

TEST(Search, BeamOfOneIsGreedy) {
  TinyModel m;
  const auto input = sources(1, {3, 5, 2, 4, 1, 6});
  SearchConfig config;
  config.beam_size = 1;
  config.nbest = 1;
  const auto greedy = greedy_search(m.network, m.parameters.data(), input, config);
  const auto beam = beam_search(m.network, m.parameters.data(), input, config);
  for (std::size_t i = 0; i < input.size(); ++i) {
    EXPECT_EQ(beam[i].front().tokens, greedy[i].tokens) << "sentence " << i;
    EXPECT_NEAR(beam[i].front().score, greedy[i].score, 1e-4);
  }
}

TEST(Search, WideBeamFindsTheExhaustiveBest) {
  TinyModel m;
  SearchConfig config;
  config.max_length_ratio = 0.1;  // limit = ceil(0.1 · 2) + 2 = 3 tokens
  config.max_length_extra = 2;
  config.length_penalty = 0;      // rank by the plain sum of log-probabilities
  config.beam_size = 1000;        // more than all 9^3 partial hypotheses
  config.nbest = 1;
  for (const auto& source : sources(2, {2, 2, 2})) {
    ASSERT_EQ(max_output_length(config, 2), 3);
    double best = -1e300;
    std::vector<int> best_tokens;
    std::vector<int> tokens;
    const std::function<void()> enumerate = [&] {
      const bool at_limit = tokens.size() == 3;
      const double score = tokens.empty() ? -1e300  // eos cannot come first
                                          : sequence_score(m, source, tokens, !at_limit);
      if (score > best) {
        best = score;
        best_tokens = tokens;
      }
      if (at_limit) return;
      for (int y = 0; y < test::kTinyTargetVocab; ++y) {
        if (y == SpecialIds::eos) continue;
        tokens.push_back(y);
        enumerate();
        tokens.pop_back();
      }
    };
    enumerate();
    const auto found = beam_search(m.network, m.parameters.data(), {source}, config);
    EXPECT_EQ(found[0].front().tokens, best_tokens);
    EXPECT_NEAR(found[0].front().score, best, 1e-4);
  }
}

// With the output bias of eos raised so that eos is every step's most likely piece, both
// searches still give each sentence at least one piece, then end at once.
TEST(Search, NoHypothesisEndsBeforeItsFirstPiece) {
  TinyModel m;
  m.parameters[m.network.layout().find("output.b_z").offset + SpecialIds::eos] = 1000.f;
  const auto input = sources(5, {3, 1, 6});
  SearchConfig config;
  config.beam_size = 1;
  for (const Hypothesis& h : greedy_search(m.network, m.parameters.data(), input, config))
    EXPECT_EQ(h.tokens.size(), 1u);
  config.beam_size = 4;
  config.nbest = 4;
  for (const auto& nbest : beam_search(m.network, m.parameters.data(), input, config)) {
    ASSERT_EQ(nbest.size(), 4u);
    for (const Hypothesis& h : nbest) EXPECT_EQ(h.tokens.size(), 1u);
  }
}

TEST(Search, NbestListsAreSortedAndDistinct) {
  TinyModel m;
  SearchConfig config;
  config.beam_size = 6;
  config.nbest = 6;
  for (const auto& nbest : beam_search(m.network, m.parameters.data(), sources(3, {4, 7, 2}), config)) {
    ASSERT_EQ(nbest.size(), 6u);
    std::set<std::vector<int>> distinct;
    for (std::size_t k = 0; k < nbest.size(); ++k) {
      distinct.insert(nbest[k].tokens);
      if (k > 0) {
        EXPECT_GE(normalized_score(nbest[k - 1], 1.0), normalized_score(nbest[k], 1.0));
      }
    }
    EXPECT_EQ(distinct.size(), nbest.size());
  }
}

TEST(Search, BatchedEqualsOneByOneAndKeepsInputOrder) {
  TinyModel m;
  const auto input = sources(4, {5, 1, 7, 3, 3, 6, 2});
  SearchConfig config;
  config.beam_size = 4;
  config.nbest = 2;
  config.batch_size = 3;
  const auto batched = beam_search(m.network, m.parameters.data(), input, config);
  for (std::size_t i = 0; i < input.size(); ++i) {
    const auto alone = beam_search(m.network, m.parameters.data(), {input[i]}, config);
    ASSERT_EQ(alone[0].size(), batched[i].size());
    for (std::size_t k = 0; k < alone[0].size(); ++k) {
      EXPECT_EQ(alone[0][k].tokens, batched[i][k].tokens) << "sentence " << i;
      EXPECT_NEAR(alone[0][k].score, batched[i][k].score, 1e-4);
    }
  }
  const auto greedy_batched = greedy_search(m.network, m.parameters.data(), input, config);
  for (std::size_t i = 0; i < input.size(); ++i)
    EXPECT_EQ(greedy_search(m.network, m.parameters.data(), {input[i]}, config)[0].tokens, greedy_batched[i].tokens);
}

TEST(Search, EmptySourcesGiveEmptyHypotheses) {
  TinyModel m;
  SearchConfig config;
  const auto out = beam_search(m.network, m.parameters.data(), {{}, {5, 6}, {}}, config);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].front().tokens.empty());
  EXPECT_TRUE(out[2].front().tokens.empty());
  EXPECT_TRUE(greedy_search(m.network, m.parameters.data(), {{}}, config)[0].tokens.empty());
}

}  // namespace
}  // namespace nmt
