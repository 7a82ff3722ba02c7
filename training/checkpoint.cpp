// checkpoint.cpp — training state to and from the model container.
#include "training/checkpoint.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace nmt {
namespace {

namespace fs = std::filesystem;

// Doubles round-trip exactly through 17 significant digits.
std::string exact(double value) { return fmt::format("{:.17g}", value); }

std::map<std::string, std::string> state_metadata(const TrainingState& s) {
  return {
      {"kind", "checkpoint"},
      {"train.step", std::to_string(s.step)},
      {"train.epoch", std::to_string(s.epoch)},
      {"train.batch_in_epoch", std::to_string(s.batch_in_epoch)},
      {"train.adam_steps", std::to_string(s.adam_steps)},
      {"train.lr", exact(s.lr)},
      {"train.best_score", exact(s.best_score)},
      {"train.best_ppl", exact(s.best_ppl)},
      {"train.best_step", std::to_string(s.best_step)},
      {"train.stalled_validations", std::to_string(s.stalled_validations)},
      {"train.stalled_since_decay", std::to_string(s.stalled_since_decay)},
      {"train.last_validation_step", std::to_string(s.last_validation_step)},
      {"train.bad_updates", std::to_string(s.bad_updates)},
      {"train.elapsed_seconds", exact(s.elapsed_seconds)},
      {"train.window_loss", exact(s.window_loss)},
      {"train.window_tokens", exact(s.window_tokens)},
      {"train.window_grad_norm", exact(s.window_grad_norm)},
      {"train.window_updates", std::to_string(s.window_updates)},
  };
}

TrainingState state_from(const Container& c) {
  const auto number = [&](const std::string& key) { return c.meta_number(key); };
  const auto integer = [&](const std::string& key) { return static_cast<std::int64_t>(number(key)); };
  TrainingState s;
  s.step = integer("train.step");
  s.epoch = static_cast<int>(integer("train.epoch"));
  s.batch_in_epoch = integer("train.batch_in_epoch");
  s.adam_steps = integer("train.adam_steps");
  s.lr = number("train.lr");
  s.best_score = number("train.best_score");
  s.best_ppl = number("train.best_ppl");
  s.best_step = integer("train.best_step");
  s.stalled_validations = static_cast<int>(integer("train.stalled_validations"));
  s.stalled_since_decay = static_cast<int>(integer("train.stalled_since_decay"));
  s.last_validation_step = integer("train.last_validation_step");
  s.bad_updates = static_cast<int>(integer("train.bad_updates"));
  s.elapsed_seconds = number("train.elapsed_seconds");
  s.window_loss = number("train.window_loss");
  s.window_tokens = number("train.window_tokens");
  s.window_grad_norm = number("train.window_grad_norm");
  s.window_updates = integer("train.window_updates");
  return s;
}

bool is_checkpoint_name(const std::string& name) {
  return name.size() == 19 && name.rfind("step-", 0) == 0 && name.substr(14) == ".ckpt";
}

}  // namespace

std::string checkpoint_path(const std::string& run_dir, std::int64_t step) {
  return fmt::format("{}/checkpoints/step-{:09d}.ckpt", run_dir, step);
}

void write_checkpoint(const std::string& path, const RnnSearch& network,
                      const std::vector<float>& parameters, const Vocabularies& vocabularies,
                      const std::vector<float>& first_moment, const std::vector<float>& second_moment,
                      const TrainingState& state) {
  fs::create_directories(fs::path(path).parent_path());
  auto metadata = model_metadata(network.config(), network);
  for (auto& [key, value] : state_metadata(state)) metadata[key] = value;
  auto tensors = model_tensors(network, parameters, vocabularies);
  const auto moment = [](const char* name, const std::vector<float>& values) {
    return TensorToWrite{name, "F32", {static_cast<std::int64_t>(values.size())}, values.data(),
                         values.size() * sizeof(float)};
  };
  tensors.push_back(moment("adam.first_moment", first_moment));
  tensors.push_back(moment("adam.second_moment", second_moment));
  write_container(path, metadata, tensors);
}

Checkpoint read_checkpoint(const std::string& path) {
  const Container c = Container::read(path);
  if (c.meta("kind") != "checkpoint")
    throw FileFormatError(FileFormatError::Kind::not_nmt,
                          "'" + path + "' is a model file, not a training checkpoint");
  Checkpoint out{load_model(c), {}, {}, state_from(c)};
  const std::size_t size = out.model.network->layout().total_size();
  out.first_moment.resize(size);
  out.second_moment.resize(size);
  c.copy_floats("adam.first_moment", out.first_moment.data(), size);
  c.copy_floats("adam.second_moment", out.second_moment.data(), size);
  return out;
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
