// vocab_training.hpp — trains the source/target SentencePiece models of a run and
// reports how they segment the training text.
#pragma once

#include "data/parallel_corpus.hpp"
#include "tokenizer/sentencepiece_model.hpp"
#include "tokenizer/tokenizer_config.hpp"

namespace nmt {

// How one model segments a set of sentences.
struct SegmentationStats {
  double tokens_per_sentence = 0;
  double unknown_rate = 0;      // share of tokens that are <unk>
  double round_trip_rate = 0;   // share of sentences that decode(encode(s)) reproduces exactly
  // Share of sentences without <unk>: these decode to their normalized text (SentencePiece
  // is lossless after normalization, which collapses runs of spaces and applies NFKC).
  double lossless_rate = 0;
};

SegmentationStats measure_segmentation(const SentencePieceModel& model,
                                       const std::vector<std::string>& sentences);

// Trains the models on the corpus and logs sizes, time and segmentation under [tokenizer].
Vocabularies train_and_report_vocabularies(const ParallelCorpus& corpus,
                                           const TokenizerConfig& config);

}  // namespace nmt
