// chrf.hpp — corpus chrF exactly as sacreBLEU 2.6.0 computes it (chrF2, its defaults).
//
// Signature nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0: whitespace is
// removed, character n-grams of orders 1-6 (code points) are counted in hypothesis and
// reference, and the score is the F-beta (beta = 2) of the precision and recall averaged
// over the orders that occur on both sides, from statistics summed over the corpus. With
// several references each sentence keeps the statistics of the reference that gives it
// the best sentence-level F-score (the first on a tie). An order the reference lacks
// counts none of the hypothesis's n-grams. Lowercasing (sacreBLEU's --chrf-lowercase) is
// Python's str.lower().
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "training/metric_signature.hpp"
#include "training/reference_sets.hpp"

namespace nmt {

// sacreBLEU's CHRF(lowercase=...); the other settings are its defaults.
struct ChrfOptions {
  bool lowercase = false;
};

struct ChrfStats {
  static constexpr int kOrder = 6;
  // Per order: n-grams in the hypothesis, in the reference, and matched.
  std::array<long long, kOrder> hypothesis{}, reference{}, matched{};
  void add(const ChrfStats& other);
};

// Statistics of one hypothesis against its best reference (at least one).
ChrfStats sentence_chrf_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                              const ChrfOptions& options = {});
double chrf_from_stats(const ChrfStats& stats, double beta = 2.0);
// reference_sets[k][i] is the k-th reference of hypotheses[i]. Throws
// std::invalid_argument if there is no set or a set's size differs from the hypotheses'.
double corpus_chrf(const std::vector<std::string>& hypotheses,
                   const ReferenceSets& reference_sets, const ChrfOptions& options);
// One reference per hypothesis, default options.
double corpus_chrf(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references);

// The sacreBLEU signature of scores computed with `reference_sets` references each.
MetricSignature chrf_signature(std::size_t reference_sets = 1, const ChrfOptions& options = {});

}  // namespace nmt
