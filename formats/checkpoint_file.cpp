// checkpoint_file.cpp — checkpoints in and out of the model container.
#include "formats/checkpoint_file.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace nmt {
namespace {

namespace fs = std::filesystem;

TensorToWrite moment_tensor(const char* name, const std::vector<float>& values) {
  return TensorToWrite{name, "F32", {static_cast<std::int64_t>(values.size())}, values.data(),
                       values.size() * sizeof(float)};
}

}  // namespace

std::string checkpoint_path(const std::string& run_dir, std::int64_t step) {
  return fmt::format("{}/checkpoints/step-{:09d}.ckpt", run_dir, step);
}

void write_checkpoint_file(const std::string& path, const RnnSearch& network, const std::vector<float>& parameters,
                           const Vocabularies& vocabularies, const LanguagePair& languages,
                           const std::vector<float>& first_moment, const std::vector<float>& second_moment,
                           const std::map<std::string, std::string>& state_metadata, const Shortlist& shortlist) {
  fs::create_directories(fs::path(path).parent_path());
  auto metadata = model_metadata(network.config(), network, shortlist);
  write_language_pair(languages, metadata);
  for (const auto& [key, value] : state_metadata) metadata[key] = value;
  metadata["kind"] = "checkpoint";
  auto tensors = model_tensors(network, parameters, vocabularies, shortlist);
  tensors.push_back(moment_tensor("adam.first_moment", first_moment));
  tensors.push_back(moment_tensor("adam.second_moment", second_moment));
  write_container(path, metadata, tensors);
}

CheckpointFile read_checkpoint_file(const std::string& path) {
  const Container c = read_model_container(path);
  if (c.meta("kind") != "checkpoint")
    throw FileFormatError(FileFormatError::Kind::not_nmt,
                          "'" + path + "' is a model file, not a training checkpoint");
  CheckpointFile out{load_model(c, /*allow_non_finite=*/true), {}, {}};
  const std::size_t size = out.model.network->layout().total_size();
  out.first_moment.resize(size);
  out.second_moment.resize(size);
  c.copy_floats("adam.first_moment", out.first_moment.data(), size);
  c.copy_floats("adam.second_moment", out.second_moment.data(), size);
  return out;
}

bool is_checkpoint_name(const std::string& name) {
  return name.size() == 19 && name.rfind("step-", 0) == 0 && name.substr(14) == ".ckpt";
}

std::vector<std::string> list_checkpoints(const std::string& run_dir) {
  std::vector<std::string> names;
  const fs::path dir = fs::path(run_dir) / "checkpoints";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error))
    if (is_checkpoint_name(entry.path().filename().string())) names.push_back(entry.path().string());
  std::sort(names.begin(), names.end());  // zero-padded step numbers sort by step
  return names;
}

void prune_checkpoints(const std::string& run_dir, int keep) {
  const std::vector<std::string> all = list_checkpoints(run_dir);
  for (std::size_t i = 0; i + static_cast<std::size_t>(keep) < all.size(); ++i) fs::remove(all[i]);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(run_dir) / "checkpoints", error))
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) fs::remove(entry.path(), error);
}

}  // namespace nmt
