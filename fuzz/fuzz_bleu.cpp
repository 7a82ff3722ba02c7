// fuzz_bleu.cpp — fuzz target: BLEU (13a tokenization) and chrF on arbitrary lines.
//
// The input's lines alternate hypothesis, reference (repaired to valid UTF-8, as
// `nmt evaluate` repairs them). Properties: scores are finite and within 0..100; a
// corpus scored against itself has BLEU 100 when every line has at least four tokens,
// and chrF 100 when every line has an ASCII letter or digit.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "data/utf8.hpp"
#include "fuzz/fuzz_support.hpp"
#include "training/bleu.hpp"
#include "training/chrf.hpp"

using nmt::fuzz::require;

namespace {

bool in_percent_range(double score) { return std::isfinite(score) && score >= 0 && score <= 100 + 1e-9; }

int token_count(const std::string& line) {
  std::istringstream words(nmt::tokenize_13a(line));
  int count = 0;
  for (std::string word; words >> word;) ++count;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> hypotheses, references;
  std::istringstream lines(nmt::utf8::repair(nmt::fuzz::as_text(data, size)));
  bool hypothesis = true;
  for (std::string line; std::getline(lines, line); hypothesis = !hypothesis)
    (hypothesis ? hypotheses : references).push_back(line);
  references.resize(hypotheses.size());

  const nmt::BleuScore bleu = nmt::corpus_bleu(hypotheses, references);
  require(in_percent_range(bleu.score), "BLEU within 0..100");
  for (const double p : bleu.precisions) require(in_percent_range(p), "precisions within 0..100");
  require(in_percent_range(nmt::corpus_chrf(hypotheses, references)), "chrF within 0..100");

  if (hypotheses.empty()) return 0;
  bool long_enough = true, has_text = true;
  for (const std::string& line : hypotheses) {
    long_enough &= token_count(line) >= 4;
    has_text &= std::any_of(line.begin(), line.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
  }
  if (long_enough) require(std::abs(nmt::corpus_bleu(hypotheses, hypotheses).score - 100) < 1e-6, "self-BLEU is 100");
  if (has_text) require(std::abs(nmt::corpus_chrf(hypotheses, hypotheses) - 100) < 1e-6, "self-chrF is 100");
  return 0;
}
