// checkpoint.hpp — the full training state in one file, written atomically.
//
// The file is formats/checkpoint_file.hpp's: a model file with the Adam moments and
// key/value state. Here the trainer's counters (TrainingState, declared once below) map
// onto "train.KEY" metadata and back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/fields.hpp"
#include "formats/checkpoint_file.hpp"

namespace nmt {

// Where the training loop stands. Randomness needs no saved generator state: dropout
// masks are drawn from (seed, step, batch of the update) and the batch order from
// (seed, epoch). Checkpoints fall on update boundaries only.
struct TrainingState {
  std::int64_t step = 0;             // updates applied
  int epoch = 0;                     // the epoch in progress (0-based)
  std::int64_t batch_in_epoch = 0;   // batches of that epoch already consumed
  std::int64_t adam_steps = 0;
  double lr = 0;                     // base learning rate after plateau decays
  double best_score = -1e300;        // best validation metric so far, higher is better
                                     // (perplexity is stored negated)
  double best_ppl = 0;
  std::int64_t best_step = 0;
  int stalled_validations = 0;       // validations since the last improvement
  int stalled_since_decay = 0;       // the same, reset by each lr decay
  std::int64_t last_validation_step = -1;
  int bad_updates = 0;               // consecutive skipped (non-finite) updates
  std::int64_t batches_per_update = 1;  // processes × train.accumulate of the run that wrote it
  double elapsed_seconds = 0;        // wall time spent training and validating so far
  // The running sums of the log line in progress, so a resumed run logs the same averages.
  double window_loss = 0, window_tokens = 0, window_grad_norm = 0;
  std::int64_t window_updates = 0;

  // Every counter, stored as train.KEY in checkpoints (core/fields.hpp).
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    using I = std::int64_t;
    visit(FieldSpec{"step", "updates applied"}, self.step, at_least<I>(0));
    visit(FieldSpec{"epoch", "the epoch in progress"}, self.epoch, at_least(0));
    visit(FieldSpec{"batch_in_epoch", "batches of the epoch consumed"}, self.batch_in_epoch, at_least<I>(0));
    visit(FieldSpec{"adam_steps", "Adam steps taken"}, self.adam_steps, at_least<I>(0));
    visit(FieldSpec{"lr", "learning rate after decays"}, self.lr, at_least(0.0));
    visit(FieldSpec{"best_score", "best validation metric"}, self.best_score, any_value<double>());
    visit(FieldSpec{"best_ppl", "dev perplexity of the best model"}, self.best_ppl, any_value<double>());
    visit(FieldSpec{"best_step", "step of the best model"}, self.best_step, at_least<I>(0));
    visit(FieldSpec{"stalled_validations", "validations since an improvement"}, self.stalled_validations,
          at_least(0));
    visit(FieldSpec{"stalled_since_decay", "the same since the last decay"}, self.stalled_since_decay,
          at_least(0));
    visit(FieldSpec{"last_validation_step", "step of the last validation"}, self.last_validation_step,
          at_least<I>(-1));
    visit(FieldSpec{"bad_updates", "consecutive skipped updates"}, self.bad_updates, at_least(0));
    visit(FieldSpec{"batches_per_update", "batches per update: processes × accumulate"}, self.batches_per_update,
          at_least<I>(1));
    visit(FieldSpec{"elapsed_seconds", "wall time so far"}, self.elapsed_seconds, at_least(0.0));
    visit(FieldSpec{"window_loss", "loss sum of the log window"}, self.window_loss, any_value<double>());
    visit(FieldSpec{"window_tokens", "tokens of the log window"}, self.window_tokens, any_value<double>());
    visit(FieldSpec{"window_grad_norm", "gradient-norm sum of the log window"}, self.window_grad_norm,
          any_value<double>());
    visit(FieldSpec{"window_updates", "updates of the log window"}, self.window_updates, at_least<I>(0));
  }
  template <class Report>
  static void relations(const TrainingState&, Report&&) {}
};

struct Checkpoint {
  LoadedModel model;
  std::vector<float> first_moment, second_moment;
  TrainingState state;
};

void write_checkpoint(const std::string& path, const RnnSearch& network,
                      const std::vector<float>& parameters, const Vocabularies& vocabularies,
                      const LanguagePair& languages, const std::vector<float>& first_moment,
                      const std::vector<float>& second_moment, const TrainingState& state,
                      const Shortlist& shortlist = Shortlist{});

// Throws FileFormatError (see Container::read), also when the training part is missing
// or out of range (naming the key).
Checkpoint read_checkpoint(const std::string& path);

}  // namespace nmt
