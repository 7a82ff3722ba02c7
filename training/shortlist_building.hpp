// shortlist_building.hpp — a lexical shortlist (decoding/shortlist.hpp) from tokenized
// training pairs.
//
// Association: IBM Model 1's translation probabilities t(target | source), with a NULL
// source, after kIbm1Iterations EM iterations started from uniform over the pairs of
// pieces that share a sentence. Raw co-occurrence counts would rank the most frequent
// target pieces first for every source piece (".", "ein", "eine", ...), which the F
// frequent pieces cover anyway; EM explains those by the other source pieces and NULL,
// and leaves each source piece the pieces that translate it.
//
//   frequent   the F most frequent target pieces (token counts; ties by id), no special id
//   per source the T target pieces of highest t(e | f), leaving out the frequent ones and
//              the special ids (every list has them), ties by id; a source piece never
//              seen in training lists none
//
// Deterministic: the same pairs give the same lists on every run and machine.
#pragma once

#include <vector>

#include "decoding/shortlist.hpp"

namespace nmt {

constexpr int kIbm1Iterations = 5;

// sources[i], targets[i]: the ids of pair i without bos/eos (ids below the vocabularies'
// sizes). Throws std::invalid_argument for lists of different lengths or an id out of range.
Shortlist build_shortlist(const std::vector<std::vector<int>>& sources, const std::vector<std::vector<int>>& targets,
                          int source_vocab, int target_vocab, const ShortlistConfig& config);

}  // namespace nmt
