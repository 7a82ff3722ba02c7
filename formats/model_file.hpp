// model_file.hpp — nmt's self-contained model file (.nmt): config, tokenizers, weights.
//
// A safetensors container (formats/safetensors.hpp) holding
//   metadata  kind = "model", model.* (every ModelConfig key), vocab sizes, the
//             language pair (data.source_lang, data.target_lang: language_pair.hpp;
//             absent from older files), and whatever the writer adds (training summary);
//   tensors   every parameter by its layout name (F32, its shape), and the two
//             SentencePiece models as U8 tensors "tokenizer.source"/"tokenizer.target";
//             optionally a shortlist (decoding/shortlist.hpp): I32 tensors
//             "shortlist.frequent" (F), "shortlist.offsets" (source vocabulary + 1),
//             "shortlist.targets", and metadata shortlist.per_source (absent from files
//             without one, which load with an empty shortlist).
// Checkpoints are the same file with more tensors and metadata (training/checkpoint.hpp),
// so a checkpoint also loads as a model.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "decoding/shortlist.hpp"
#include "formats/language_pair.hpp"
#include "model/model_config.hpp"
#include "model/rnnsearch.hpp"
#include "formats/safetensors.hpp"
#include "tokenizer/sentencepiece_model.hpp"

namespace nmt {

// A model ready to translate.
struct LoadedModel {
  ModelConfig config;
  Vocabularies vocabularies;
  std::unique_ptr<RnnSearch> network;
  std::vector<float> parameters;  // network->layout()
  std::map<std::string, std::string> metadata;
  LanguagePair languages;         // unknown for a file written before they were recorded
  Shortlist shortlist;            // empty when the file has none
};

// The tensors and metadata of a model: add them to a container being written.
// `parameters` and `shortlist` must outlive the returned tensors; an empty shortlist
// writes none.
std::vector<TensorToWrite> model_tensors(const RnnSearch& network, const std::vector<float>& parameters,
                                         const Vocabularies& vocabularies, const Shortlist& shortlist = Shortlist{});
// With a shortlist, its metadata key too.
std::map<std::string, std::string> model_metadata(const ModelConfig& config, const RnnSearch& network,
                                                  const Shortlist& shortlist = Shortlist{});

// Writes a model file atomically; `extra` metadata is stored beside the model's own
// (the language pair is written only when known).
void write_model_file(const std::string& path, const RnnSearch& network,
                      const std::vector<float>& parameters, const Vocabularies& vocabularies,
                      const LanguagePair& languages, const std::map<std::string, std::string>& extra = {},
                      const Shortlist& shortlist = Shortlist{});

// Reads the model part of a verified container (a model file or a checkpoint).
// Throws FileFormatError when a key or tensor is missing or malformed.
// Non-finite weights are refused naming the tensor, unless `allow_non_finite` (a
// training checkpoint, whose trainer has its own guard against non-finite updates).
LoadedModel load_model(const Container& container, bool allow_non_finite = false);
// Container::read(PATH) after a stat of PATH: a missing path is refused with the reason
// ("cannot open 'PATH': No such file or directory"), a directory, FIFO, socket or device
// (FileFormatError, unreadable) naming PATH and what it is, without being opened.
Container read_model_container(const std::string& path);
// Reads and verifies PATH (see read_model_container and Container::read for the errors).
LoadedModel load_model_file(const std::string& path);

}  // namespace nmt
