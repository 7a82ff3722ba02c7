// test_bleu.cpp — BLEU's tokenizers and Python's text rules against sacreBLEU's.
//
// Expected 13a tokenizations and scores were computed with Python's `re` applied to
// sacreBLEU 2.x's Tokenizer13a regular expressions and its compute_bleu formula
// (exp smoothing), code points and Python's str.split() included — an independent
// implementation of the same rules; sacreBLEU 2.6.0 gives the same figures (see
// test_sacrebleu.cpp for cases scored by sacreBLEU itself). The intl and char
// tokenizations are those of sacreBLEU 2.6.0's TokenizerV14International and
// TokenizerChar (then str.split()), the lowercase ones Python 3.11's str.lower().
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "training/bleu.hpp"
#include "training/python_text.hpp"

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
  // After a digit, a period or comma before a non-digit is split off on both sides.
  EXPECT_EQ(tokenize_13a("Seit 2024.Damals 5,a 3.x"), "Seit 2024 . Damals 5 , a 3 . x");
}

TEST(TokenizeIntl, SplitsUnicodePunctuationAndSymbols) {
  EXPECT_EQ(tokenize_intl("\u00BFD\u00F3nde est\u00E1? \u00A1All\u00ED!"), "\u00BF D\u00F3nde est\u00E1 ? \u00A1 All\u00ED !");
  EXPECT_EQ(tokenize_intl("It costs $5.00, or 1,000.50 \u20AC."), "It costs $ 5.00 , or 1,000.50 \u20AC .");
  EXPECT_EQ(tokenize_intl("\u300C\u6771\u4EAC\u300D\u306F\u3001\u65E5\u672C\u3002"),
            "\u300C \u6771\u4EAC \u300D \u306F \u3001 \u65E5\u672C \u3002");
  EXPECT_EQ(tokenize_intl("25\u00B0C \u00B1 0.5\u00B0 \u2192 \U0001F600"), "25 \u00B0 C \u00B1 0.5 \u00B0 \u2192 \U0001F600");
  // A number's final period stays (mteval-v14's own quirk), and \p{N} is every number.
  EXPECT_EQ(tokenize_intl("in 2024."), "in 2024.");
  EXPECT_EQ(tokenize_intl("(1) \u00ABoui\u00BB\u2014non\u2026"), "(1 ) \u00AB oui \u00BB \u2014 non \u2026");
  EXPECT_EQ(tokenize_intl("\u216B\u00BD\u00B2\u0663 a+b=c"), "\u216B\u00BD\u00B2\u0663 a + b = c");
}

TEST(TokenizeChar, EveryCharacterButWhitespaceIsAToken) {
  EXPECT_EQ(tokenize_char("a b\u00A0c \u6771\u4EAC"), "a b c \u6771 \u4EAC");
  EXPECT_EQ(tokenize_char("Cafe\u0301!"), "C a f e \u0301 !");  // a combining accent is a code point
  EXPECT_EQ(tokenize_for_bleu(BleuTokenizer::none, " as  it is "), " as  it is ");
}

TEST(PythonLower, FullMappingsAndFinalSigmaAsPythonLowers) {
  EXPECT_EQ(python_lower("\u039F\u0394\u039F\u03A3 \u03A3\u0391\u03A3 \u03A3 \u0391\u03A3'\u0391 \u0391\u03A3."),
            "\u03BF\u03B4\u03BF\u03C2 \u03C3\u03B1\u03C2 \u03C3 \u03B1\u03C3'\u03B1 \u03B1\u03C2.");
  EXPECT_EQ(python_lower("\u0130stanbul I\u015EIK"), "i\u0307stanbul i\u015Fik");  // no Turkish dotless i
  EXPECT_EQ(python_lower("STRA\u1E9EE \u01C5 \u216B \u212A \u212B \uFF21\uFF22\uFF23"),
            "stra\u00DFe \u01C6 \u217B k \u00E5 \uFF41\uFF42\uFF43");
  EXPECT_EQ(python_lower("\u038C\u03A3\u039F\u0399"), "\u03CC\u03C3\u03BF\u03B9");
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
  EXPECT_EQ(test::message_of<std::invalid_argument>([] { corpus_bleu({"a"}, ReferenceSets{}, BleuOptions{}); }),
            "BLEU needs at least one reference");
}

// Values from sacreBLEU 2.6.0's BLEU(...).corpus_score(hyps, [refs1, refs2]).
TEST(Bleu, SeveralReferencesClipByTheMostAndTakeTheClosestLength) {
  // 5 words against 4 and 6: equally close, the shorter length (4) counts.
  const BleuScore tie = corpus_bleu({"The dog runs very fast"}, {{"The dog runs fast"}, {"The big dog runs very fast"}}, {});
  EXPECT_NEAR(tie.score, 84.08964152537145, 1e-9);
  EXPECT_EQ(tie.stats.reference_length, 4);
  const BleuScore swapped = corpus_bleu({"The dog runs very fast"}, {{"The big dog runs very fast"}, {"The dog runs fast"}}, {});
  EXPECT_EQ(swapped.score, tie.score);
  // "the" four times: matched twice, the most either reference holds.
  const BleuScore clipped = corpus_bleu({"the the the the cat sat"}, {{"the cat sat on the mat"}, {"the the cat sat"}}, {});
  EXPECT_NEAR(clipped.score, 50.81327481546149, 1e-9);
  EXPECT_EQ(clipped.stats.correct[0], 4);
  EXPECT_EQ(corpus_bleu({"the cat"}, {{"the cat"}}, {}).stats.total[0], 2);
}

TEST(Bleu, LowercaseAndTokenizerOptions) {
  const BleuOptions intl_lowercase{BleuTokenizer::intl, true};
  EXPECT_NEAR(corpus_bleu({"\u00BFD\u00D3NDE est\u00E1? \u00A1ALL\u00CD!"}, {{"\u00BFD\u00F3nde est\u00E1?\u00A1All\u00ED!"}}, intl_lowercase).score,
              100.00000000000004, 1e-9);
  EXPECT_NEAR(corpus_bleu({"\u00BFD\u00D3NDE est\u00E1? \u00A1ALL\u00CD!"}, {{"\u00BFD\u00F3nde est\u00E1?\u00A1All\u00ED!"}},
                          {BleuTokenizer::intl, false}).score,
              27.77619034011791, 1e-9);
  EXPECT_NEAR(corpus_bleu({"\u00BFD\u00D3NDE est\u00E1? \u00A1ALL\u00CD!"}, {{"\u00BFD\u00F3nde est\u00E1?\u00A1All\u00ED!"}}, {}).score,
              23.643540225079384, 1e-9);
  EXPECT_EQ(bleu_signature(2, intl_lowercase).text(), "nrefs:2|case:lc|eff:no|tok:intl|smooth:exp|version:2.6.0");
  EXPECT_EQ(bleu_signature(1, {BleuTokenizer::character, false}).text(true), "#:1|c:mixed|e:no|tok:char|s:exp|v:2.6.0");
}

}  // namespace
}  // namespace nmt
