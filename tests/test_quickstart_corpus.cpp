// test_quickstart_corpus.cpp — number words and the generated quickstart corpus.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "data/number_words.hpp"
#include "data/quickstart_corpus.hpp"
#include "data/line_reader.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

TEST(NumberWords, English) {
  EXPECT_EQ(english_number_words(0), "zero");
  EXPECT_EQ(english_number_words(7), "seven");
  EXPECT_EQ(english_number_words(21), "twenty-one");
  EXPECT_EQ(english_number_words(100), "one hundred");
  EXPECT_EQ(english_number_words(421), "four hundred and twenty-one");
  EXPECT_EQ(english_number_words(1005), "one thousand and five");
  EXPECT_EQ(english_number_words(12345), "twelve thousand three hundred and forty-five");
  EXPECT_EQ(english_number_words(120000), "one hundred and twenty thousand");
  EXPECT_EQ(english_number_words(999999),
            "nine hundred and ninety-nine thousand nine hundred and ninety-nine");
  EXPECT_NE(test::message_of<std::out_of_range>([] { english_number_words(1000000); }).find("1000000 exceeds"),
            std::string::npos);
}

TEST(NumberWords, German) {
  EXPECT_EQ(german_number_words(0), "null");
  EXPECT_EQ(german_number_words(1), "eins");
  EXPECT_EQ(german_number_words(16), "sechzehn");
  EXPECT_EQ(german_number_words(17), "siebzehn");
  EXPECT_EQ(german_number_words(21), "einundzwanzig");
  EXPECT_EQ(german_number_words(30), "dreißig");
  EXPECT_EQ(german_number_words(101), "einhunderteins");
  EXPECT_EQ(german_number_words(421), "vierhunderteinundzwanzig");
  EXPECT_EQ(german_number_words(1000), "eintausend");
  EXPECT_EQ(german_number_words(1001), "eintausendeins");
  EXPECT_EQ(german_number_words(21000), "einundzwanzigtausend");
  EXPECT_EQ(german_number_words(101101), "einhunderteintausendeinhunderteins");
  EXPECT_EQ(german_number_words(999999),
            "neunhundertneunundneunzigtausendneunhundertneunundneunzig");
  EXPECT_NE(test::message_of<std::out_of_range>([] { german_number_words(1000000); }).find("1000000 exceeds"),
            std::string::npos);
}

QuickstartCorpusOptions small_options(std::uint64_t seed) {
  QuickstartCorpusOptions options;
  options.seed = seed;
  options.train_size = 5000;
  options.dev_size = 300;
  options.test_size = 300;
  return options;
}

TEST(QuickstartCorpus, SameSeedSameCorpus) {
  const auto a = generate_quickstart_corpus(small_options(7));
  const auto b = generate_quickstart_corpus(small_options(7));
  EXPECT_EQ(a.train.source, b.train.source);
  EXPECT_EQ(a.train.target, b.train.target);
  EXPECT_EQ(a.test.target, b.test.target);
  const auto c = generate_quickstart_corpus(small_options(8));
  EXPECT_NE(a.train.source, c.train.source);
}

TEST(QuickstartCorpus, SplitsHaveTheirSizesAndShareNoItem) {
  const auto corpus = generate_quickstart_corpus(small_options(1));
  EXPECT_EQ(corpus.train.size(), 5000u);
  EXPECT_EQ(corpus.dev.size(), 300u);
  EXPECT_EQ(corpus.test.size(), 300u);
  std::set<std::string> seen;
  for (const auto* split : {&corpus.train, &corpus.dev, &corpus.test})
    for (const auto& sentence : split->source) EXPECT_TRUE(seen.insert(sentence).second) << sentence;
}

TEST(QuickstartCorpus, PairsAreTranslationsOfTheSameNumber) {
  const auto corpus = generate_quickstart_corpus(small_options(3));
  std::map<std::string, std::string> english_to_german;
  for (std::uint32_t n = 0; n <= kMaxNumberWords; ++n)
    english_to_german[english_number_words(n)] = german_number_words(n);
  for (std::size_t i = 0; i < corpus.dev.size(); ++i)
    EXPECT_EQ(english_to_german.at(corpus.dev.source[i]), corpus.dev.target[i]);
}

TEST(QuickstartCorpus, ShortNumbersAppearInTraining) {
  const auto corpus = generate_quickstart_corpus(small_options(1));
  std::size_t short_ones = 0;
  for (const auto& sentence : corpus.train.source) short_ones += sentence.find(' ') == std::string::npos;
  EXPECT_GT(short_ones, 50u);  // the digit-count draw keeps small numbers in the data
}

TEST(QuickstartCorpus, RefusesMoreItemsThanNumbers) {
  QuickstartCorpusOptions options;
  options.train_size = 2000000;
  EXPECT_NE(test::message_of<std::invalid_argument>([&] { generate_quickstart_corpus(options); })
                .find("quickstart corpus: "),
            std::string::npos);
}

TEST(QuickstartCorpus, WritesSixAlignedFiles) {
  test::TempDir dir;
  const auto corpus = generate_quickstart_corpus(small_options(2));
  write_quickstart_corpus(corpus, dir.file("q"));
  EXPECT_EQ(read_lines(dir.file("q/train.en")), corpus.train.source);
  EXPECT_EQ(read_lines(dir.file("q/test.de")), corpus.test.target);
  EXPECT_EQ(read_lines(dir.file("q/dev.de")).size(), 300u);
}

}  // namespace
}  // namespace nmt
