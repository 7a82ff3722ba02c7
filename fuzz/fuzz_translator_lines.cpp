// fuzz_translator_lines.cpp — fuzz target: lines of text through the translator.
//
// The tiny model (fuzz_support) translates the input's first 4 lines — any bytes: invalid
// UTF-8, control characters, very long lines that are cut — greedily and with a beam
// of 2 and two-best lists with attention. Properties: one translation per input line,
// none holding a newline, all valid UTF-8; each n-best list has its size, each text
// once and none empty unless alone; each attention row covers the source as translated
// and sums to 1.
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "app/translator.hpp"
#include "data/utf8.hpp"
#include "formats/model_file.hpp"
#include "fuzz/fuzz_support.hpp"

using nmt::fuzz::require;

namespace {

nmt::Translator make_translator(int beam_size, int nbest) {
  nmt::SearchConfig search;
  search.beam_size = beam_size;
  search.nbest = nbest;
  search.max_length_ratio = 0.2;  // short outputs: a random model rarely ends on its own
  search.max_length_extra = 3;
  return nmt::Translator(nmt::load_model(nmt::Container::parse("tiny.nmt", nmt::fuzz::tiny_model_file())), search);
}

void check_translations(const std::vector<std::string>& lines, const std::vector<std::string>& out) {
  require(out.size() == lines.size(), "one translation per line");
  for (const std::string& text : out) {
    require(text.find('\n') == std::string::npos, "no newline inside a translation");
    require(nmt::utf8::is_valid(text), "translations are valid UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const nmt::Translator greedy = make_translator(1, 1);
  static const nmt::Translator beam = make_translator(2, 2);
  std::vector<std::string> lines;
  std::istringstream input{std::string(nmt::fuzz::as_text(data, size))};
  for (std::string line; std::getline(input, line) && lines.size() < 4;) lines.push_back(line);

  check_translations(lines, greedy.translate(lines));
  check_translations(lines, beam.translate(lines));
  const std::vector<nmt::Translation> nbest = beam.translate_nbest(lines, 1, /*keep_alignment=*/true);
  require(nbest.size() == lines.size(), "one n-best list per line");
  for (const nmt::Translation& t : nbest) {
    require(!t.nbest.empty() && t.nbest.size() <= 2, "n-best lists hold 1..nbest candidates");
    require(t.source.size() <= static_cast<std::size_t>(nmt::Translator::kMaxSourcePieces) + 1,
            "long lines are cut");
    for (std::size_t k = 0; k < t.nbest.size(); ++k) {
      const nmt::Candidate& c = t.nbest[k];
      if (t.source.empty()) continue;
      for (std::size_t other = 0; other < k; ++other)
        require(t.nbest[other].text != c.text, "each text listed once");
      require(!c.text.empty() || t.nbest.size() == 1, "no empty alternative");
      // eos has a row too, unless the candidate was cut at the length limit before it
      require(c.alignment.size() == c.tokens.size() + 1 || (c.alignment.size() == c.tokens.size() && !c.tokens.empty()),
              "one attention row per output piece (and eos)");
      for (const auto& row : c.alignment) {
        require(row.size() == t.source.size(), "attention rows cover the source");
        double sum = 0;
        for (const float w : row) sum += w;
        require(std::abs(sum - 1) < 1e-3, "attention rows sum to 1");
      }
    }
  }
  return 0;
}
