// training_curve.hpp — the SVG picture of a run's metrics (RUN_DIR/curve.svg).
//
// Two panels: train loss and the dev metric by update step (loss on the left axis, the
// metric on the right), and the dev metric by wall-clock minutes. Every axis has its
// ticks at round values — multiples of 1, 2 or 5 × 10^k (or 2.5 × 10^k from 25 up) —
// and its range widened to whole ticks.
#pragma once

#include <string>
#include <vector>

#include "training/metrics_log.hpp"

namespace nmt {

// The SVG of the training curve. The metric is dev BLEU, or dev exact match (in %) when
// `exact_match` is set.
std::string training_curve_svg(const std::vector<MetricsRecord>& records, bool exact_match = false);

// An axis from `low` to `high` (low <= high) in round ticks of `step`.
struct TickAxis {
  double low = 0, high = 1, step = 1;
  std::vector<double> ticks() const;
};

// The smallest round step that covers [low, high] in at most `max_intervals` ticks, and
// the range widened to whole steps. An empty range becomes [low, low + 1].
TickAxis round_ticks(double low, double high, int max_intervals);

// A tick's label: the value with as many decimals as the step needs, no trailing zeros
// ("0", "250", "2.5", "0.05").
std::string tick_label(double value, double step);

}  // namespace nmt
