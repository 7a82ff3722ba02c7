// tokenizer_config.hpp — typed settings for training the SentencePiece models.
//
// Filled and validated by app/ from the [tokenizer] section of a config file.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "core/fields.hpp"

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

  // Every key of [tokenizer] (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"algorithm", "SentencePiece model type"}, self.algorithm, any_value<SubwordAlgorithm>());
    visit(FieldSpec{"vocab_size", "pieces per model (fewer if the corpus cannot support that many)"},
          self.vocab_size, in_range(8, 1000000));
    visit(FieldSpec{"joint", "one model shared by source and target"}, self.joint, any_value<bool>());
    visit(FieldSpec{"character_coverage", "share of the corpus's characters the alphabet must cover"},
          self.character_coverage, in_range(0.9, 1.0));
    visit(FieldSpec{"byte_fallback", "spell unknown characters as UTF-8 byte pieces instead of <unk>"},
          self.byte_fallback, any_value<bool>());
    visit(FieldSpec{"normalization", "Unicode normalization before splitting"}, self.normalization,
          any_value<TextNormalization>());
    visit(FieldSpec{"max_sentences", "sentences sampled to train each model (0 = all)"}, self.max_sentences,
          at_least(0));
    visit(FieldSpec{"threads", "threads for tokenizer training"}, self.threads, in_range(1, 256));
    visit(FieldSpec{"seed", "seed of the sentence sampling"}, self.seed, any_value<std::uint32_t>());
  }
  template <class Report>
  static void relations(const TokenizerConfig&, Report&&) {}
};

}  // namespace nmt
