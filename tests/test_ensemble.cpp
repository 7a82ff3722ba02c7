// test_ensemble.cpp — ensembles (decoding/ensemble.hpp, app/translator.hpp): a model
// ensembled with itself searches exactly as the model does (greedy, beam, n-best lists,
// scores and attention, bit for bit); two different models (other sizes, another
// attention type) give hypotheses whose scores are the weighted mean of the members'
// teacher-forced log-probabilities (computed by each network's training forward, not by
// the search's step) and whose attention rows are the weighted mean of the members';
// the translator refuses models with another source or target tokenizer or another
// language pair, naming the model and the side, and weights that are not positive.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "app/translator.hpp"
#include "data/quickstart_corpus.hpp"
#include "decoding/beam_search.hpp"
#include "decoding/ensemble.hpp"
#include "model_fixture.hpp"
#include "tokenizer/sentencepiece_model.hpp"

namespace nmt {
namespace {

struct TinyModel {
  RnnSearch network;
  std::vector<float> parameters;
  TinyModel(const ModelConfig& config, std::uint64_t seed)
      : network(config, test::kTinySourceVocab, test::kTinyTargetVocab), parameters(network.initial_parameters(seed)) {
    for (float& w : parameters) w *= 3.f;  // peakier distributions than the initialisation's
  }
};

// Another network for the same vocabularies: other sizes, another attention type.
ModelConfig other_config() {
  ModelConfig config = test::tiny_config(AttentionType::scaled_dot);
  config.embed_dim = 6;
  config.encoder_hidden = 4;
  config.decoder_hidden = 7;
  config.attention_dim = 5;
  config.output_dim = 3;
  return config;
}

std::vector<std::vector<int>> sources(std::uint32_t seed, const std::vector<int>& lengths) {
  std::mt19937 rng(seed);
  return test::random_sentences(lengths, test::kTinySourceVocab, rng);
}

void expect_identical(const Hypothesis& got, const Hypothesis& want, const std::string& what) {
  EXPECT_EQ(got.tokens, want.tokens) << what;
  EXPECT_EQ(got.score, want.score) << what;  // exactly: w·lp + w·lp with w = 1/2 is lp
  EXPECT_EQ(got.alignment, want.alignment) << what;
}

TEST(Ensemble, AModelWithItselfIsTheModelExactly) {
  const TinyModel m(test::tiny_config(AttentionType::additive), 11);
  const auto input = sources(1, {3, 5, 2, 4, 1, 6, 7});
  const Ensemble single(m.network, m.parameters.data());
  for (const double weight : {1.0, 2.5}) {
    const Ensemble twice({{&m.network, m.parameters.data(), weight}, {&m.network, m.parameters.data(), weight}});
    SearchConfig config;
    config.beam_size = 1;
    config.nbest = 1;
    const auto greedy = greedy_search(m.network, m.parameters.data(), input, config, true);
    const auto greedy_twice = greedy_search(twice, input, config, true);
    const auto greedy_single = greedy_search(single, input, config, true);
    for (std::size_t i = 0; i < input.size(); ++i) {
      expect_identical(greedy_twice[i], greedy[i], "greedy, sentence " + std::to_string(i));
      expect_identical(greedy_single[i], greedy[i], "greedy, one member, sentence " + std::to_string(i));
    }
    config.beam_size = 4;
    config.nbest = 4;
    const auto beam = beam_search(m.network, m.parameters.data(), input, config, true);
    const auto beam_twice = beam_search(twice, input, config, true);
    for (std::size_t i = 0; i < input.size(); ++i) {
      ASSERT_EQ(beam_twice[i].size(), beam[i].size()) << "sentence " << i;
      for (std::size_t k = 0; k < beam[i].size(); ++k)
        expect_identical(beam_twice[i][k], beam[i][k], "beam, sentence " + std::to_string(i) + ", rank " +
                                                           std::to_string(k));
    }
  }
}

// log P(tokens eos | source) by the network's teacher-forced training forward.
double teacher_forced_log_probability(const TinyModel& m, const std::vector<int>& source,
                                      const std::vector<int>& tokens) {
  auto cache = m.network.make_cache();
  return -m.network.forward(m.parameters.data(), make_batch({source}, {tokens}), TrainingContext{}, *cache).nll;
}

// The attention rows of `tokens` (eos included) by stepping one member alone.
std::vector<std::vector<float>> member_alignment(const TinyModel& m, const std::vector<int>& source,
                                                 const std::vector<int>& tokens) {
  EncoderState encoder = m.network.encode(m.parameters.data(), make_batch({source}, {}));
  std::vector<float> state = m.network.initial_state(m.parameters.data(), encoder);
  std::vector<std::vector<float>> rows;
  int previous = SpecialIds::bos;
  for (std::size_t t = 0; t <= tokens.size(); ++t) {
    const StepOutput out = m.network.step(m.parameters.data(), encoder, {previous}, state);
    rows.push_back(out.alpha);
    state = out.state;
    if (t < tokens.size()) previous = tokens[t];
  }
  return rows;
}

TEST(Ensemble, TwoModelsScoreTheWeightedMeanOfTheirLogProbabilities) {
  const TinyModel a(test::tiny_config(AttentionType::additive), 11);
  const TinyModel b(other_config(), 23);
  const double wa = 0.7, wb = 0.3;
  const Ensemble ensemble({{&a.network, a.parameters.data(), 7.0}, {&b.network, b.parameters.data(), 3.0}});
  ASSERT_FLOAT_EQ(ensemble.weights()[0], 0.7f);
  const auto input = sources(5, {3, 5, 2, 4, 1, 6});
  SearchConfig config;
  config.max_length_extra = 30;  // room to end with eos
  std::size_t compared = 0;
  const auto check = [&](const std::vector<int>& source, const Hypothesis& h, const std::string& what) {
    if (h.alignment.size() != h.tokens.size() + 1) return;  // cut at the length limit: no eos scored
    ++compared;
    const double want = wa * teacher_forced_log_probability(a, source, h.tokens) +
                        wb * teacher_forced_log_probability(b, source, h.tokens);
    EXPECT_NEAR(h.score, want, 1e-4 * (1 + std::abs(want))) << what;
    const auto rows_a = member_alignment(a, source, h.tokens), rows_b = member_alignment(b, source, h.tokens);
    for (std::size_t t = 0; t < h.alignment.size(); ++t)
      for (std::size_t s = 0; s < source.size(); ++s)
        EXPECT_NEAR(h.alignment[t][s], wa * rows_a[t][s] + wb * rows_b[t][s], 1e-5) << what << ", step " << t;
  };
  config.beam_size = 1;
  config.nbest = 1;
  const auto greedy = greedy_search(ensemble, input, config, true);
  for (std::size_t i = 0; i < input.size(); ++i) check(input[i], greedy[i], "greedy, sentence " + std::to_string(i));
  config.beam_size = 3;
  config.nbest = 3;
  const auto beam = beam_search(ensemble, input, config, true);
  for (std::size_t i = 0; i < input.size(); ++i)
    for (std::size_t k = 0; k < beam[i].size(); ++k)
      check(input[i], beam[i][k], "beam, sentence " + std::to_string(i) + ", rank " + std::to_string(k));
  EXPECT_GE(compared, input.size() * 2) << "too few hypotheses ended with eos to compare";
  // The ensemble is neither member: its greedy output differs from one of theirs somewhere.
  const auto greedy_a = greedy_search(a.network, a.parameters.data(), input, config);
  bool differs = false;
  for (std::size_t i = 0; i < input.size(); ++i) differs = differs || greedy_a[i].score != greedy[i].score;
  EXPECT_TRUE(differs);
}

TEST(Ensemble, RefusesNoMembersBadWeightsAndOtherTargetVocabularies) {
  const TinyModel a(test::tiny_config(AttentionType::additive), 11);
  const RnnSearch wider(test::tiny_config(AttentionType::additive), test::kTinySourceVocab, test::kTinyTargetVocab + 1);
  const std::vector<float> wider_parameters = wider.initial_parameters(1);
  EXPECT_THROW(Ensemble(std::vector<EnsembleMember>{}), std::invalid_argument);
  for (const double weight : {0.0, -1.0, std::nan("")})
    EXPECT_THROW(Ensemble({{&a.network, a.parameters.data(), 1.0}, {&a.network, a.parameters.data(), weight}}),
                 std::invalid_argument);
  try {
    Ensemble({{&a.network, a.parameters.data(), 1.0}, {&wider, wider_parameters.data(), 1.0}});
    ADD_FAILURE() << "another target vocabulary was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "ensemble member 2: target vocabulary of 11 pieces, member 1's has 10");
  }
}

// Translator-level: models with real tokenizers, trained in memory on the quickstart corpus.
class EnsembleTranslator : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    QuickstartCorpusOptions options;
    options.train_size = 2000;
    corpus_ = new QuickstartCorpus(generate_quickstart_corpus(options));
    TokenizerConfig tokenizer;
    tokenizer.algorithm = SubwordAlgorithm::bpe;
    tokenizer.vocab_size = 60;
    vocabularies_ = new Vocabularies(train_vocabularies(corpus_->train.source, corpus_->train.target, tokenizer));
    tokenizer.vocab_size = 50;
    other_ = new Vocabularies(train_vocabularies(corpus_->train.source, corpus_->train.target, tokenizer));
  }
  static void TearDownTestSuite() {
    delete corpus_;
    delete vocabularies_;
    delete other_;
  }

