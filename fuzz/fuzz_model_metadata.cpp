// fuzz_model_metadata.cpp — fuzz target: the metadata of an otherwise valid model file.
//
// Input: lines "KEY=VALUE" (a line without '=' removes KEY) applied to the metadata of
// the tiny model (fuzz_support), which is then written as a real container and loaded.
// Covers every model.* range check, the language pair (data.source_lang and
// data.target_lang: both, neither, or one; their codes), the vocabulary sizes, the shapes
// a config implies (a huge config must fail before any allocation) and the metadata
// number parsing.
// Property: loading either succeeds or throws FileFormatError naming the file.
#include <cstdint>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "formats/model_file.hpp"
#include "formats/safetensors.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

// The tiny model's metadata and tensors, kept for the whole run.
struct TinyModel {
  nmt::Container container = nmt::Container::parse("tiny.nmt", nmt::fuzz::tiny_model_file());
  std::map<std::string, std::string> metadata = nmt::fuzz::rewritable_metadata(container);
  std::vector<nmt::TensorToWrite> tensors = nmt::fuzz::tensors_of(container);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TinyModel tiny;
  std::map<std::string, std::string> metadata = tiny.metadata;
  std::istringstream lines{std::string(nmt::fuzz::as_text(data, size))};
  for (std::string line; std::getline(lines, line);) {
    const std::size_t equals = line.find('=');
    if (equals == std::string::npos)
      metadata.erase(line);
    else
      metadata[line.substr(0, equals)] = line.substr(equals + 1);
  }
  const nmt::fuzz::ScratchFile file(".nmt");
  try {
    nmt::write_container(file.path(), metadata, tiny.tensors);
  } catch (const std::invalid_argument&) {
    return 0;  // metadata that is not UTF-8 cannot be written (fuzz_container reads such files)
  }
  try {
    const nmt::LoadedModel model = nmt::load_model_file(file.path());
    nmt::fuzz::require(model.parameters.size() == model.network->layout().total_size(), "weights fill the layout");
  } catch (const nmt::FileFormatError& e) {
    nmt::fuzz::require(std::string(e.what()).find(file.path()) != std::string::npos, "the error names the file");
  }
  return 0;
}
