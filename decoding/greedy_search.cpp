// greedy_search.cpp — batched greedy decoding with finished rows dropped.
#include "decoding/greedy_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "decoding/sorted_batches.hpp"
#include "model/special_ids.hpp"

namespace nmt {

int max_output_length(const SearchConfig& config, int source_length) {
  return static_cast<int>(std::ceil(config.max_length_ratio * source_length)) + config.max_length_extra;
}

void forbid_end_at_first_step(std::vector<float>& log_probs, std::size_t rows, int width, int eos_column) {
  for (std::size_t r = 0; r < rows; ++r)
    log_probs[r * static_cast<std::size_t>(width) + static_cast<std::size_t>(eos_column)] =
        -std::numeric_limits<float>::infinity();
}

std::vector<Hypothesis> greedy_search_batch(const Ensemble& ensemble, const std::vector<std::vector<int>>& sources,
                                            const SearchConfig& config, bool keep_alignment) {
  EnsembleState state = ensemble.start(sources, config.shortlist);
  const int V = state.columns(ensemble.target_vocab());  // the width of a step's log-probabilities
  std::vector<Hypothesis> out(sources.size());
  std::vector<int> rows(sources.size());  // sentence of each active row
  std::iota(rows.begin(), rows.end(), 0);
  std::vector<int> tokens(sources.size(), SpecialIds::bos);
  for (int t = 0; !rows.empty(); ++t) {
    EnsembleStep step = ensemble.step(state, tokens);
    if (t == 0) forbid_end_at_first_step(step.log_probs, rows.size(), V, state.column_of(SpecialIds::eos));
    std::vector<int> keep;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const float* log_probs = step.log_probs.data() + r * V;
      const int column = static_cast<int>(std::max_element(log_probs, log_probs + V) - log_probs);
      const int best = state.token_of(column);
      Hypothesis& h = out[rows[r]];
      h.score += log_probs[column];
      if (keep_alignment) {
        const float* alpha = step.alpha.data() + r * state.steps();
        h.alignment.emplace_back(alpha, alpha + state.lengths()[r]);
      }
      const bool finished = best == SpecialIds::eos;
      if (!finished) h.tokens.push_back(best);
      if (!finished && static_cast<int>(h.tokens.size()) < max_output_length(config, state.lengths()[r]))
        keep.push_back(static_cast<int>(r));
    }
    if (keep.size() != rows.size()) {
      std::vector<int> next_rows(keep.size());
      for (std::size_t k = 0; k < keep.size(); ++k) next_rows[k] = rows[keep[k]];
      if (!keep.empty()) ensemble.select_rows(state, keep);
      rows = std::move(next_rows);
    }
    tokens.assign(rows.size(), 0);
    for (std::size_t k = 0; k < rows.size(); ++k) tokens[k] = out[rows[k]].tokens.back();
  }
  return out;
}

std::vector<Hypothesis> greedy_search_batch(const RnnSearch& network, const float* parameters,
                                            const std::vector<std::vector<int>>& sources,
                                            const SearchConfig& config, bool keep_alignment) {
  return greedy_search_batch(Ensemble(network, parameters), sources, config, keep_alignment);
}

std::vector<Hypothesis> greedy_search(const Ensemble& ensemble, const std::vector<std::vector<int>>& sources,
                                      const SearchConfig& config, bool keep_alignment) {
  std::vector<Hypothesis> out(sources.size());
  for_each_sorted_batch(sources, config.batch_size, [&](const auto& batch, const auto& indices) {
    std::vector<Hypothesis> done = greedy_search_batch(ensemble, batch, config, keep_alignment);
    for (std::size_t i = 0; i < indices.size(); ++i) out[indices[i]] = std::move(done[i]);
  });
  return out;
}

std::vector<Hypothesis> greedy_search(const RnnSearch& network, const float* parameters,
                                      const std::vector<std::vector<int>>& sources,
                                      const SearchConfig& config, bool keep_alignment) {
  return greedy_search(Ensemble(network, parameters), sources, config, keep_alignment);
}

}  // namespace nmt
