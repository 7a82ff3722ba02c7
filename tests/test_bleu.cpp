// test_bleu.cpp — BLEU against sacreBLEU's rules.
//
// Expected tokenizations and scores were computed with Python's `re` applied to
// sacreBLEU 2.x's Tokenizer13a regular expressions and its compute_bleu formula
// (exp smoothing), code points and Python's str.split() included — an independent
// implementation of the same rules; sacreBLEU 2.6.0 gives the same figures (see
// test_sacrebleu.cpp for cases scored by sacreBLEU itself).
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "training/bleu.hpp"

namespace nmt {
namespace {

TEST(Tokenize13a, SplitsPunctuationAsMtevalDoes) {
  EXPECT_EQ(tokenize_13a("Hello, world."), "Hello , world .");
  EXPECT_EQ(tokenize_13a("It costs $5.00, or 5,000 yen."), "It costs $ 5.00 , or 5,000 yen .");
  EXPECT_EQ(tokenize_13a("a.b,c 3.5 x-1 1-2 (yes) [no] {maybe}"),
            "a . b , c 3.5 x-1 1 - 2 ( yes ) [ no ] { maybe }");
  EXPECT_EQ(tokenize_13a("end..."), "end . . .");
  EXPECT_EQ(tokenize_13a("mid-word dash, e.g. e-mail; 10-15 km/h"),
            "mid-word dash , e . g . e-mail ; 10 - 15 km / h");
}

TEST(Tokenize13a, UnescapesEntitiesAndFoldsUnicodeWhitespace) {
  EXPECT_EQ(tokenize_13a("&quot;quoted&quot; &amp; &lt;tag&gt;"), "\" quoted \" & < tag >");
  EXPECT_EQ(tokenize_13a("Zwei M\xC3\xA4nner\xC2\xA0stehen\xE2\x80\x89" "am Herd."),
            "Zwei M\xC3\xA4nner stehen am Herd .");
  EXPECT_EQ(tokenize_13a("C'est l'\xC3\xA9t\xC3\xA9! \xC3\xA7" "a va?"), "C'est l'\xC3\xA9t\xC3\xA9 ! \xC3\xA7" "a va ?");
  EXPECT_EQ(tokenize_13a("tab\there  and   spaces"), "tab here and spaces");
}

TEST(Bleu, PerfectMatchIs100) {
  EXPECT_NEAR(corpus_bleu({"The cat sat on the mat."}, {"The cat sat on the mat."}).score, 100.0, 1e-9);
}

TEST(Bleu, EmptyOrUnmatchedHypothesesScoreZero) {
  EXPECT_EQ(corpus_bleu({""}, {"A woman sings."}).score, 0.0);
  EXPECT_EQ(corpus_bleu({"xyz"}, {"abc def"}).score, 0.0);
  // Fewer than four words: no 4-grams at all, so (without effective order) BLEU is 0.
  EXPECT_EQ(corpus_bleu({"the cat"}, {"the cat sat on the mat"}).score, 0.0);
}

TEST(Bleu, ExpSmoothingOfZeroPrecisions) {
  // 6/6 unigrams, then 0/5, 0/4, 0/3: smoothed to 100/(2·5), 100/(4·4), 100/(8·3).
  const BleuScore score = corpus_bleu({"mat the on sat cat the"}, {"the cat sat on the mat"});
  EXPECT_NEAR(score.score, 12.703318703865376, 1e-9);
  EXPECT_NEAR(score.precisions[1], 10.0, 1e-12);
}

TEST(Bleu, CorpusScoreSumsStatisticsOverSentences) {
  const std::vector<std::string> hypotheses = {"Two men are standing at the stove.", "A dog runs through the grass.",
                                               "", "A little girl climbs into a wooden playhouse."};
  const std::vector<std::string> references = {"Two men are standing by the stove.",
                                               "A black dog runs across the grass.", "A woman sings.",
                                               "A little girl climbing into a wooden playhouse."};
  EXPECT_NEAR(corpus_bleu(hypotheses, references).score, 38.74476675940788, 1e-9);
  double average = 0;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) average += corpus_bleu({hypotheses[i]}, {references[i]}).score;
  EXPECT_NEAR(average / 4, 34.396233056010075, 1e-9);  // not the corpus score
  EXPECT_EQ(test::message_of<std::invalid_argument>([] { corpus_bleu({"a"}, {}); }),
            "BLEU needs as many hypotheses as references (1 vs 0)");
}

}  // namespace
}  // namespace nmt
