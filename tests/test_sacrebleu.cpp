// test_sacrebleu.cpp — BLEU and chrF against sacreBLEU 2.6.0 itself.
//
// Expected values: sacreBLEU v2.6.0 (github.com/mjpost/sacrebleu, tag v2.6.0) run with
// Debian 12's python3 on these exact strings, default BLEU() and CHRF() unless named:
//   BLEU().corpus_score(hyps, [refs]).score, CHRF().corpus_score(hyps, [refs]).score
// (the command line's output on whole files: tests/data/sacrebleu, test_sacrebleu_cli).
#include <gtest/gtest.h>

#include "training/bleu.hpp"
#include "training/chrf.hpp"

namespace nmt {
namespace {

struct Case {
  const char* name;
  std::vector<std::string> hypotheses, references;
  double bleu, chrf;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"perfect", {"The cat sat on the mat."}, {"The cat sat on the mat."}, 100.00000000000004, 100.0},
      {"empty hypothesis", {""}, {"A woman sings."}, 0.0, 0.0},
      {"no matching n-grams", {"xyz uvw"}, {"abc def"}, 0.0, 0.0},
      {"punctuation and numbers",
       {"It costs $5.00, or 5,000 yen (about 30-40 euros)."},
       {"It costs $5.00 or 5,000 yen (about 30 - 40 euros)!"},
       74.47819789879651, 89.95954000535625},
      {"unicode",
       {"Zwei M\xC3\xA4nner stehen am Herd und kochen Sp\xC3\xA4tzle f\xC3\xBCr die G\xC3\xA4ste."},
       {"Zwei M\xC3\xA4nner stehen\xC2\xA0" "am Herd und kochen Sp\xC3\xA4tzle f\xC3\xBCr ihre G\xC3\xA4ste."},
       76.91605673134588, 89.21596307547816},
      {"corpus",
       {"Two men are standing at the stove.", "A dog runs through the grass.", "",
        "A little girl climbs into a wooden playhouse."},
       {"Two men are standing by the stove.", "A black dog runs across the grass.", "A woman sings.",
        "A little girl climbing into a wooden playhouse."},
       38.74476675940788, 67.99594915906036},
  };
  return all;
}

TEST(SacreBleu, BleuAndChrfEqualSacreBleu) {
  for (const Case& c : cases()) {
    EXPECT_NEAR(corpus_bleu(c.hypotheses, c.references).score, c.bleu, 1e-9) << c.name;
    EXPECT_NEAR(corpus_chrf(c.hypotheses, c.references), c.chrf, 1e-9) << c.name;
  }
}

TEST(SacreBleu, CorpusScoresAreNotAveragesOfSentenceScores) {
  const Case& c = cases().back();
  double bleu = 0, chrf = 0;
  for (std::size_t i = 0; i < c.hypotheses.size(); ++i) {
    bleu += corpus_bleu({c.hypotheses[i]}, {c.references[i]}).score;
    chrf += corpus_chrf({c.hypotheses[i]}, {c.references[i]});
  }
  // sacreBLEU's sentence_score averaged over the four sentences:
  EXPECT_NEAR(bleu / 4, 34.396233056010075, 1e-9);
  EXPECT_NEAR(chrf / 4, 53.847611068818466, 1e-9);
}

// CHRF().corpus_score(hyps, [refs1, refs2]): each sentence takes its best reference; an
// order the reference lacks ("Ja." has no 4- to 6-grams) counts none of the hypothesis's.
TEST(SacreBleu, ChrfWithSeveralOrShortReferences) {
  EXPECT_NEAR(corpus_chrf({"Ja, gerne."}, {"Ja."}), 34.37499999999999, 1e-9);
  // Summed over a corpus, the 4- to 6-grams of "Ja, gerne." are not counted against "Ja.".
  EXPECT_NEAR(corpus_chrf({"Ja, gerne.", "A dog runs."}, {"Ja.", "A black dog runs."}), 50.93461233117041, 1e-9);
  EXPECT_NEAR(corpus_chrf({"Ja, gerne.", "A dog runs."}, {{"Ja.", "A black dog runs."}, {"", "A dog is running."}}, {}),
              50.93461233117041, 1e-9);
  EXPECT_NEAR(corpus_chrf({"A dog runs."}, {{"A dog is running."}, {"A dog runs!"}}, {}), 83.40608465608467, 1e-9);
  // CHRF(lowercase=True), and the default.
  const std::vector<std::string> capitals = {"\u039F\u0394\u039F\u03A3 \u03A3\u0391\u03A3"};
  const ReferenceSets small = {{"\u03BF\u03B4\u03BF\u03C2 \u03C3\u03B1\u03C2"}};
  EXPECT_EQ(corpus_chrf(capitals, small, ChrfOptions{true}), 100.0);
  EXPECT_EQ(corpus_chrf(capitals, small, ChrfOptions{}), 0.0);
  EXPECT_EQ(chrf_signature(3, ChrfOptions{true}).text(), "nrefs:3|case:lc|eff:yes|nc:6|nw:0|space:no|version:2.6.0");
}

TEST(SacreBleu, SignaturesAreSacreBleusDefaults) {
  EXPECT_EQ(bleu_signature().text(), "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0");
  EXPECT_EQ(chrf_signature().text(), "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0");
}

}  // namespace
}  // namespace nmt
