// validation.cpp — perplexity, greedy translation, BLEU, chrF and exact match of a
// held-out set.
#include "training/validation.hpp"

#include <chrono>
#include <cmath>

#include "decoding/greedy_search.hpp"
#include "training/bleu.hpp"
#include "training/chrf.hpp"

namespace nmt {

HeldOutSet make_held_out_set(ParallelCorpus text, const Vocabularies& vocabularies) {
  HeldOutSet set;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::vector<int> source = vocabularies.source.encode(text.source[i]);
    std::vector<int> target = vocabularies.target.encode(text.target[i]);
    if (!source.empty() && !target.empty()) {
      set.pairs.source.push_back(source);
      set.pairs.target.push_back(std::move(target));
    }
    set.source_ids.push_back(std::move(source));
  }
  set.text = std::move(text);
  return set;
}

double teacher_forced_perplexity(const RnnSearch& network, const std::vector<float>& parameters,
                                 const TokenizedCorpus& pairs, int batch_tokens) {
  auto cache = network.make_cache();
  double nll = 0, tokens = 0;
  for (const auto& indices : epoch_batches(pairs, batch_tokens, 0, 0)) {
    const Batch batch = gather_batch(pairs, indices);
    nll += network.forward(parameters.data(), batch, TrainingContext{}, *cache).nll;
    tokens += static_cast<double>(batch.target_tokens());
  }
  return tokens > 0 ? std::exp(nll / tokens) : 0.0;
}

HeldOutScores score_held_out(const RnnSearch& network, const std::vector<float>& parameters,
                             const Vocabularies& vocabularies, const HeldOutSet& set,
                             const SearchConfig& search, int batch_tokens) {
  const auto start = std::chrono::steady_clock::now();
  HeldOutScores scores;
  scores.perplexity = teacher_forced_perplexity(network, parameters, set.pairs, batch_tokens);

  SearchConfig whole_vocabulary = search;  // the model being trained has no shortlist yet
  whole_vocabulary.shortlist = false;
  const std::vector<Hypothesis> hypotheses =
      greedy_search(network, parameters.data(), set.source_ids, whole_vocabulary);
  std::size_t exact = 0;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) {
    scores.hypotheses.push_back(vocabularies.target.decode(hypotheses[i].tokens));
    if (scores.hypotheses.back() == set.text.target[i]) ++exact;
  }
  const BleuScore bleu = corpus_bleu(scores.hypotheses, set.text.target);
  scores.bleu = bleu.score;
  scores.bleu_details = bleu.verbose();
  scores.chrf = corpus_chrf(scores.hypotheses, set.text.target);
  scores.exact_match =
      hypotheses.empty() ? 0.0 : 100 * (static_cast<double>(exact) / static_cast<double>(hypotheses.size()));
  scores.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return scores;
}

}  // namespace nmt
