// model_fixture.hpp — tiny models and padded batches for the model tests.
#pragma once

#include <random>
#include <vector>

#include "model/batch.hpp"
#include "model/model_config.hpp"
#include "model/rnnsearch.hpp"

namespace nmt::test {

constexpr int kTinySourceVocab = 9, kTinyTargetVocab = 10;

inline ModelConfig tiny_config(AttentionType attention) {
  ModelConfig config;
  config.embed_dim = 4;
  config.encoder_hidden = 3;
  config.decoder_hidden = 5;
  config.attention_dim = 4;
  config.output_dim = 4;
  config.attention = attention;
  config.dropout = 0.3;
  return config;
}

// Random sentences (ids 4.. vocab-1, i.e. no special ids) of the given lengths.
inline std::vector<std::vector<int>> random_sentences(const std::vector<int>& lengths, int vocab,
                                                      std::mt19937& rng) {
  std::uniform_int_distribution<int> id(4, vocab - 1);
  std::vector<std::vector<int>> out;
  for (const int length : lengths) {
    std::vector<int> sentence(length);
    for (auto& t : sentence) t = id(rng);
    out.push_back(sentence);
  }
  return out;
}

// Three pairs of different lengths, so padding sits inside the batch on both sides.
inline Batch tiny_batch(std::uint32_t seed = 3) {
  std::mt19937 rng(seed);
  return make_batch(random_sentences({5, 2, 4}, kTinySourceVocab, rng),
                    random_sentences({3, 5, 1}, kTinyTargetVocab, rng));
}

}  // namespace nmt::test
