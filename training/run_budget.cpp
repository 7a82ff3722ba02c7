// run_budget.cpp — the budget spent and the time left, from max_epochs, max_steps, max_minutes.
#include "training/run_budget.hpp"

#include <algorithm>
#include <limits>

namespace nmt {

const char* budget_key(Budget budget) {
  switch (budget) {
    case Budget::steps: return "max_steps";
    case Budget::minutes: return "max_minutes";
    case Budget::epochs: break;
  }
  return "max_epochs";
}

double budget_share_used(const TrainConfig& config, const RunPosition& position) {
  double used = position.epochs / config.max_epochs;
  if (config.max_steps > 0) used = std::max(used, static_cast<double>(position.steps) / config.max_steps);
  if (config.max_minutes > 0) used = std::max(used, position.seconds / (60 * config.max_minutes));
  return std::min(1.0, used);
}

TimeLeft run_time_left(const TrainConfig& config, const RunPosition& position, double seconds_per_batch,
                   double batches_per_epoch) {
  const double pace = seconds_per_batch > 0 ? seconds_per_batch : std::numeric_limits<double>::quiet_NaN();
  TimeLeft left{std::max(0.0, config.max_epochs - position.epochs) * batches_per_epoch * pace, Budget::epochs};
  const auto consider = [&](double seconds, Budget budget) {
    if (seconds < left.seconds) left = {seconds, budget};  // never while the pace (and so left) is NaN
  };
  if (config.max_steps > 0)
    consider(static_cast<double>(std::max<std::int64_t>(0, config.max_steps - position.steps)) * pace, Budget::steps);
  if (config.max_minutes > 0) consider(std::max(0.0, 60 * config.max_minutes - position.seconds), Budget::minutes);
  return left;
}

}  // namespace nmt
