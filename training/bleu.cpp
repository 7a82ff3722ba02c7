// bleu.cpp — sacreBLEU's 13a tokenizer, n-gram statistics and exp-smoothed BLEU.
#include "training/bleu.hpp"

#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "training/python_text.hpp"

namespace nmt {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first regular expression of sacreBLEU's TokenizerRegexp: ASCII punctuation and
// symbols other than ' , - . are set off by spaces (the class also holds the space).
bool is_split_symbol(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 0x7B && u <= 0x7E) || (u >= 0x5B && u <= 0x60) || (u >= 0x20 && u <= 0x26) ||
         (u >= 0x28 && u <= 0x2B) || (u >= 0x3A && u <= 0x40) || c == '/';
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Python's re.sub for a two-character pattern (first, second) -> replace(first, second):
// scans left to right, a match consumes both characters. Working on bytes gives the
// same result as on code points because neither class can match a UTF-8 continuation
// byte where it would matter ('.', ',' and '-' are ASCII).
template <class First, class Second, class Replace>
std::string substitute_pairs(const std::string& in, First first, Second second, Replace replace) {
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  std::size_t i = 0;
  while (i < in.size()) {
    if (i + 1 < in.size() && first(in[i]) && second(in[i + 1])) {
      replace(out, in[i], in[i + 1]);
      i += 2;
    } else {
      out += in[i++];
    }
  }
  return out;
}

using NgramCounts = std::map<std::string, int>;

// n-grams of orders 1..4 of the space-joined tokens; returns the token count.
int count_ngrams(std::string_view tokenized, NgramCounts& counts) {
  const std::vector<std::string_view> words = python_split(tokenized);
  for (std::size_t n = 1; n <= BleuStats::kOrder; ++n) {
    for (std::size_t i = 0; i + n <= words.size(); ++i) {
      std::string key = std::to_string(n);
      for (std::size_t k = 0; k < n; ++k) {
        key += '\x01';
        key += words[i + k];
      }
      ++counts[key];
    }
  }
  return static_cast<int>(words.size());
}

}  // namespace

std::string tokenize_13a(std::string_view line) {
  std::string text(line);
  replace_all(text, "<skipped>", "");
  replace_all(text, "-\n", "");
  replace_all(text, "\n", " ");
  if (text.find('&') != std::string::npos) {
    replace_all(text, "&quot;", "\"");
    replace_all(text, "&amp;", "&");
    replace_all(text, "&lt;", "<");
    replace_all(text, "&gt;", ">");
  }
  text = " " + text + " ";
  std::string spaced;
  spaced.reserve(text.size() * 2);
  for (const char c : text) {
    if (is_split_symbol(c)) {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
    } else {
      spaced += c;
    }
  }
  const auto not_digit = [](char c) { return !is_digit(c); };
  const auto period_or_comma = [](char c) { return c == '.' || c == ','; };
  // Period and comma unless preceded by a digit: "a." -> "a . ".
  spaced = substitute_pairs(spaced, not_digit, period_or_comma, [](std::string& out, char a, char b) {
    out += a;
    out += ' ';
    out += b;
    out += ' ';
  });
  // Period and comma unless followed by a digit: ".a" -> " .a".
  spaced = substitute_pairs(spaced, period_or_comma, not_digit, [](std::string& out, char a, char b) {
    out += ' ';
    out += a;
    out += b;
  });
  // Dash preceded by a digit: "5-" -> "5 - ".
  spaced = substitute_pairs(spaced, is_digit, [](char c) { return c == '-'; },
                            [](std::string& out, char a, char b) {
                              out += a;
                              out += ' ';
                              out += b;
                              out += ' ';
                            });
  std::string joined;
  for (const std::string_view word : python_split(spaced)) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

void BleuStats::add(const BleuStats& other) {
  hypothesis_length += other.hypothesis_length;
  reference_length += other.reference_length;
  for (int n = 0; n < kOrder; ++n) {
    correct[n] += other.correct[n];
    total[n] += other.total[n];
  }
}

BleuStats sentence_bleu_stats(std::string_view hypothesis, std::string_view reference) {
  NgramCounts hypothesis_ngrams, reference_ngrams;
  BleuStats stats;
  stats.hypothesis_length = count_ngrams(tokenize_13a(python_rstrip(hypothesis)), hypothesis_ngrams);
  stats.reference_length = count_ngrams(tokenize_13a(python_rstrip(reference)), reference_ngrams);
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
                      const std::vector<std::string>& references) {
  if (hypotheses.size() != references.size())
    throw std::invalid_argument(fmt::format("BLEU needs as many hypotheses as references ({} vs {})",
                                            hypotheses.size(), references.size()));
  BleuStats stats;
  for (std::size_t i = 0; i < hypotheses.size(); ++i)
    stats.add(sentence_bleu_stats(hypotheses[i], references[i]));
  return bleu_from_stats(stats);
}

std::string BleuScore::verbose() const {
  const double ratio = stats.reference_length > 0 ? static_cast<double>(stats.hypothesis_length) /
                                                        static_cast<double>(stats.reference_length)
                                                  : 0.0;
  return fmt::format("{:.1f}/{:.1f}/{:.1f}/{:.1f} (BP = {:.3f} ratio = {:.3f} hyp_len = {} ref_len = {})",
                     precisions[0], precisions[1], precisions[2], precisions[3], brevity_penalty,
                     ratio, stats.hypothesis_length, stats.reference_length);
}

std::string bleu_signature() { return "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0"; }

}  // namespace nmt
