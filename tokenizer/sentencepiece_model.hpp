// sentencepiece_model.hpp — one SentencePiece subword model: train, encode, decode.
//
// A model is held as its serialized proto (the bytes of a .model file), so it can be
// trained without touching the disk and embedded in nmt's own model file. Every model
// nmt trains reserves the same special ids, below. SentencePiece itself stays behind
// this header.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/special_ids.hpp"  // the ids every model trained here reserves
#include "tokenizer/tokenizer_config.hpp"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace nmt {

class SentencePieceModel {
 public:
  // Trains on `sentences` in memory. Throws std::runtime_error with SentencePiece's
  // message if training fails (e.g. an empty corpus).
  static SentencePieceModel train(const std::vector<std::string>& sentences,
                                  const TokenizerConfig& config);
  // Loads the bytes of a .model file. Throws if they are not a valid model, or if the
  // model's special ids differ from SpecialIds.
  static SentencePieceModel from_serialized(std::string serialized_proto);

  std::vector<int> encode(std::string_view text) const;
  std::vector<std::string> encode_pieces(std::string_view text) const;
  // Special ids (pad, bos, eos) produce no text.
  std::string decode(const std::vector<int>& ids) const;

  int vocab_size() const;
  std::string piece(int id) const;
  // The bytes of a standard SentencePiece .model file.
  const std::string& serialized() const { return serialized_; }

 private:
  SentencePieceModel(std::shared_ptr<sentencepiece::SentencePieceProcessor> processor,
                     std::string serialized);

  std::shared_ptr<sentencepiece::SentencePieceProcessor> processor_;
  std::string serialized_;
};

// Source and target models; with TokenizerConfig::joint both are the same model.
struct Vocabularies {
  SentencePieceModel source;
  SentencePieceModel target;
};

Vocabularies train_vocabularies(const std::vector<std::string>& source_sentences,
                                const std::vector<std::string>& target_sentences,
                                const TokenizerConfig& config);

}  // namespace nmt
