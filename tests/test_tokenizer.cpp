// test_tokenizer.cpp — SentencePiece training in memory, special ids and round trips.
#include <gtest/gtest.h>

#include <algorithm>

#include "data/quickstart_corpus.hpp"
#include "test_util.hpp"
#include "tokenizer/sentencepiece_model.hpp"

namespace nmt {
namespace {

// Sentences in several scripts, already NFKC-normalised and single-spaced, so that
// decode(encode(s)) must give s back exactly.
const std::vector<std::string>& multilingual_sentences() {
  static const std::vector<std::string> sentences = {
      "Die Straße ist naß, aber die Füße bleiben trocken.",
      "Größere Grüße aus Köln und Düsseldorf.",
      "Où est le café ? À côté de l'hôtel, près de la forêt.",
      "Les élèves français aiment les crêpes et le garçon.",
      "Příliš žluťoučký kůň úpěl ďábelské ódy.",
      "Dívka čte knihu v zahradě u řeky.",
      "A dog runs 😀 through the park 🐕 quickly.",
      "東京は日本の首都です。",
      "我喜欢学习中文和日本語。",
      "Two men are playing football on a green field.",
  };
  return sentences;
}

std::vector<std::string> repeated(const std::vector<std::string>& sentences, int times) {
  std::vector<std::string> out;
  for (int i = 0; i < times; ++i) out.insert(out.end(), sentences.begin(), sentences.end());
  return out;
}

TokenizerConfig small_config(SubwordAlgorithm algorithm, int vocab_size) {
  TokenizerConfig config;
  config.algorithm = algorithm;
  config.vocab_size = vocab_size;
  return config;
}

void expect_special_ids(const SentencePieceModel& model) {
  EXPECT_EQ(model.piece(SpecialIds::pad), "<pad>");
  EXPECT_EQ(model.piece(SpecialIds::unk), "<unk>");
  EXPECT_EQ(model.piece(SpecialIds::bos), "<s>");
  EXPECT_EQ(model.piece(SpecialIds::eos), "</s>");
}

TEST(Tokenizer, RoundTripsTheQuickstartCorpus) {
  QuickstartCorpusOptions options;
  options.train_size = 3000;
  const QuickstartCorpus corpus = generate_quickstart_corpus(options);
  for (const auto algorithm : {SubwordAlgorithm::bpe, SubwordAlgorithm::unigram}) {
    const Vocabularies vocab =
        train_vocabularies(corpus.train.source, corpus.train.target, small_config(algorithm, 100));
    expect_special_ids(vocab.source);
    expect_special_ids(vocab.target);
    for (const auto* split : {&corpus.train, &corpus.test}) {
      for (std::size_t i = 0; i < split->size(); ++i) {
        ASSERT_EQ(vocab.source.decode(vocab.source.encode(split->source[i])), split->source[i]);
        ASSERT_EQ(vocab.target.decode(vocab.target.encode(split->target[i])), split->target[i]);
      }
    }
  }
}

TEST(Tokenizer, RoundTripsMultilingualText) {
  const auto sentences = repeated(multilingual_sentences(), 20);
  for (const auto algorithm : {SubwordAlgorithm::unigram, SubwordAlgorithm::bpe}) {
    const SentencePieceModel model = SentencePieceModel::train(sentences, small_config(algorithm, 300));
    for (const auto& sentence : multilingual_sentences()) {
      const std::vector<int> ids = model.encode(sentence);
      for (const int id : ids) EXPECT_NE(id, SpecialIds::unk) << sentence;
      EXPECT_EQ(model.decode(ids), sentence);
    }
  }
}

TEST(Tokenizer, ByteFallbackSpellsUnseenCharacters) {
  const auto sentences = repeated({"a small cat sits on the mat", "the dog is big"}, 50);
  const std::string unseen = "the cat 😀 sits on ž";
  TokenizerConfig config = small_config(SubwordAlgorithm::unigram, 300);
  config.byte_fallback = true;
  const SentencePieceModel with_bytes = SentencePieceModel::train(sentences, config);
  EXPECT_EQ(with_bytes.decode(with_bytes.encode(unseen)), unseen);

  config.byte_fallback = false;
  const SentencePieceModel without = SentencePieceModel::train(sentences, config);
  const std::vector<int> ids = without.encode(unseen);
  EXPECT_NE(std::find(ids.begin(), ids.end(), SpecialIds::unk), ids.end());
}

TEST(Tokenizer, JointModelIsSharedAndHasTheSameSpecialIds) {
  TokenizerConfig config = small_config(SubwordAlgorithm::unigram, 200);
  config.joint = true;
  const Vocabularies vocab = train_vocabularies(repeated({"one two three", "four five"}, 30),
                                                repeated({"eins zwei drei", "vier fünf"}, 30), config);
  EXPECT_EQ(vocab.source.serialized(), vocab.target.serialized());
  EXPECT_EQ(vocab.source.decode(vocab.source.encode("vier fünf")), "vier fünf");
  expect_special_ids(vocab.source);
}

TEST(Tokenizer, SerializedModelLoadsBackIdentically) {
  const SentencePieceModel model = SentencePieceModel::train(
      repeated(multilingual_sentences(), 5), small_config(SubwordAlgorithm::unigram, 200));
  const SentencePieceModel loaded = SentencePieceModel::from_serialized(model.serialized());
  for (const auto& sentence : multilingual_sentences())
    EXPECT_EQ(loaded.encode(sentence), model.encode(sentence));
  EXPECT_EQ(loaded.vocab_size(), model.vocab_size());
}

TEST(Tokenizer, SpecialIdsProduceNoText) {
  const SentencePieceModel model = SentencePieceModel::train(
      repeated({"hello world", "hello there"}, 20), small_config(SubwordAlgorithm::bpe, 50));
  std::vector<int> ids = model.encode("hello world");
  ids.insert(ids.begin(), SpecialIds::bos);
  ids.push_back(SpecialIds::eos);
  ids.push_back(SpecialIds::pad);
  EXPECT_EQ(model.decode(ids), "hello world");
}

TEST(Tokenizer, RejectsBadInput) {
  EXPECT_NE(test::message_of<std::runtime_error>([] { SentencePieceModel::from_serialized("not a model"); })
                .find("not a valid SentencePiece model"),
            std::string::npos);
  EXPECT_EQ(test::message_of<std::runtime_error>(
                [] { SentencePieceModel::train({}, small_config(SubwordAlgorithm::unigram, 100)); }),
            "tokenizer: cannot train on an empty corpus");
  const SentencePieceModel model = SentencePieceModel::train(
      repeated({"hello world"}, 10), small_config(SubwordAlgorithm::bpe, 40));
  EXPECT_NE(test::message_of<std::out_of_range>([&] { model.decode({model.vocab_size()}); })
                .find("tokenizer: id " + std::to_string(model.vocab_size()) + " outside vocabulary of "),
            std::string::npos);
  EXPECT_NE(test::message_of<std::out_of_range>([&] { model.decode({-1}); }).find("tokenizer: id -1 outside"),
            std::string::npos);
}

}  // namespace
}  // namespace nmt
