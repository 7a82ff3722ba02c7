// tokenizer_config.hpp — typed settings for training the SentencePiece models.
//
// Filled and validated by app/ from the [tokenizer] section of a config file.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

namespace nmt {

enum class SubwordAlgorithm { unigram, bpe };

constexpr auto enum_names(SubwordAlgorithm) {
  return std::array<std::pair<SubwordAlgorithm, std::string_view>, 2>{
      {{SubwordAlgorithm::unigram, "unigram"}, {SubwordAlgorithm::bpe, "bpe"}}};
}

enum class TextNormalization { nmt_nfkc, nfkc, identity };

constexpr auto enum_names(TextNormalization) {
  return std::array<std::pair<TextNormalization, std::string_view>, 3>{
      {{TextNormalization::nmt_nfkc, "nmt_nfkc"},
       {TextNormalization::nfkc, "nfkc"},
       {TextNormalization::identity, "identity"}}};
}

struct TokenizerConfig {
  SubwordAlgorithm algorithm = SubwordAlgorithm::unigram;
  int vocab_size = 8000;          // pieces per model (an upper bound on small corpora)
  bool joint = false;             // one model for source and target
  double character_coverage = 1.0;  // share of characters covered by the alphabet
  bool byte_fallback = false;     // unknown characters as UTF-8 byte pieces, not <unk>
  TextNormalization normalization = TextNormalization::nmt_nfkc;
  int max_sentences = 1000000;    // sentences sampled for training (0 = all)
  int threads = 2;                // trainer threads
  std::uint32_t seed = 1;         // sampling seed
};

}  // namespace nmt
