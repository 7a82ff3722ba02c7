// greedy_search.hpp — greedy decoding of batches of sentences, by one network or an
// ensemble (decoding/ensemble.hpp: the members' log-probabilities averaged at each step).
//
// Each step feeds every unfinished sentence its previous argmax token; a sentence
// finishes at eos or at its length limit, ceil(max_length_ratio · source length) +
// max_length_extra pieces, and finished rows leave the batch so later steps get cheaper.
// The first output piece is never eos (forbid_end_at_first_step): a sentence with pieces
// never translates to nothing, in greedy and in beam search alike. With
// config.shortlist, each sentence chooses among its shortlist's pieces only
// (decoding/shortlist.hpp; the ensemble must have a shortlist).
#pragma once

#include <vector>

#include "decoding/ensemble.hpp"
#include "decoding/search_config.hpp"
#include "model/rnnsearch.hpp"

namespace nmt {

struct Hypothesis {
  std::vector<int> tokens;  // target ids, without bos and eos
  double score = 0;         // sum of the log-probabilities (eos included when produced)
  // Attention weights, one row per output step (eos included): (steps, source length).
  std::vector<std::vector<float>> alignment;
};

// The output length limit of a source of `source_length` pieces.
int max_output_length(const SearchConfig& config, int source_length);

// Makes eos (column eos_column) unselectable in each of `rows` rows of `log_probs`
// (rows, width): applied to the first decoder step, so no hypothesis of a non-empty
// source ends before its first piece.
void forbid_end_at_first_step(std::vector<float>& log_probs, std::size_t rows, int width, int eos_column);

// Greedy translations of `sources` (token ids without bos/eos, none empty), one batch.
std::vector<Hypothesis> greedy_search_batch(const Ensemble& ensemble, const std::vector<std::vector<int>>& sources,
                                            const SearchConfig& config, bool keep_alignment);
std::vector<Hypothesis> greedy_search_batch(const RnnSearch& network, const float* parameters,
                                            const std::vector<std::vector<int>>& sources,
                                            const SearchConfig& config, bool keep_alignment);

// Any number of sentences: sorted by length, in batches of config.batch_size, returned
// in input order. Empty sources give empty hypotheses.
std::vector<Hypothesis> greedy_search(const Ensemble& ensemble, const std::vector<std::vector<int>>& sources,
                                      const SearchConfig& config, bool keep_alignment = false);
std::vector<Hypothesis> greedy_search(const RnnSearch& network, const float* parameters,
                                      const std::vector<std::vector<int>>& sources,
                                      const SearchConfig& config, bool keep_alignment = false);

}  // namespace nmt
