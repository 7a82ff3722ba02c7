// run_budget.hpp — a training run's budget: the run ends at the first of max_epochs,
// max_steps (0: none) and max_minutes (0: none). How much of it is spent (the learning
// rate's anneal reads it) and how long the rest will take (the live line's ETA), as pure
// functions of where the run is.
#pragma once

#include <cstdint>

#include "training/train_config.hpp"

namespace nmt {

// Where a run is: epochs done (the current one's share included), updates done, and
// wall-clock seconds spent over every session.
struct RunPosition {
  double epochs = 0;
  std::int64_t steps = 0;
  double seconds = 0;
};

// The budget that ends a run: train.max_epochs, train.max_steps or train.max_minutes.
enum class Budget { epochs, steps, minutes };
const char* budget_key(Budget budget);  // "max_epochs", "max_steps", "max_minutes"

// The share of the budget spent, 0 to 1: the largest of epochs / max_epochs,
// steps / max_steps and minutes / max_minutes.
double budget_share_used(const TrainConfig& config, const RunPosition& position);

struct TimeLeft {
  double seconds = 0;  // NaN while the pace is unknown
  Budget budget = Budget::epochs;
};

// The time until the first budget ends the run, at `seconds_per_batch` (the pace so far,
// validations included; 0 when unknown) with `batches_per_epoch` batches an epoch, each
// batch one update. An exhausted budget leaves 0 seconds.
TimeLeft run_time_left(const TrainConfig& config, const RunPosition& position, double seconds_per_batch,
                   double batches_per_epoch);

}  // namespace nmt
