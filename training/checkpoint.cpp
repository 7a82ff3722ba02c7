// checkpoint.cpp — the trainer's state to and from a checkpoint file's metadata.
#include "training/checkpoint.hpp"

#include "formats/metadata_fields.hpp"

namespace nmt {

void write_checkpoint(const std::string& path, const RnnSearch& network,
                      const std::vector<float>& parameters, const Vocabularies& vocabularies,
                      const LanguagePair& languages, const std::vector<float>& first_moment,
                      const std::vector<float>& second_moment, const TrainingState& state,
                      const Shortlist& shortlist) {
  std::map<std::string, std::string> metadata;
  write_fields(state, "train", metadata);
  write_checkpoint_file(path, network, parameters, vocabularies, languages, first_moment, second_moment, metadata,
                        shortlist);
}

Checkpoint read_checkpoint(const std::string& path) {
  CheckpointFile file = read_checkpoint_file(path);
  TrainingState state;
  // Checkpoints from before gradient accumulation took one batch per update.
  file.model.metadata.try_emplace("train.batches_per_update", "1");
  read_fields(file.model.metadata, path, "train", state);
  return Checkpoint{std::move(file.model), std::move(file.first_moment), std::move(file.second_moment), state};
}

}  // namespace nmt
