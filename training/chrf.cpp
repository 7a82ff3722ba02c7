// chrf.cpp — character n-gram F-score (sacreBLEU's CHRF), one or more references.
#include "training/chrf.hpp"

#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "training/python_text.hpp"
#include "training/reference_sets.hpp"

namespace nmt {
namespace {

using Counts = std::map<std::string, int>;
using OrderCounts = std::array<Counts, ChrfStats::kOrder>;

// Character n-gram counts of orders 1..6 of ''.join(text.split()) (lowercased first if
// asked: sacreBLEU's _preprocess_segment).
OrderCounts char_ngrams(std::string_view text, const ChrfOptions& options) {
  const std::string lowered = options.lowercase ? python_lower(text) : std::string();
  const std::vector<std::string_view> chars =
      non_whitespace_characters(options.lowercase ? std::string_view(lowered) : text);
  OrderCounts counts;
  for (std::size_t n = 1; n <= ChrfStats::kOrder; ++n) {
    for (std::size_t i = 0; i + n <= chars.size(); ++i) {
      std::string key;
      for (std::size_t k = 0; k < n; ++k) key += chars[i + k];
      ++counts[n - 1][key];
    }
  }
  return counts;
}

// sacreBLEU's _get_match_statistics for every order: a hypothesis n-gram counts only
// where the reference has n-grams of that order.
ChrfStats match_statistics(const OrderCounts& hypothesis, const OrderCounts& reference) {
  ChrfStats stats;
  for (int n = 0; n < ChrfStats::kOrder; ++n) {
    long long hypothesis_count = 0;
    for (const auto& [gram, count] : hypothesis[n]) {
      hypothesis_count += count;
      const auto found = reference[n].find(gram);
      if (found != reference[n].end()) stats.matched[n] += std::min(count, found->second);
    }
    stats.hypothesis[n] = reference[n].empty() ? 0 : hypothesis_count;
    for (const auto& [gram, count] : reference[n]) stats.reference[n] += count;
  }
  return stats;
}

}  // namespace

void ChrfStats::add(const ChrfStats& other) {
  for (int n = 0; n < kOrder; ++n) {
    hypothesis[n] += other.hypothesis[n];
    reference[n] += other.reference[n];
    matched[n] += other.matched[n];
  }
}

ChrfStats sentence_chrf_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                              const ChrfOptions& options) {
  if (references.empty()) throw std::invalid_argument("chrF needs at least one reference");
  const OrderCounts hypothesis_ngrams = char_ngrams(hypothesis, options);
  ChrfStats best;
  double best_score = -1;
  for (const std::string_view reference : references) {
    const ChrfStats stats = match_statistics(hypothesis_ngrams, char_ngrams(reference, options));
    const double score = chrf_from_stats(stats);
    if (score > best_score) {
      best_score = score;
      best = stats;
    }
  }
  return best;
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

double corpus_chrf(const std::vector<std::string>& hypotheses,
                   const ReferenceSets& reference_sets, const ChrfOptions& options) {
  expect_reference_sets("chrF", hypotheses.size(), reference_sets);
  ChrfStats stats;
  for (std::size_t i = 0; i < hypotheses.size(); ++i)
    stats.add(sentence_chrf_stats(hypotheses[i], references_of(reference_sets, i), options));
  return chrf_from_stats(stats);
}

double corpus_chrf(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references) {
  return corpus_chrf(hypotheses, ReferenceSets{references}, ChrfOptions{});
}

MetricSignature chrf_signature(std::size_t reference_sets, const ChrfOptions& options) {
  return {{{"nrefs", "#", std::to_string(reference_sets)},
           {"case", "c", options.lowercase ? "lc" : "mixed"},
           {"eff", "e", "yes"},
           {"nc", "nc", std::to_string(ChrfStats::kOrder)},
           {"nw", "nw", "0"},
           {"space", "s", "no"},
           {"version", "v", std::string(kSacreBleuVersion)}}};
}

}  // namespace nmt
