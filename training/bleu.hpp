// bleu.hpp — corpus BLEU exactly as sacreBLEU 2.x computes it by default.
//
// Default signature: nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp. Hypotheses and
// references are detokenized text; both are right-stripped and tokenized with the
// mteval-v13a rules, n-grams of orders 1-4 are clipped against the reference, and the
// corpus score is computed from the summed statistics with "exp" smoothing
// (NIST: the k-th zero precision counts as 1 / (2^k · total)).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

// The mteval-v13a tokenization of one line (sacreBLEU's Tokenizer13a): tokens joined
// by single spaces.
std::string tokenize_13a(std::string_view line);

// Sufficient statistics of BLEU over any number of sentences.
struct BleuStats {
  static constexpr int kOrder = 4;
  long long hypothesis_length = 0, reference_length = 0;
  std::array<long long, kOrder> correct{}, total{};
  void add(const BleuStats& other);
};

struct BleuScore {
  double score = 0;                      // 0..100
  std::array<double, BleuStats::kOrder> precisions{};  // 0..100
  double brevity_penalty = 0;
  BleuStats stats;
  // "41.3/13.6/8.1/5.6 (BP = 1.000 ratio = 1.033 hyp_len = 6421 ref_len = 6218)"
  std::string verbose() const;
};

// Statistics of one hypothesis against one reference.
BleuStats sentence_bleu_stats(std::string_view hypothesis, std::string_view reference);
BleuScore bleu_from_stats(const BleuStats& stats);
// Throws std::invalid_argument if the sizes differ.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::string>& references);

// The sacreBLEU signature of the scores above.
std::string bleu_signature();

}  // namespace nmt
