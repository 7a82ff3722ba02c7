// chrf.cpp — character n-gram F-score (sacreBLEU's CHRF with its defaults).
#include "training/chrf.hpp"

#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "training/python_text.hpp"

namespace nmt {
namespace {

// The text without whitespace, as code points (each a UTF-8 byte sequence).
std::vector<std::string_view> code_points_without_space(std::string_view text) {
  std::vector<std::string_view> out;
  for (const std::string_view word : python_split(text)) {
    for (std::size_t i = 0; i < word.size();) {
      std::size_t n = 1;
      while (i + n < word.size() && (static_cast<unsigned char>(word[i + n]) & 0xC0) == 0x80) ++n;
      out.push_back(word.substr(i, n));
      i += n;
    }
  }
  return out;
}

using Counts = std::map<std::string, int>;

std::array<Counts, ChrfStats::kOrder> char_ngrams(std::string_view text) {
  const std::vector<std::string_view> chars = code_points_without_space(text);
  std::array<Counts, ChrfStats::kOrder> counts;
  for (std::size_t n = 1; n <= ChrfStats::kOrder; ++n) {
    for (std::size_t i = 0; i + n <= chars.size(); ++i) {
      std::string key;
      for (std::size_t k = 0; k < n; ++k) key += chars[i + k];
      ++counts[n - 1][key];
    }
  }
  return counts;
}

}  // namespace

void ChrfStats::add(const ChrfStats& other) {
  for (int n = 0; n < kOrder; ++n) {
    hypothesis[n] += other.hypothesis[n];
    reference[n] += other.reference[n];
    matched[n] += other.matched[n];
  }
}

ChrfStats sentence_chrf_stats(std::string_view hypothesis, std::string_view reference) {
  const auto hyp = char_ngrams(hypothesis), ref = char_ngrams(reference);
  ChrfStats stats;
  for (int n = 0; n < ChrfStats::kOrder; ++n) {
    for (const auto& [gram, count] : hyp[n]) {
      stats.hypothesis[n] += count;
      const auto found = ref[n].find(gram);
      if (found != ref[n].end()) stats.matched[n] += std::min(count, found->second);
    }
    for (const auto& [gram, count] : ref[n]) stats.reference[n] += count;
  }
  return stats;
}

double chrf_from_stats(const ChrfStats& stats, double beta) {
  const double factor = beta * beta;
  double precision = 0, recall = 0;
  int orders = 0;
  for (int n = 0; n < ChrfStats::kOrder; ++n) {
    if (stats.hypothesis[n] > 0 && stats.reference[n] > 0) {
      precision += static_cast<double>(stats.matched[n]) / static_cast<double>(stats.hypothesis[n]);
      recall += static_cast<double>(stats.matched[n]) / static_cast<double>(stats.reference[n]);
      ++orders;
    }
  }
  if (orders == 0) return 0.0;
  precision /= orders;
  recall /= orders;
  if (precision + recall == 0) return 0.0;
  return 100 * (1 + factor) * precision * recall / (factor * precision + recall);
}

double corpus_chrf(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references) {
  if (hypotheses.size() != references.size())
    throw std::invalid_argument(fmt::format("chrF needs as many hypotheses as references ({} vs {})",
                                            hypotheses.size(), references.size()));
  ChrfStats stats;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) stats.add(sentence_chrf_stats(hypotheses[i], references[i]));
  return chrf_from_stats(stats);
}

std::string chrf_signature() { return "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0"; }

}  // namespace nmt
