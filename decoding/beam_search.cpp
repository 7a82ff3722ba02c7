// beam_search.cpp — the shrinking beam of beam_search.hpp, batched over sentences.
#include "decoding/beam_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "decoding/sorted_batches.hpp"
#include "model/special_ids.hpp"

namespace nmt {
namespace {

// One live hypothesis: a row of the decoder batch.
struct Live {
  int sentence = 0;
  Hypothesis hypothesis;
};

struct Candidate {
  double score;
  int row, token;  // token: a column of the step's log-probabilities (its id without a shortlist)
};

// The ids of the `count` largest entries of p[0, V), largest first (ties: lower id
// first). One pass: most entries fail the comparison with the current k-th best, so
// this costs about V comparisons, not V log k as a heap or partial_sort does.
void top_ids(const float* p, int V, int count, std::vector<int>& ids) {
  ids.clear();
  const std::size_t k = static_cast<std::size_t>(std::min(count, V));
  for (int v = 0; v < V; ++v) {
    if (ids.size() == k && !(p[v] > p[ids.back()])) continue;
    if (ids.size() == k) ids.pop_back();
    auto at = ids.end();
    while (at != ids.begin() && p[*(at - 1)] < p[v]) --at;
    ids.insert(at, v);
  }
}

// The best `count` (row, token) extensions among `rows` of log_probs (rows, V).
std::vector<Candidate> best_extensions(const std::vector<int>& rows, const std::vector<Live>& live,
                                       const float* log_probs, int V, int count) {
  std::vector<Candidate> pool;
  std::vector<int> ids;
  for (const int row : rows) {
    const float* p = log_probs + static_cast<std::size_t>(row) * V;
    top_ids(p, V, count, ids);
    for (const int id : ids)
      if (p[id] != -std::numeric_limits<float>::infinity())  // a forbidden piece (the first step's eos)
        pool.push_back({live[static_cast<std::size_t>(row)].hypothesis.score + p[id], row, id});
  }
  const std::size_t keep = std::min(pool.size(), static_cast<std::size_t>(count));
  std::partial_sort(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(keep), pool.end(),
                    [](const Candidate& a, const Candidate& b) {
                      return a.score != b.score ? a.score > b.score : (a.row != b.row ? a.row < b.row : a.token < b.token);
                    });
  pool.resize(keep);
  return pool;
}

}  // namespace

double length_penalty(const Hypothesis& hypothesis, double alpha) {
  return alpha == 0 ? 1.0 : std::pow(static_cast<double>(hypothesis.tokens.size() + 1), alpha);
}

double normalized_score(const Hypothesis& hypothesis, double alpha) {
  return hypothesis.score / length_penalty(hypothesis, alpha);
}

std::vector<std::vector<Hypothesis>> beam_search_batch(const Ensemble& ensemble,
                                                       const std::vector<std::vector<int>>& sources,
                                                       const SearchConfig& config, bool keep_alignment) {
  const int K = std::max(1, config.beam_size);
  const std::size_t sentences = sources.size();
  EnsembleState state = ensemble.start(sources, config.shortlist);
  const int V = state.columns(ensemble.target_vocab());  // the width of a step's log-probabilities
  std::vector<int> limit(sentences);
  for (std::size_t s = 0; s < sentences; ++s)
    limit[s] = max_output_length(config, static_cast<int>(sources[s].size()));

  std::vector<Live> live(sentences);
  for (std::size_t s = 0; s < sentences; ++s) live[s].sentence = static_cast<int>(s);
  std::vector<std::vector<Hypothesis>> finished(sentences);
  std::vector<int> tokens(sentences, SpecialIds::bos);

  for (bool first_step = true; !live.empty(); first_step = false) {
    EnsembleStep step = ensemble.step(state, tokens);
    if (first_step) forbid_end_at_first_step(step.log_probs, live.size(), V, state.column_of(SpecialIds::eos));
    // Rows of each sentence (rows of one sentence are contiguous).
    std::vector<Live> next;
    std::vector<int> parents;
    for (std::size_t begin = 0; begin < live.size();) {
      std::size_t end = begin;
      const int s = live[begin].sentence;
      while (end < live.size() && live[end].sentence == s) ++end;
      std::vector<int> rows(end - begin);
      std::iota(rows.begin(), rows.end(), static_cast<int>(begin));
      const int width = K - static_cast<int>(finished[static_cast<std::size_t>(s)].size());
      for (const Candidate& c : best_extensions(rows, live, step.log_probs.data(), V, width)) {
        const int token = state.token_of(c.token);
        Hypothesis h = live[static_cast<std::size_t>(c.row)].hypothesis;
        h.score = c.score;
        if (keep_alignment) {
          const float* alpha = step.alpha.data() + static_cast<std::size_t>(c.row) * state.steps();
          h.alignment.emplace_back(alpha, alpha + state.lengths()[static_cast<std::size_t>(c.row)]);
        }
        if (token == SpecialIds::eos) {
          finished[static_cast<std::size_t>(s)].push_back(std::move(h));
          continue;
        }
        h.tokens.push_back(token);
        if (static_cast<int>(h.tokens.size()) >= limit[static_cast<std::size_t>(s)]) {
          finished[static_cast<std::size_t>(s)].push_back(std::move(h));  // length limit: ends here
          continue;
        }
        next.push_back({s, std::move(h)});
        parents.push_back(c.row);
      }
      begin = end;
    }
    if (next.empty()) break;
    ensemble.select_rows(state, parents);
    tokens.resize(next.size());
    for (std::size_t r = 0; r < next.size(); ++r) tokens[r] = next[r].hypothesis.tokens.back();
    live = std::move(next);
  }

  for (auto& list : finished) {
    std::stable_sort(list.begin(), list.end(), [&](const Hypothesis& a, const Hypothesis& b) {
      return normalized_score(a, config.length_penalty) > normalized_score(b, config.length_penalty);
    });
    if (static_cast<int>(list.size()) > config.nbest) list.resize(static_cast<std::size_t>(config.nbest));
  }
  return finished;
}

std::vector<std::vector<Hypothesis>> beam_search_batch(const RnnSearch& network, const float* parameters,
                                                       const std::vector<std::vector<int>>& sources,
                                                       const SearchConfig& config, bool keep_alignment) {
  return beam_search_batch(Ensemble(network, parameters), sources, config, keep_alignment);
}

std::vector<std::vector<Hypothesis>> beam_search(const Ensemble& ensemble, const std::vector<std::vector<int>>& sources,
                                                 const SearchConfig& config, bool keep_alignment) {
  std::vector<std::vector<Hypothesis>> out(sources.size(), std::vector<Hypothesis>(1));
  for_each_sorted_batch(sources, config.batch_size, [&](const auto& batch, const auto& indices) {
    auto done = beam_search_batch(ensemble, batch, config, keep_alignment);
    for (std::size_t i = 0; i < indices.size(); ++i) out[indices[i]] = std::move(done[i]);
  });
  return out;
}

std::vector<std::vector<Hypothesis>> beam_search(const RnnSearch& network, const float* parameters,
                                                 const std::vector<std::vector<int>>& sources,
                                                 const SearchConfig& config, bool keep_alignment) {
  return beam_search(Ensemble(network, parameters), sources, config, keep_alignment);
}

}  // namespace nmt
