// chrf.hpp — corpus chrF exactly as sacreBLEU 2.x computes it by default (chrF2).
//
// Signature nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no: whitespace is removed, character
// n-grams of orders 1-6 (code points) are counted in hypothesis and reference, their
// clipped matches summed over the corpus, and the score is the F-beta (beta = 2) of the
// precision and recall averaged over the orders that occur on both sides.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

struct ChrfStats {
  static constexpr int kOrder = 6;
  // Per order: n-grams in the hypothesis, in the reference, and matched.
  std::array<long long, kOrder> hypothesis{}, reference{}, matched{};
  void add(const ChrfStats& other);
};

ChrfStats sentence_chrf_stats(std::string_view hypothesis, std::string_view reference);
double chrf_from_stats(const ChrfStats& stats, double beta = 2.0);
// Throws std::invalid_argument if the sizes differ.
double corpus_chrf(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references);

std::string chrf_signature();

}  // namespace nmt
