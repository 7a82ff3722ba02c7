// fuzz_tokenizer_bytes.cpp — fuzz target: the SentencePiece model embedded in a model file.
//
// Input: the bytes stored as "tokenizer.source" of the tiny model (fuzz_support); the
// file is written as a real container and loaded, then the tokenizer encodes and decodes
// a few lines. SentencePiece (a Debian library, not instrumented) sees the bytes only
// after nmt has checked them (tokenizer/sentencepiece_model.cpp). Property: the load
// succeeds or throws FileFormatError; a loaded tokenizer round-trips ids to text.
#include <cstdint>
#include <string>
#include <vector>

#include "formats/model_file.hpp"
#include "formats/safetensors.hpp"
#include "fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const nmt::Container tiny = nmt::Container::parse("tiny.nmt", nmt::fuzz::tiny_model_file());
  const std::string source(nmt::fuzz::as_text(data, size));
  std::vector<nmt::TensorToWrite> tensors = nmt::fuzz::tensors_of(tiny);
  for (nmt::TensorToWrite& tensor : tensors)
    if (tensor.name == "tokenizer.source")
      tensor = {tensor.name, "U8", {static_cast<std::int64_t>(source.size())}, source.data(), source.size()};
  const nmt::fuzz::ScratchFile file(".nmt");
  nmt::write_container(file.path(), nmt::fuzz::rewritable_metadata(tiny), tensors);
  try {
    const nmt::LoadedModel model = nmt::load_model_file(file.path());
    for (const char* line : {"seven hundred and three", "", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac 12"}) {
      const std::vector<int> ids = model.vocabularies.source.encode(line);
      for (const int id : ids) nmt::fuzz::require(id >= 0 && id < model.vocabularies.source.vocab_size(), "ids in range");
      model.vocabularies.source.decode(ids);
      model.vocabularies.source.encode_pieces(line);
    }
  } catch (const nmt::FileFormatError&) {
  }
  // The tokenizer alone, whatever the metadata says (it fails on its own rules).
  try {
    const nmt::SentencePieceModel model = nmt::SentencePieceModel::from_serialized(source);
    const std::vector<int> ids = model.encode("four thousand");
    for (const int id : ids) nmt::fuzz::require(id >= 0 && id < model.vocab_size(), "ids in range");
    model.decode(ids);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
