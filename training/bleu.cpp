// bleu.cpp — sacreBLEU's n-gram statistics over several references and exp-smoothed BLEU.
#include "training/bleu.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "core/fields.hpp"
#include "training/python_text.hpp"
#include "training/reference_sets.hpp"

namespace nmt {
namespace {

// n-gram -> count; a key is the order and each word prefixed by its length, so no two
// n-grams share one whatever bytes the words hold.
using NgramCounts = std::map<std::string, int>;

// sacreBLEU's _preprocess_segment: lowercase (if asked), rstrip, tokenize.
std::string preprocessed(std::string_view line, const BleuOptions& options) {
  if (!options.lowercase) return tokenize_for_bleu(options.tokenizer, python_rstrip(line));
  const std::string lowered = python_lower(line);
  return tokenize_for_bleu(options.tokenizer, python_rstrip(lowered));
}

// n-grams of orders 1..4 of the tokens (Python's str.split()); returns the token count.
int count_ngrams(std::string_view tokenized, NgramCounts& counts) {
  const std::vector<std::string_view> words = python_split(tokenized);
  for (std::size_t n = 1; n <= BleuStats::kOrder; ++n) {
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      std::string key = std::to_string(n);
      for (std::size_t k = 0; k < n; ++k) {
        key += ' ';
        key += std::to_string(words[i + k].size());
        key += ':';
        key += words[i + k];
      }
      ++counts[key];
    }
  }
  return static_cast<int>(words.size());
}

// sacreBLEU's _get_closest_ref_len.
long long closest_reference_length(long long hypothesis_length, const std::vector<long long>& lengths) {
  long long best = lengths.front();
  for (const long long length : lengths) {
    const long long difference = std::llabs(hypothesis_length - length), best_difference = std::llabs(hypothesis_length - best);
    if (difference < best_difference || (difference == best_difference && length < best)) best = length;
  }
  return best;
}

}  // namespace

void BleuStats::add(const BleuStats& other) {
  hypothesis_length += other.hypothesis_length;
  reference_length += other.reference_length;
  for (int n = 0; n < kOrder; ++n) {
    correct[n] += other.correct[n];
    total[n] += other.total[n];
  }
}

BleuStats sentence_bleu_stats(std::string_view hypothesis, const std::vector<std::string_view>& references,
                              const BleuOptions& options) {
  if (references.empty()) throw std::invalid_argument("BLEU needs at least one reference");
  NgramCounts hypothesis_ngrams, reference_ngrams;  // the latter: the most any reference holds
  std::vector<long long> reference_lengths;
  for (const std::string_view reference : references) {
    NgramCounts ngrams;
    reference_lengths.push_back(count_ngrams(preprocessed(reference, options), ngrams));
    for (const auto& [ngram, count] : ngrams) {
      int& most = reference_ngrams[ngram];
      most = std::max(most, count);
    }
  }
  BleuStats stats;
  stats.hypothesis_length = count_ngrams(preprocessed(hypothesis, options), hypothesis_ngrams);
  stats.reference_length = closest_reference_length(stats.hypothesis_length, reference_lengths);
  for (const auto& [ngram, count] : hypothesis_ngrams) {
    const int n = ngram[0] - '1';
    stats.total[n] += count;
    const auto match = reference_ngrams.find(ngram);
    if (match != reference_ngrams.end()) stats.correct[n] += std::min(count, match->second);
  }
  return stats;
}

BleuScore bleu_from_stats(const BleuStats& stats) {
  BleuScore result;
  result.stats = stats;
  const double sys = static_cast<double>(stats.hypothesis_length);
  const double ref = static_cast<double>(stats.reference_length);
  result.brevity_penalty = sys < ref ? (sys > 0 ? std::exp(1 - ref / sys) : 0.0) : 1.0;
  bool any_correct = false;
  for (const long long c : stats.correct) any_correct = any_correct || c > 0;
  if (!any_correct) return result;
  double smooth = 1;
  for (int n = 0; n < BleuStats::kOrder; ++n) {
    if (stats.total[n] == 0) break;
    if (stats.correct[n] == 0) {
      smooth *= 2;
      result.precisions[n] = 100.0 / (smooth * static_cast<double>(stats.total[n]));
    } else {
      result.precisions[n] =
          100.0 * static_cast<double>(stats.correct[n]) / static_cast<double>(stats.total[n]);
    }
  }
  double log_sum = 0;
  for (const double p : result.precisions) log_sum += p > 0 ? std::log(p) : -9999999999.0;
  result.score = result.brevity_penalty * std::exp(log_sum / BleuStats::kOrder);
  return result;
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const ReferenceSets& reference_sets, const BleuOptions& options) {
  expect_reference_sets("BLEU", hypotheses.size(), reference_sets);
  BleuStats stats;
  for (std::size_t i = 0; i < hypotheses.size(); ++i)
    stats.add(sentence_bleu_stats(hypotheses[i], references_of(reference_sets, i), options));
  return bleu_from_stats(stats);
}

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses, const std::vector<std::string>& references) {
  return corpus_bleu(hypotheses, ReferenceSets{references}, BleuOptions{});
}

std::string BleuScore::verbose() const {
  const double ratio = stats.reference_length > 0 ? static_cast<double>(stats.hypothesis_length) /
                                                        static_cast<double>(stats.reference_length)
                                                  : 0.0;
  return fmt::format("{:.1f}/{:.1f}/{:.1f}/{:.1f} (BP = {:.3f} ratio = {:.3f} hyp_len = {} ref_len = {})",
                     precisions[0], precisions[1], precisions[2], precisions[3], brevity_penalty,
                     ratio, stats.hypothesis_length, stats.reference_length);
}

MetricSignature bleu_signature(std::size_t reference_sets, const BleuOptions& options) {
  return {{{"nrefs", "#", std::to_string(reference_sets)},
           {"case", "c", options.lowercase ? "lc" : "mixed"},
           {"eff", "e", "no"},
           {"tok", "tok", field_text(options.tokenizer)},
           {"smooth", "s", "exp"},
           {"version", "v", std::string(kSacreBleuVersion)}}};
}

}  // namespace nmt
