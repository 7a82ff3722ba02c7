// validation.hpp — scoring a model on a held-out set: teacher-forced perplexity, and
// greedy decoding's BLEU and chrF (sacreBLEU-compatible) and exact match.
#pragma once

#include <string>
#include <vector>

#include "data/parallel_corpus.hpp"
#include "model/rnnsearch.hpp"
#include "decoding/search_config.hpp"
#include "training/batcher.hpp"

namespace nmt {

struct HeldOutSet {
  ParallelCorpus text;                       // references as read
  std::vector<std::vector<int>> source_ids;  // every source sentence, for decoding
  TokenizedCorpus pairs;                     // pairs with both sides non-empty, for perplexity
};

HeldOutSet make_held_out_set(ParallelCorpus text, const Vocabularies& vocabularies);

struct HeldOutScores {
  double perplexity = 0;
  double bleu = 0;                       // 0..100, as sacreBLEU
  std::string bleu_details;              // precisions, BP, lengths
  double chrf = 0;                       // chrF2, 0..100, as sacreBLEU
  double exact_match = 0;                // % of hypotheses equal to their reference, 0..100
  std::vector<std::string> hypotheses;   // detokenized, one per sentence
  double seconds = 0;
};

// exp(mean NLL per target token), teacher-forced, over batches of about `batch_tokens`
// target tokens (dropout off, no label smoothing). 0 for no pairs.
double teacher_forced_perplexity(const RnnSearch& network, const std::vector<float>& parameters,
                                 const TokenizedCorpus& pairs, int batch_tokens);

// Perplexity over batches of about `batch_tokens` target tokens; greedy search with
// `search` (its batch_size and length limits) over the whole target vocabulary (never a
// shortlist, whatever search.shortlist says).
HeldOutScores score_held_out(const RnnSearch& network, const std::vector<float>& parameters,
                             const Vocabularies& vocabularies, const HeldOutSet& set,
                             const SearchConfig& search, int batch_tokens);

}  // namespace nmt
