// fuzz_bleu.cpp — fuzz target: BLEU (every tokenizer, lowercase) and chrF on arbitrary lines.
//
// The first byte picks the settings: bits 0-1 the BLEU tokenizer (13a, intl, none, char),
// bit 2 BLEU's lowercase, bit 3 chrF's, bit 4 a second reference set. The rest are lines
// (repaired to valid UTF-8, as `nmt evaluate` repairs them), in turn a hypothesis and its
// one or two references. Properties: every tokenization is single-spaced valid UTF-8
// (char: each token one code point); scores are finite and within 0..100; a corpus scored
// with itself as its first reference set has BLEU 100 when every line has at least four
// tokens, and chrF 100 when every line has an ASCII letter or digit.
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
#include "training/python_text.hpp"

using nmt::fuzz::require;

namespace {

bool in_percent_range(double score) { return std::isfinite(score) && score >= 0 && score <= 100 + 1e-9; }

// The line as BLEU tokenizes it, checked: valid UTF-8, one space between tokens, none at the ends.
std::string checked_tokens(const std::string& line, const nmt::BleuOptions& options) {
  const std::string tokens =
      nmt::tokenize_for_bleu(options.tokenizer, options.lowercase ? nmt::python_lower(line) : line);
  require(nmt::utf8::is_valid(tokens), "tokens are valid UTF-8");
  if (options.tokenizer == nmt::BleuTokenizer::none) return tokens;
  std::string single_spaced;
  for (const std::string_view word : nmt::python_split(tokens)) {
    if (options.tokenizer == nmt::BleuTokenizer::character)
      require(nmt::utf8::length(word) == 1, "char tokens are single code points");
    single_spaced += (single_spaced.empty() ? "" : " ") + std::string(word);
  }
  require(tokens == single_spaced, "tokens are single-spaced");
  return tokens;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned settings = data[0];
  nmt::BleuOptions bleu_options;
  bleu_options.tokenizer = static_cast<nmt::BleuTokenizer>(settings & 3u);
  bleu_options.lowercase = (settings & 4u) != 0;
  nmt::ChrfOptions chrf_options;
  chrf_options.lowercase = (settings & 8u) != 0;
  const std::size_t reference_count = (settings & 16u) != 0 ? 2 : 1;

  std::vector<std::string> hypotheses;
  nmt::ReferenceSets references(reference_count);
  std::istringstream lines(nmt::utf8::repair(nmt::fuzz::as_text(data + 1, size - 1)));
  std::size_t position = 0;
  for (std::string line; std::getline(lines, line); position = (position + 1) % (reference_count + 1))
    (position == 0 ? hypotheses : references[position - 1]).push_back(line);
  for (auto& set : references) set.resize(hypotheses.size());

  const nmt::BleuScore bleu = nmt::corpus_bleu(hypotheses, references, bleu_options);
  require(in_percent_range(bleu.score), "BLEU within 0..100");
  for (const double p : bleu.precisions) require(in_percent_range(p), "precisions within 0..100");
  require(in_percent_range(nmt::corpus_chrf(hypotheses, references, chrf_options)), "chrF within 0..100");

  if (hypotheses.empty()) return 0;
  bool long_enough = true, has_text = true;
  for (const std::string& line : hypotheses) {
    long_enough &= nmt::python_split(checked_tokens(line, bleu_options)).size() >= 4;
    has_text &= std::any_of(line.begin(), line.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
  }
  nmt::ReferenceSets with_self = references;
  with_self.insert(with_self.begin(), hypotheses);
  if (long_enough)
    require(std::abs(nmt::corpus_bleu(hypotheses, with_self, bleu_options).score - 100) < 1e-6, "self-BLEU is 100");
  if (has_text)
    require(std::abs(nmt::corpus_chrf(hypotheses, with_self, chrf_options) - 100) < 1e-6, "self-chrF is 100");
  return 0;
}
