// beam_search.hpp — batched beam search with length normalisation and n-best lists.
//
// Each sentence keeps up to beam_size live hypotheses; at every step the best
// beam_size - (finished so far) extensions of its live hypotheses are kept (ranked by the
// sum of log-probabilities), and an extension that ends in eos is finished — so the beam
// narrows as hypotheses end, and a sentence is done when its beam is empty or it reaches
// its length limit (live hypotheses are then finished as they stand); as in greedy
// search, eos cannot be the first piece. Finished hypotheses are ranked by
// score / length^length_penalty (length counts eos). All live hypotheses of all
// sentences of a batch advance in one decoder step. The network may be an ensemble
// (decoding/ensemble.hpp): its averaged log-probabilities are ranked as one network's.
#pragma once

#include <vector>

#include "decoding/greedy_search.hpp"

namespace nmt {

// The n-best lists (config.nbest each, best first) of one batch of sources (none empty).
std::vector<std::vector<Hypothesis>> beam_search_batch(const Ensemble& ensemble,
                                                       const std::vector<std::vector<int>>& sources,
                                                       const SearchConfig& config, bool keep_alignment);
std::vector<std::vector<Hypothesis>> beam_search_batch(const RnnSearch& network, const float* parameters,
                                                       const std::vector<std::vector<int>>& sources,
                                                       const SearchConfig& config, bool keep_alignment);

// Any number of sentences, sorted by length into batches of config.batch_size and
// returned in input order. An empty source gives one empty hypothesis.
std::vector<std::vector<Hypothesis>> beam_search(const Ensemble& ensemble, const std::vector<std::vector<int>>& sources,
                                                 const SearchConfig& config, bool keep_alignment = false);
std::vector<std::vector<Hypothesis>> beam_search(const RnnSearch& network, const float* parameters,
                                                 const std::vector<std::vector<int>>& sources,
                                                 const SearchConfig& config, bool keep_alignment = false);

// The length penalty of a finished hypothesis, length^alpha (length with eos), and its
// ranking score, score / length_penalty.
double length_penalty(const Hypothesis& hypothesis, double alpha);
double normalized_score(const Hypothesis& hypothesis, double alpha);

}  // namespace nmt