  static LoadedModel model(const Vocabularies& vocabularies, std::uint64_t seed, LanguagePair languages = {"en", "de"}) {
    const ModelConfig config = test::tiny_config(AttentionType::additive);
    auto network =
        std::make_unique<RnnSearch>(config, vocabularies.source.vocab_size(), vocabularies.target.vocab_size());
    std::vector<float> parameters = network->initial_parameters(seed);
    return LoadedModel{config, vocabularies, std::move(network), std::move(parameters), {}, std::move(languages), {}};
  }
  static std::vector<EnsembleModel> pair_of(LoadedModel first, LoadedModel second, double weight = 1) {
    std::vector<EnsembleModel> models;
    models.push_back({"A.nmt", std::move(first), 1});
    models.push_back({"B.nmt", std::move(second), weight});
    return models;
  }
  static std::string refusal(std::vector<EnsembleModel> models) {
    try {
      Translator translator(std::move(models), SearchConfig{});
    } catch (const std::exception& e) {
      return e.what();
    }
    return "accepted";
  }

  static inline QuickstartCorpus* corpus_ = nullptr;
  static inline Vocabularies* vocabularies_ = nullptr;
  static inline Vocabularies* other_ = nullptr;
};

TEST_F(EnsembleTranslator, AModelWithItselfTranslatesAsTheModel) {
  SearchConfig search;
  search.nbest = 3;
  const Translator alone(model(*vocabularies_, 4), search);
  const Translator twice(pair_of(model(*vocabularies_, 4), model(*vocabularies_, 4)), search);
  const std::vector<std::string> lines(corpus_->test.source.begin(), corpus_->test.source.begin() + 20);
  const auto want = alone.translate_nbest(lines, 1, true), got = twice.translate_nbest(lines, 1, true);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ASSERT_EQ(got[i].nbest.size(), want[i].nbest.size()) << lines[i];
    for (std::size_t k = 0; k < want[i].nbest.size(); ++k) {
      EXPECT_EQ(got[i].nbest[k].text, want[i].nbest[k].text) << lines[i];
      EXPECT_EQ(got[i].nbest[k].score, want[i].nbest[k].score) << lines[i];
      EXPECT_EQ(got[i].nbest[k].alignment, want[i].nbest[k].alignment) << lines[i];
    }
  }
  EXPECT_EQ(twice.models().size(), 2u);
  EXPECT_EQ(twice.languages().describe(), "en → de");
}

