// checkpoint.hpp — the full training state in one file, written atomically.
//
// A checkpoint is a model file (formats/model_file.hpp) plus the Adam moments as two F32
// tensors and the loop's counters as "train.*" metadata, so `nmt translate -m` can
// also read it. Files live in RUN_DIR/checkpoints/step-NNNNNNNNN.ckpt; a write goes to
// a temporary file that is fsynced and renamed (the directory fsynced), so after a
// crash at any moment a checkpoint is either complete or absent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "formats/model_file.hpp"

namespace nmt {

// Where the training loop stands. Randomness needs no saved generator state: dropout
// masks are drawn from (seed, step) and the batch order from (seed, epoch).
struct TrainingState {
  std::int64_t step = 0;             // updates applied
  int epoch = 0;                     // the epoch in progress (0-based)
  std::int64_t batch_in_epoch = 0;   // batches of that epoch already consumed
  std::int64_t adam_steps = 0;
  double lr = 0;                     // base learning rate after plateau decays
  double best_score = -1e300;         // best validation metric so far, higher is better
                                     // (perplexity is stored negated)
  double best_ppl = 0;
  std::int64_t best_step = 0;
  int stalled_validations = 0;       // validations since the last improvement
  int stalled_since_decay = 0;       // the same, reset by each lr decay
  std::int64_t last_validation_step = -1;
  int bad_updates = 0;               // consecutive skipped (non-finite) updates
  double elapsed_seconds = 0;        // wall time spent training and validating so far
  // The running sums of the log line in progress, so a resumed run logs the same averages.
  double window_loss = 0, window_tokens = 0, window_grad_norm = 0;
  std::int64_t window_updates = 0;
};

struct Checkpoint {
  LoadedModel model;
  std::vector<float> first_moment, second_moment;
  TrainingState state;
};

// RUN_DIR/checkpoints/step-NNNNNNNNN.ckpt
std::string checkpoint_path(const std::string& run_dir, std::int64_t step);

void write_checkpoint(const std::string& path, const RnnSearch& network,
                      const std::vector<float>& parameters, const Vocabularies& vocabularies,
                      const std::vector<float>& first_moment, const std::vector<float>& second_moment,
                      const TrainingState& state);

// Throws FileFormatError (see Container::read), also when the training part is missing.
Checkpoint read_checkpoint(const std::string& path);

// The checkpoint files of a run, oldest first (temporary files are not listed).
std::vector<std::string> list_checkpoints(const std::string& run_dir);

// Deletes all but the newest `keep` checkpoints, and stale temporary files.
void prune_checkpoints(const std::string& run_dir, int keep);

}  // namespace nmt
