// vocab_training.cpp — tokenizer training with timing and segmentation statistics.
#include "training/vocab_training.hpp"

#include <algorithm>
#include <chrono>

#include "training/log.hpp"

namespace nmt {

SegmentationStats measure_segmentation(const SentencePieceModel& model,
                                       const std::vector<std::string>& sentences) {
  SegmentationStats stats;
  if (sentences.empty()) return stats;
  std::size_t tokens = 0, unknown = 0, round_trips = 0, lossless = 0;
  for (const auto& sentence : sentences) {
    const std::vector<int> ids = model.encode(sentence);
    const auto unknown_here = static_cast<std::size_t>(std::count(ids.begin(), ids.end(), SpecialIds::unk));
    tokens += ids.size();
    unknown += unknown_here;
    lossless += unknown_here == 0;
    round_trips += model.decode(ids) == sentence;
  }
  const double n = static_cast<double>(sentences.size());
  stats.tokens_per_sentence = static_cast<double>(tokens) / n;
  stats.unknown_rate = tokens ? static_cast<double>(unknown) / static_cast<double>(tokens) : 0.0;
  stats.round_trip_rate = static_cast<double>(round_trips) / n;
  stats.lossless_rate = static_cast<double>(lossless) / n;
  return stats;
}

Vocabularies train_and_report_vocabularies(const ParallelCorpus& corpus,
                                           const TokenizerConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  Vocabularies vocabularies = train_vocabularies(corpus.source, corpus.target, config);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  log::info("tokenizer", "trained {} SentencePiece model{} in {:.1f} s",
            config.joint ? "a joint" : "source and target", config.joint ? "" : "s", seconds);
  struct Side {
    const char* name;
    const SentencePieceModel& model;
    const std::vector<std::string>& text;
  };
  for (const Side& side : {Side{"source", vocabularies.source, corpus.source},
                           Side{"target", vocabularies.target, corpus.target}}) {
    const SegmentationStats stats = measure_segmentation(side.model, side.text);
    log::info("tokenizer",
              "{}: {} pieces; {:.1f} tokens/sentence, {:.3f}% <unk>; sentences that decode to "
              "exactly their text: {:.2f}%, to their normalized text: {:.2f}%",
              side.name, side.model.vocab_size(), stats.tokens_per_sentence,
              100 * stats.unknown_rate, 100 * stats.round_trip_rate, 100 * stats.lossless_rate);
  }
  return vocabularies;
}

}  // namespace nmt