TEST_F(EnsembleTranslator, RefusesOtherTokenizersAndPairsByName) {
  Vocabularies other_source{other_->source, vocabularies_->target};
  Vocabularies other_target{vocabularies_->source, other_->target};
  EXPECT_EQ(refusal(pair_of(model(*vocabularies_, 1), model(other_source, 2))),
            "'B.nmt' cannot be ensembled with 'A.nmt': its source tokenizer differs (another SentencePiece model)");
  EXPECT_EQ(refusal(pair_of(model(*vocabularies_, 1), model(other_target, 2))),
            "'B.nmt' cannot be ensembled with 'A.nmt': its target tokenizer differs (another SentencePiece model)");
  EXPECT_EQ(refusal(pair_of(model(*vocabularies_, 1), model(*vocabularies_, 2, {"en", "fr"}))),
            "'B.nmt' cannot be ensembled with 'A.nmt': it translates en → fr, not en → de");
  EXPECT_EQ(refusal(pair_of(model(*vocabularies_, 1), model(*vocabularies_, 2, {}))), "accepted");  // pair unknown
  EXPECT_EQ(refusal(pair_of(model(*vocabularies_, 1), model(*vocabularies_, 2), 0)),
            "the weight of 'B.nmt' is 0: it must be a positive number");
}

}  // namespace
}  // namespace nmt
