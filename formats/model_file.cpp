// model_file.cpp — model config, tokenizers and weights in and out of a container.
#include "formats/model_file.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "data/file_kind.hpp"
#include "formats/metadata_fields.hpp"

namespace nmt {
namespace {

// A count from the metadata: a whole number from 0 to 2^31 - 1, else the file is corrupted.
int int_value(const Container& c, const std::string& key) {
  const double value = c.meta_number(key);
  if (!(value >= 0 && value <= std::numeric_limits<int>::max()) || value != std::floor(value))
    throw FileFormatError(FileFormatError::Kind::corrupted,
                          fmt::format("'{}': metadata {} should be a whole number from 0 to {}, not '{}'", c.path(),
                                      key, std::numeric_limits<int>::max(), c.meta(key)));
  return static_cast<int>(value);
}

constexpr const char* kShortlistTensors[] = {"shortlist.frequent", "shortlist.offsets", "shortlist.targets"};

TensorToWrite int32_tensor(const char* name, const std::vector<std::int32_t>& values) {
  return {name, "I32", {static_cast<std::int64_t>(values.size())}, values.data(), values.size() * sizeof(std::int32_t)};
}

// The file's shortlist, empty when it has none; a malformed one is refused naming what is wrong.
Shortlist read_shortlist(const Container& c, int source_vocab, int target_vocab) {
  Shortlist out;
  if (!c.has("shortlist.offsets")) return out;
  const auto values = [&](const char* name) {
    const std::vector<std::int64_t>& shape = c.shape(name);
    if (shape.size() != 1)
      throw FileFormatError(FileFormatError::Kind::corrupted,
                            fmt::format("'{}': tensor {} should have one dimension", c.path(), name));
    std::vector<std::int32_t> v(static_cast<std::size_t>(shape.front()));
    c.copy_int32s(name, v.data(), v.size());
    return v;
  };
  out.per_source = int_value(c, "shortlist.per_source");
  out.frequent = values(kShortlistTensors[0]);
  out.offsets = values(kShortlistTensors[1]);
  out.targets = values(kShortlistTensors[2]);
  if (const std::string problem = out.problem(source_vocab, target_vocab); !problem.empty())
    throw FileFormatError(FileFormatError::Kind::corrupted, fmt::format("'{}': shortlist: {}", c.path(), problem));
  return out;
}

}  // namespace

std::map<std::string, std::string> model_metadata(const ModelConfig& config, const RnnSearch& network,
                                                  const Shortlist& shortlist) {
  std::map<std::string, std::string> metadata{
      {"kind", "model"},
      {"source_vocab", std::to_string(network.source_vocab())},
      {"target_vocab", std::to_string(network.target_vocab())},
      {"parameter_count", std::to_string(network.layout().parameter_count())},
  };
  write_fields(config, "model", metadata);
  if (!shortlist.empty()) metadata["shortlist.per_source"] = std::to_string(shortlist.per_source);
  return metadata;
}

std::vector<TensorToWrite> model_tensors(const RnnSearch& network, const std::vector<float>& parameters,
                                         const Vocabularies& vocabularies, const Shortlist& shortlist) {
  std::vector<TensorToWrite> tensors;
  for (const ParameterTensor& t : network.layout().tensors()) {
    TensorToWrite out{t.name, "F32", {}, parameters.data() + t.offset, t.size * sizeof(float)};
    for (const int d : t.shape) out.shape.push_back(d);
    tensors.push_back(std::move(out));
  }
  const std::string& source = vocabularies.source.serialized();
  const std::string& target = vocabularies.target.serialized();
  tensors.push_back({"tokenizer.source", "U8", {static_cast<std::int64_t>(source.size())}, source.data(),
                     source.size()});
  tensors.push_back({"tokenizer.target", "U8", {static_cast<std::int64_t>(target.size())}, target.data(),
                     target.size()});
  if (!shortlist.empty()) {
    tensors.push_back(int32_tensor(kShortlistTensors[0], shortlist.frequent));
    tensors.push_back(int32_tensor(kShortlistTensors[1], shortlist.offsets));
    tensors.push_back(int32_tensor(kShortlistTensors[2], shortlist.targets));
  }
  return tensors;
}

void write_model_file(const std::string& path, const RnnSearch& network,
                      const std::vector<float>& parameters, const Vocabularies& vocabularies,
                      const LanguagePair& languages, const std::map<std::string, std::string>& extra,
                      const Shortlist& shortlist) {
  auto metadata = model_metadata(network.config(), network, shortlist);
  write_language_pair(languages, metadata);
  for (const auto& [key, value] : extra) metadata.emplace(key, value);
  write_container(path, metadata, model_tensors(network, parameters, vocabularies, shortlist));
}

LoadedModel load_model(const Container& c, bool allow_non_finite) {
  ModelConfig config;
  read_fields(c.metadata(), c.path(), "model", config);
  LanguagePair languages = read_language_pair(c.metadata(), c.path());

  const auto tokenizer = [&](const std::string& name) {
    try {
      return SentencePieceModel::from_serialized(std::string(c.bytes(name)));
    } catch (const FileFormatError&) {
      throw;
    } catch (const std::exception& e) {
      throw FileFormatError(FileFormatError::Kind::corrupted,
                            fmt::format("'{}': tensor {} is not a SentencePiece model: {}", c.path(), name, e.what()));
    }
  };
  Vocabularies vocabularies{tokenizer("tokenizer.source"), tokenizer("tokenizer.target")};
  const int source_vocab = int_value(c, "source_vocab"), target_vocab = int_value(c, "target_vocab");
  if (source_vocab != vocabularies.source.vocab_size() || target_vocab != vocabularies.target.vocab_size())
    throw FileFormatError(FileFormatError::Kind::corrupted,
                          fmt::format("'{}': vocabulary sizes in the metadata ({}, {}) differ from the "
                                      "tokenizers' ({}, {})",
                                      c.path(), source_vocab, target_vocab, vocabularies.source.vocab_size(),
                                      vocabularies.target.vocab_size()));
  auto network = std::make_unique<RnnSearch>(config, source_vocab, target_vocab);  // the layout only
  // Every shape is checked against the file's tensors (which the file's size bounds)
  // before the weights are allocated: a config claiming a huge network fails here.
  for (const ParameterTensor& t : network->layout().tensors()) {
    std::vector<std::int64_t> expected(t.shape.begin(), t.shape.end());
    if (c.shape(t.name) != expected)
      throw FileFormatError(FileFormatError::Kind::corrupted,
                            fmt::format("'{}': tensor {} has the wrong shape for its config", c.path(), t.name));
  }
  std::vector<float> parameters(network->layout().total_size(), 0.f);
  for (const ParameterTensor& t : network->layout().tensors()) {
    c.copy_floats(t.name, parameters.data() + t.offset, t.size);
    const float* values = parameters.data() + t.offset;
    const float* bad = std::find_if(values, values + t.size, [](float v) { return !std::isfinite(v); });
    if (!allow_non_finite && bad != values + t.size)
      throw FileFormatError(FileFormatError::Kind::corrupted,
                            fmt::format("'{}': tensor {} holds a non-finite weight ({} at index {})", c.path(),
                                        t.name, *bad, bad - values));
  }
  Shortlist shortlist = read_shortlist(c, source_vocab, target_vocab);
  return LoadedModel{config,       std::move(vocabularies), std::move(network), std::move(parameters),
                     c.metadata(), std::move(languages),    std::move(shortlist)};
}

Container read_model_container(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)  // with the reason, which Container::read does not give
    throw FileFormatError(FileFormatError::Kind::unreadable, "cannot open '" + path + "': " + std::strerror(errno));
  try {
    expect_regular_file(path);  // before open: a FIFO would block it
  } catch (const std::runtime_error& e) {
    throw FileFormatError(FileFormatError::Kind::unreadable, e.what());
  }
  return Container::read(path);
}

LoadedModel load_model_file(const std::string& path) { return load_model(read_model_container(path)); }

}  // namespace nmt
