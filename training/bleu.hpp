// bleu.hpp — corpus BLEU exactly as sacreBLEU 2.6.0 computes it.
//
// Default signature: nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0.
// Hypotheses and references are detokenized text; each is lowercased (if asked, as
// Python's str.lower()), right-stripped and tokenized (13a by default; intl, none, char:
// training/bleu_tokenizer.hpp). Per sentence, n-grams of orders 1-4 are clipped by the
// most that any one reference holds, and the reference length is the one closest to the
// hypothesis length (the shorter on a tie); the corpus score comes from the summed
// statistics with "exp" smoothing (NIST: the k-th zero precision counts as 1 / (2^k · total)).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "training/bleu_tokenizer.hpp"
#include "training/metric_signature.hpp"
#include "training/reference_sets.hpp"

namespace nmt {

// sacreBLEU's BLEU(tokenize=..., lowercase=...); the other settings are its defaults.
struct BleuOptions {
  BleuTokenizer tokenizer = BleuTokenizer::v13a;
  bool lowercase = false;
};

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

// Statistics of one hypothesis against its references (at least one).
BleuStats sentence_bleu_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                              const BleuOptions& options = {});
BleuScore bleu_from_stats(const BleuStats& stats);
// reference_sets[k][i] is the k-th reference of hypotheses[i]. Throws
// std::invalid_argument if there is no set or a set's size differs from the hypotheses'.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const ReferenceSets& reference_sets, const BleuOptions& options);
// One reference per hypothesis, default options.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references);

// The sacreBLEU signature of scores computed with `reference_sets` references each.
MetricSignature bleu_signature(std::size_t reference_sets = 1, const BleuOptions& options = {});

}  // namespace nmt
