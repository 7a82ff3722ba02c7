// sentencepiece_model.cpp — SentencePiece training and processing in memory.
#include "tokenizer/sentencepiece_model.hpp"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace nmt {
namespace {

// Feeds SentencePiece's trainer from a vector instead of a file.
class VectorSentenceIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorSentenceIterator(const std::vector<const std::vector<std::string>*>& parts)
      : parts_(parts) {
    skip_exhausted_parts();
  }
  bool done() const override { return part_ >= parts_.size(); }
  void Next() override {
    ++index_;
    skip_exhausted_parts();
  }
  const std::string& value() const override { return (*parts_[part_])[index_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  void skip_exhausted_parts() {
    while (part_ < parts_.size() && index_ >= parts_[part_]->size()) {
      ++part_;
      index_ = 0;
    }
  }
  std::vector<const std::vector<std::string>*> parts_;
  std::size_t part_ = 0;
  std::size_t index_ = 0;
};

// SentencePiece's own names for our settings.
std::string spm_name(SubwordAlgorithm algorithm) {
  switch (algorithm) {
    case SubwordAlgorithm::bpe: return "bpe";
    case SubwordAlgorithm::unigram: break;
  }
  return "unigram";
}

std::string spm_name(TextNormalization normalization) {
  switch (normalization) {
    case TextNormalization::nfkc: return "nfkc";
    case TextNormalization::identity: return "identity";
    case TextNormalization::nmt_nfkc: break;
  }
  return "nmt_nfkc";
}

std::unordered_map<std::string, std::string> trainer_arguments(const TokenizerConfig& config) {
  return {
      {"model_type", spm_name(config.algorithm)},
      {"vocab_size", std::to_string(config.vocab_size)},
      {"hard_vocab_limit", "false"},  // small corpora get as many pieces as they support
      {"character_coverage", std::to_string(config.character_coverage)},
      {"byte_fallback", config.byte_fallback ? "true" : "false"},
      {"normalization_rule_name", spm_name(config.normalization)},
      {"input_sentence_size", std::to_string(config.max_sentences)},
      {"shuffle_input_sentence", "true"},
      {"num_threads", std::to_string(std::max(1, config.threads))},
      {"pad_id", std::to_string(SpecialIds::pad)},
      {"unk_id", std::to_string(SpecialIds::unk)},
      {"bos_id", std::to_string(SpecialIds::bos)},
      {"eos_id", std::to_string(SpecialIds::eos)},
      {"pad_piece", "<pad>"},
      {"unk_piece", "<unk>"},
      {"bos_piece", "<s>"},
      {"eos_piece", "</s>"},
      {"minloglevel", "2"},
  };
}

SentencePieceModel train_on(const std::vector<const std::vector<std::string>*>& parts,
                            const TokenizerConfig& config) {
  sentencepiece::SetRandomGeneratorSeed(config.seed);
  VectorSentenceIterator iterator(parts);
  if (iterator.done()) throw std::runtime_error("tokenizer: cannot train on an empty corpus");
  std::string serialized;
  const auto status =
      sentencepiece::SentencePieceTrainer::Train(trainer_arguments(config), &iterator, &serialized);
  if (!status.ok()) throw std::runtime_error("tokenizer training failed: " + status.ToString());
  return SentencePieceModel::from_serialized(std::move(serialized));
}

}  // namespace

SentencePieceModel::SentencePieceModel(
    std::shared_ptr<sentencepiece::SentencePieceProcessor> processor, std::string serialized)
    : processor_(std::move(processor)), serialized_(std::move(serialized)) {}

SentencePieceModel SentencePieceModel::train(const std::vector<std::string>& sentences,
                                             const TokenizerConfig& config) {
  return train_on({&sentences}, config);
}

SentencePieceModel SentencePieceModel::from_serialized(std::string serialized_proto) {
  auto processor = std::make_shared<sentencepiece::SentencePieceProcessor>();
  sentencepiece::util::Status status;
  try {
    status = processor->LoadFromSerializedProto(serialized_proto);
  } catch (const std::exception& e) {
    // Its trie builder throws on some malformed models (an empty piece) instead of
    // returning a status (found by fuzz/fuzz_tokenizer_bytes.cpp).
    throw std::runtime_error(std::string("not a valid SentencePiece model: ") + e.what());
  }
  if (!status.ok())
    throw std::runtime_error("not a valid SentencePiece model: " + status.ToString());
  if (processor->pad_id() != SpecialIds::pad || processor->unk_id() != SpecialIds::unk ||
      processor->bos_id() != SpecialIds::bos || processor->eos_id() != SpecialIds::eos)
    throw std::runtime_error(
        "SentencePiece model has special ids pad/unk/bos/eos = " +
        std::to_string(processor->pad_id()) + "/" + std::to_string(processor->unk_id()) + "/" +
        std::to_string(processor->bos_id()) + "/" + std::to_string(processor->eos_id()) +
        "; nmt needs 0/1/2/3");
  return SentencePieceModel(std::move(processor), std::move(serialized_proto));
}

std::vector<int> SentencePieceModel::encode(std::string_view text) const {
  std::vector<int> ids;
  const auto status = processor_->Encode(text, &ids);
  if (!status.ok()) throw std::runtime_error("tokenizer: encode failed: " + status.ToString());
  return ids;
}

std::vector<std::string> SentencePieceModel::encode_pieces(std::string_view text) const {
  std::vector<std::string> pieces;
  const auto status = processor_->Encode(text, &pieces);
  if (!status.ok()) throw std::runtime_error("tokenizer: encode failed: " + status.ToString());
  return pieces;
}

std::string SentencePieceModel::decode(const std::vector<int>& ids) const {
  const int size = vocab_size();
  for (const int id : ids)
    if (id < 0 || id >= size)
      throw std::out_of_range("tokenizer: id " + std::to_string(id) + " outside vocabulary of " +
                              std::to_string(size));
  std::string text;
  const auto status = processor_->Decode(ids, &text);
  if (!status.ok()) throw std::runtime_error("tokenizer: decode failed: " + status.ToString());
  return text;
}

int SentencePieceModel::vocab_size() const { return processor_->GetPieceSize(); }

std::string SentencePieceModel::piece(int id) const { return processor_->IdToPiece(id); }

Vocabularies train_vocabularies(const std::vector<std::string>& source_sentences,
                                const std::vector<std::string>& target_sentences,
                                const TokenizerConfig& config) {
  if (config.joint) {
    SentencePieceModel joint = train_on({&source_sentences, &target_sentences}, config);
    return {joint, joint};
  }
  return {train_on({&source_sentences}, config), train_on({&target_sentences}, config)};
}

}  // namespace nmt
