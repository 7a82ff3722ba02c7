// checkpoint_file.hpp — a checkpoint on disk: a model file plus optimizer moments and
// the trainer's state as key/value metadata.
//
// The container is a model file (formats/model_file.hpp) with kind = "checkpoint", two
// more F32 tensors "adam.first_moment" / "adam.second_moment" over the flat parameter
// buffer, and whatever state metadata the trainer stores (training/checkpoint.hpp maps
// its counters into it), so `nmt translate -m` can also read a checkpoint. Files live in
// RUN_DIR/checkpoints/step-NNNNNNNNN.ckpt and are written atomically: after a crash at
// any moment a checkpoint is either complete or absent.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "formats/model_file.hpp"

namespace nmt {

struct CheckpointFile {
  LoadedModel model;                      // model.metadata holds the state keys too
  std::vector<float> first_moment, second_moment;  // (parameter count) each
};

// RUN_DIR/checkpoints/step-NNNNNNNNN.ckpt
std::string checkpoint_path(const std::string& run_dir, std::int64_t step);

void write_checkpoint_file(const std::string& path, const RnnSearch& network, const std::vector<float>& parameters,
                           const Vocabularies& vocabularies, const LanguagePair& languages,
                           const std::vector<float>& first_moment, const std::vector<float>& second_moment,
                           const std::map<std::string, std::string>& state_metadata, const Shortlist& shortlist);

// Throws FileFormatError (see Container::read), also when PATH is a model file rather
// than a checkpoint.
CheckpointFile read_checkpoint_file(const std::string& path);

// "step-NNNNNNNNN.ckpt": the name of a checkpoint file in RUN_DIR/checkpoints.
bool is_checkpoint_name(const std::string& name);

// The checkpoint files of a run, oldest first (temporary files are not listed).
std::vector<std::string> list_checkpoints(const std::string& run_dir);

// Deletes all but the newest `keep` checkpoints, and stale temporary files.
void prune_checkpoints(const std::string& run_dir, int keep);

}  // namespace nmt
