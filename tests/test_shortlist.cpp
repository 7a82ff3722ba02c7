// test_shortlist.cpp — shortlisted search (decoding/shortlist.hpp, decoding/ensemble.hpp):
// a sentence's list and a batch's columns and masks; a shortlist that lists every piece
// searches exactly as the whole vocabulary does (greedy and beam, scores and attention,
// in fp32 and, where the CPU has them, bf16 and int8 products); a shortlisted greedy
// search picks the full search's pieces for as long as those are inside the sentence's
// list; no shortlisted search produces a piece outside its sentence's list; and a
// sentence's translation does not depend on the other sentences of its batch.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "decoding/beam_search.hpp"
#include "decoding/shortlist.hpp"
#include "model/dnnl_backend.hpp"
#include "model/special_ids.hpp"
#include "model_fixture.hpp"

namespace nmt {
namespace {

// A target vocabulary large enough that a batch's union is smaller than it after padding.
constexpr int kSourceVocab = 40, kTargetVocab = 700;

struct RandomModel {
  RnnSearch network{test::tiny_config(AttentionType::additive), kSourceVocab, kTargetVocab};
  std::vector<float> parameters = network.initial_parameters(5);
  RandomModel() {
    for (float& w : parameters) w *= 3.f;  // peakier distributions than the initialisation's
  }
};

std::vector<std::vector<int>> sources(std::uint32_t seed, const std::vector<int>& lengths) {
  std::mt19937 rng(seed);
  return test::random_sentences(lengths, kSourceVocab, rng);
}

// per_source random target ids for each source piece (none special), and `frequent`.
Shortlist random_shortlist(int per_source, std::vector<std::int32_t> frequent, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> id(4, kTargetVocab - 1);
  Shortlist list;
  list.per_source = per_source;
  list.frequent = std::move(frequent);
  list.offsets.push_back(0);
  for (int s = 0; s < kSourceVocab; ++s) {
    std::set<int> ids;
    while (static_cast<int>(ids.size()) < per_source) ids.insert(id(rng));
    list.targets.insert(list.targets.end(), ids.begin(), ids.end());
    list.offsets.push_back(static_cast<std::int32_t>(list.targets.size()));
  }
  return list;
}

// Every target piece in every list (as frequent pieces).
Shortlist everything() {
  std::vector<std::int32_t> all;
  for (int id = 4; id < kTargetVocab; ++id) all.push_back(id);
  Shortlist list;
  list.frequent = all;
  list.offsets.assign(kSourceVocab + 1, 0);
  return list;
}

void expect_identical(const Hypothesis& got, const Hypothesis& want, const std::string& what) {
  EXPECT_EQ(got.tokens, want.tokens) << what;
  EXPECT_EQ(got.score, want.score) << what;
  EXPECT_EQ(got.alignment, want.alignment) << what;
}

// The same pieces, with the score and the attention equal up to float rounding: a batch's
// row count may change the GEMM's blocking (and so its summation order) on some ISAs.
void expect_same_up_to_rounding(const Hypothesis& got, const Hypothesis& want, const std::string& what) {
  EXPECT_EQ(got.tokens, want.tokens) << what;
  EXPECT_NEAR(got.score, want.score, 1e-4) << what;
  ASSERT_EQ(got.alignment.size(), want.alignment.size()) << what;
  for (std::size_t t = 0; t < got.alignment.size(); ++t) {
    ASSERT_EQ(got.alignment[t].size(), want.alignment[t].size()) << what << ", step " << t;
    for (std::size_t j = 0; j < got.alignment[t].size(); ++j)
      EXPECT_NEAR(got.alignment[t][j], want.alignment[t][j], 1e-5) << what << ", step " << t << ", source " << j;
  }
}

SearchConfig search(int beam, bool shortlist) {
  SearchConfig config;
  config.beam_size = beam;
  config.nbest = beam;
  config.shortlist = shortlist;
  return config;
}

TEST(Shortlist, SentenceListIsSpecialsFrequentAndEachSourcePiecesTargets) {
  Shortlist list;
  list.per_source = 2;
  list.frequent = {9, 5};
  list.offsets = {0, 0, 2, 3};  // source 0 lists none, 1 lists {7, 12}, 2 lists {5}
  list.targets = {12, 7, 5};
  ASSERT_EQ(list.problem(3, 20), "");
  EXPECT_EQ(list.sentence_list({1, 2, 1}, 20), (std::vector<int>{0, 1, 2, 3, 5, 7, 9, 12}));
  EXPECT_EQ(list.sentence_list({0}, 20), (std::vector<int>{0, 1, 2, 3, 5, 9}));
  EXPECT_THROW(list.sentence_list({3}, 20), std::invalid_argument);
}

TEST(Shortlist, ProblemNamesWhatIsMalformed) {
  Shortlist list;
  list.per_source = 2;
  list.offsets = {0, 2, 3};
  list.targets = {4, 5, 6};
  EXPECT_EQ(list.problem(2, 10), "");
  EXPECT_NE(list.problem(3, 10).find("source vocabulary"), std::string::npos);
  EXPECT_NE(list.problem(2, 6).find("targets entry 2 is target id 6"), std::string::npos);
  Shortlist too_long = list;
  too_long.per_source = 1;
  EXPECT_NE(too_long.problem(2, 10).find("per_source = 1"), std::string::npos);
  Shortlist falling = list;
  falling.offsets = {0, 3, 2};
  EXPECT_NE(falling.problem(2, 10).find("do not list"), std::string::npos);
  Shortlist bad_frequent = list;
  bad_frequent.frequent = {-1};
  EXPECT_NE(bad_frequent.problem(2, 10).find("frequent entry 0"), std::string::npos);
}

TEST(Shortlist, BatchColumnsAreTheUnionPaddedAndEachSentenceAllowsItsOwnList) {
  const Shortlist list = random_shortlist(5, {4, 9}, 3);
  const auto input = sources(2, {3, 6, 2});
  const BatchVocabulary columns = batch_vocabulary(list, input, kTargetVocab);
  ASSERT_EQ(columns.columns() % BatchVocabulary::kColumnBlock, 0);
  ASSERT_LT(columns.columns(), kTargetVocab);
  EXPECT_TRUE(std::is_sorted(columns.ids.begin(), columns.ids.end()));
  std::set<int> in_union;
  for (std::size_t n = 0; n < input.size(); ++n) {
    const std::vector<int> own = list.sentence_list(input[n], kTargetVocab);
    in_union.insert(own.begin(), own.end());
    std::vector<int> allowed;
    for (int u = 0; u < columns.columns(); ++u)
      if (columns.allowed[n * static_cast<std::size_t>(columns.columns()) + static_cast<std::size_t>(u)])
        allowed.push_back(columns.ids[static_cast<std::size_t>(u)]);
    EXPECT_EQ(allowed, own) << "sentence " << n;
  }
  EXPECT_EQ(std::set<int>(columns.ids.begin(), columns.ids.end()), in_union);
  EXPECT_EQ(columns.column_of(SpecialIds::eos), SpecialIds::eos);  // specials are the smallest ids
}

// Shortlisted search with every piece listed against the whole vocabulary, in the
// current gemm precision.
void expect_everything_is_the_whole_vocabulary(const std::string& precision) {
  const RandomModel m;
  const Shortlist all = everything();
  const Ensemble plain(m.network, m.parameters.data());
  const Ensemble listed(m.network, m.parameters.data(), &all);
  const ConstantOperands weights(m.parameters.data(), m.parameters.size());  // as the translator registers them
  const auto input = sources(4, {3, 7, 5, 1, 4});
  const auto greedy = greedy_search(plain, input, search(1, false), true);
  const auto greedy_listed = greedy_search(listed, input, search(1, true), true);
  for (std::size_t i = 0; i < input.size(); ++i)
    expect_identical(greedy_listed[i], greedy[i], precision + " greedy, sentence " + std::to_string(i));
  const auto beam = beam_search(plain, input, search(4, false), true);
  const auto beam_listed = beam_search(listed, input, search(4, true), true);
  for (std::size_t i = 0; i < input.size(); ++i) {
    ASSERT_EQ(beam_listed[i].size(), beam[i].size());
    for (std::size_t k = 0; k < beam[i].size(); ++k)
      expect_identical(beam_listed[i][k], beam[i][k], precision + " beam, sentence " + std::to_string(i));
  }
}

TEST(Shortlist, ListingEveryPieceIsTheWholeVocabularyExactly) {
  expect_everything_is_the_whole_vocabulary("fp32");
  for (const Precision precision : {Precision::bf16, Precision::int8}) {
    const bool available = precision == Precision::bf16 ? cpu_has_bf16() : cpu_has_int8();
    if (!available) {
      std::cout << "skipped: this CPU (" << cpu_isa_name() << ") has no " << field_text(precision) << " products\n";
      continue;
    }
    set_gemm_precision(precision);
    expect_everything_is_the_whole_vocabulary(field_text(precision));
    set_gemm_precision(Precision::fp32);
  }
}

// The full search's greedy picks, most common first: a frequent list that holds the picks
// of some sentences entirely and of others only in part.
std::vector<std::int32_t> most_common_picks(const std::vector<Hypothesis>& full, std::size_t count) {
  std::map<int, int> counts;
  for (const Hypothesis& h : full)
    for (const int t : h.tokens) ++counts[t];
  std::vector<std::pair<int, int>> ranked(counts.begin(), counts.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::int32_t> out;
  for (std::size_t i = 0; i < std::min(count, ranked.size()); ++i) out.push_back(ranked[i].first);
  return out;
}

TEST(Shortlist, GreedyPicksTheFullSearchsPiecesWhileTheyAreInTheList) {
  const RandomModel m;
  const Ensemble plain(m.network, m.parameters.data());
  std::vector<int> lengths;
  for (int i = 0; i < 24; ++i) lengths.push_back(1 + i % 9);
  const auto input = sources(8, lengths);
  SearchConfig config = search(1, false);
  config.batch_size = 8;
  const auto full = greedy_search(plain, input, config);
  const Shortlist list = random_shortlist(6, most_common_picks(full, 6), 9);
  const Ensemble listed(m.network, m.parameters.data(), &list);
  config.shortlist = true;
  const auto shortlisted = greedy_search(listed, input, config);
  int whole = 0, cut = 0;
  for (std::size_t i = 0; i < input.size(); ++i) {
    const std::vector<int> own = list.sentence_list(input[i], kTargetVocab);
    const auto inside = [&](int t) { return std::binary_search(own.begin(), own.end(), t); };
    std::size_t agree = 0;  // the full search's picks up to its first pick outside the list
    while (agree < full[i].tokens.size() && inside(full[i].tokens[agree])) ++agree;
    const bool all_inside = agree == full[i].tokens.size();
    (all_inside ? whole : cut) += 1;
    ASSERT_GE(shortlisted[i].tokens.size(), agree) << "sentence " << i;
    EXPECT_TRUE(std::equal(full[i].tokens.begin(), full[i].tokens.begin() + static_cast<std::ptrdiff_t>(agree),
                           shortlisted[i].tokens.begin()))
        << "sentence " << i << ": the first " << agree << " pieces differ";
    if (all_inside) {
      EXPECT_EQ(shortlisted[i].tokens, full[i].tokens) << "sentence " << i;
    }
    for (const int t : shortlisted[i].tokens) EXPECT_TRUE(inside(t)) << "sentence " << i << " produced " << t;
  }
  // Both kinds of sentence occur, or the test shows nothing.
  EXPECT_GT(whole, 0);
  EXPECT_GT(cut, 0);
}

TEST(Shortlist, BeamStaysInsideEachSentencesListAndIgnoresItsBatchMates) {
  const RandomModel m;
  const Shortlist list = random_shortlist(8, {4, 10, 20}, 21);
  const Ensemble listed(m.network, m.parameters.data(), &list);
  const auto input = sources(13, {4, 2, 6, 3, 5});
  for (const int beam : {1, 3}) {
    SearchConfig config = search(beam, true);
    const auto together = beam_search(listed, input, config, true);
    for (std::size_t i = 0; i < input.size(); ++i) {
      const std::vector<int> own = list.sentence_list(input[i], kTargetVocab);
      const auto alone = beam_search(listed, {input[i]}, config, true).front();
      ASSERT_EQ(alone.size(), together[i].size());
      for (std::size_t k = 0; k < alone.size(); ++k) {
        expect_same_up_to_rounding(together[i][k], alone[k], "beam " + std::to_string(beam) + ", sentence " + std::to_string(i));
        for (const int t : together[i][k].tokens)
          EXPECT_TRUE(std::binary_search(own.begin(), own.end(), t)) << "sentence " << i << " produced " << t;
      }
    }
  }
}

TEST(Shortlist, AnEnsembleWithoutOneRefusesAShortlistedSearch) {
  const RandomModel m;
  const Ensemble plain(m.network, m.parameters.data());
  EXPECT_FALSE(plain.has_shortlist());
  EXPECT_THROW(greedy_search(plain, sources(1, {3}), search(1, true)), std::invalid_argument);
}

}  // namespace
}  // namespace nmt
