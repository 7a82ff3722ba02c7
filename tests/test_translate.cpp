// test_translate.cpp — `nmt translate` and `nmt evaluate` end to end on a small trained
// model: the filter keeps line alignment through empty, invalid and over-long lines, each
// line translated as it is alone; file mode equals filter mode; n-best lists have their
// documented format and order, headed by the 1-best translation; the interactive prompt
// answers commands, translates as the filter does and draws the attention; evaluate
// scores a model and a hypothesis file the same way, its hypotheses those of translate,
// and refuses misaligned files and bad models with status 1 and their message.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "data/utf8.hpp"
#include "small_run.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class TranslateCli : public ::testing::Test {
 protected:
  // A failed set-up must fail every test of the suite (GoogleTest would otherwise report
  // its tests as skipped, and ctest would pass): SetUp checks what the suite set up.
  static void SetUpTestSuite() {
    run_ = new SmallRun(150);
    const Result trained = run_nmt(run_->train_args("run"));
    setup_problem_ = trained.exit_code == 0 ? "" : "training the suite's model failed: " + trained.output;
  }
  void SetUp() override { ASSERT_EQ(setup_problem_, ""); }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static std::string model() { return run_->run_dir("run") + "/model.nmt"; }
  static std::string file(const std::string& name) { return run_->dir.file(name); }

  // Runs `nmt ARGS < input`, stdout and stderr kept apart.
  static Result run_split(const std::string& args, const std::string& input, std::string& err) {
    test::write_text(file("stdin.txt"), input);
    const Result r = run_command("(" + std::string(NMT_BINARY_PATH) + " " + args + " < " + file("stdin.txt") +
                                 " 2> " + file("stderr.txt") + ")");
    err = test::read_text(file("stderr.txt"));
    return r;
  }

  static SmallRun* run_;
  static std::string setup_problem_;
};

SmallRun* TranslateCli::run_ = nullptr;
std::string TranslateCli::setup_problem_;

const std::string kMixedInput = "four hundred and two\n"
                                "\n"
                                "nine \xff\xfe thousand\n"
                                "seventeen\n" +
                                [] {
                                  std::string long_line;
                                  for (int i = 0; i < 300; ++i) long_line += "one ";
                                  return long_line;
                                }() +
                                "\n   \nsixty-one\n";

TEST_F(TranslateCli, FilterKeepsLineAlignmentThroughBadLines) {
  std::string err;
  const Result r = run_split("translate -m " + model() + " --search.beam_size 2", kMixedInput, err);
  ASSERT_EQ(r.exit_code, 0) << err;
  const auto out = lines_of(r.output);
  ASSERT_EQ(out.size(), 7u) << r.output;
  EXPECT_EQ(out[1], "");
  EXPECT_EQ(out[5], "");
  EXPECT_CONTAINS(err, "line 3: invalid UTF-8 replaced by U+FFFD");
  EXPECT_CONTAINS(err, "line 5: ");
  EXPECT_CONTAINS(err, "source pieces, cut to the first 250");
  // Each line's translation is the one it gets alone, the broken line's that of its
  // repaired text: a second run over the clean lines, in another order, as a file.
  const auto mixed = lines_of(kMixedInput);
  const std::vector<std::string> clean = {mixed[6], mixed[4], utf8::repair(mixed[2]), mixed[3], mixed[0]};
  std::string clean_text;
  for (const auto& line : clean) clean_text += line + "\n";
  test::write_text(file("clean.txt"), clean_text);
  const Result alone = run_nmt("translate -m " + model() + " --search.beam_size 2 -i " + file("clean.txt") + " -o " +
                               file("clean.out"));
  ASSERT_EQ(alone.exit_code, 0) << alone.output;
  const auto expected = lines_of(test::read_text(file("clean.out")));
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_EQ(out[6], expected[0]);
  EXPECT_EQ(out[4], expected[1]);
  EXPECT_EQ(out[2], expected[2]);
  EXPECT_EQ(out[3], expected[3]);
  EXPECT_EQ(out[0], expected[4]);
  for (const std::size_t i : {0, 2, 3, 4, 6}) EXPECT_FALSE(out[i].empty()) << "line " << i + 1;
}

TEST_F(TranslateCli, FileModeEqualsFilterMode) {
  std::string err;
  const Result filter = run_split("translate -m " + model(), kMixedInput, err);
  ASSERT_EQ(filter.exit_code, 0) << err;
  test::write_text(file("in.txt"), kMixedInput);
  const Result batched = run_nmt("translate -m " + model() + " -i " + file("in.txt") + " -o " + file("out.txt"));
  ASSERT_EQ(batched.exit_code, 0) << batched.output;
  EXPECT_EQ(test::read_text(file("out.txt")), filter.output);
}

TEST_F(TranslateCli, NbestListsHaveTheirFormatAndOrder) {
  test::write_text(file("nbest.in"), "three\n\ntwenty-two\n");
  const Result r =
      run_nmt("translate -m " + model() + " --nbest 3 -i " + file("nbest.in") + " -o " + file("nbest.out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto out = lines_of(test::read_text(file("nbest.out")));
  // The head of each list is the 1-best translation of the same beam.
  const Result one_best = run_nmt("translate -m " + model() + " -i " + file("nbest.in") + " -o " + file("best.out"));
  ASSERT_EQ(one_best.exit_code, 0) << one_best.output;
  const auto best = lines_of(test::read_text(file("best.out")));
  ASSERT_EQ(best.size(), 3u);
  ASSERT_GE(out.size(), 5u);
  EXPECT_EQ(out[0].substr(0, 6 + best[0].size() + 5), "0 ||| " + best[0] + " ||| ");
  EXPECT_EQ(out[4].substr(0, 6 + best[2].size() + 5), "2 ||| " + best[2] + " ||| ");
  // Three per non-empty line; the empty line gives its one empty hypothesis.
  ASSERT_EQ(out.size(), 7u) << test::read_text(file("nbest.out"));
  double previous = 1e9;
  std::string previous_index;
  for (const auto& line : out) {
    const std::size_t a = line.find(" ||| "), b = line.rfind(" ||| ");
    ASSERT_NE(a, std::string::npos) << line;
    ASSERT_NE(a, b) << line;
    // (Distinct token sequences may still decode to the same text: not checked here.)
    const std::string index = line.substr(0, a);
    const double score = std::stod(line.substr(b + 5));
    if (index != previous_index) previous = 1e9;
    EXPECT_LE(score, previous) << line;
    previous = score;
    previous_index = index;
  }
  EXPECT_EQ(out[0].substr(0, 6), "0 ||| ");
  EXPECT_EQ(out[3], "1 |||  ||| 0.000000");
  EXPECT_EQ(out[4].substr(0, 6), "2 ||| ");
}

TEST_F(TranslateCli, InteractivePromptAnswersCommandsAndDrawsAttention) {
  std::string err;
  const std::string svg = file("attention.svg");
  const Result r = run_split("translate -m " + model() + " --interactive",
                             ":help\nfour hundred\n:show\n:attention on\nseventeen\n:svg " + svg +
                                 "\n:beam 1\n:nbest 2\n:beam 2\n:nbest 2\n:beam zero\n:beam 300\n:bogus\n\n:quit\nnot translated\n",
                             err);
  ASSERT_EQ(r.exit_code, 0) << err;
  const std::string& out = r.output;
  EXPECT_CONTAINS(out, "Type a sentence, or :help.");
  // The sentences are translated as the filter translates them (the default beam, until :beam).
  std::string filter_err;
  const Result filtered = run_split("translate -m " + model(), "four hundred\nseventeen\n", filter_err);
  ASSERT_EQ(filtered.exit_code, 0) << filter_err;
  const auto expected = lines_of(filtered.output);
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_CONTAINS(out, "\n> " + expected[0] + "\n> ");    // "four hundred", then :show's prompt
  EXPECT_CONTAINS(out, "attention heatmap on\n> " + expected[1] + "\n");  // "seventeen", its heatmap after
  EXPECT_CONTAINS(out, ":beam N");                  // the help text
  EXPECT_CONTAINS(out, "(more attention = more ink: denser glyphs, darker in :svg)");
  EXPECT_CONTAINS(out, "greedy search");            // after :beam 1
  // One search rule everywhere: an n-best list longer than the beam is refused.
  EXPECT_CONTAINS(out, "search.nbest: cannot exceed search.beam_size (1)");  // :nbest 2 at beam 1
  EXPECT_CONTAINS(out, "beam 2, 1-best");           // :beam 2
  EXPECT_CONTAINS(out, "beam 2, 2-best");           // then :nbest 2
  EXPECT_CONTAINS(out, "search.beam_size = zero: must be a whole number");  // the flag's message
  EXPECT_CONTAINS(out, "search.beam_size = 300: must be in [1, 256]");  // the flag's range
  EXPECT_CONTAINS(out, "unknown command ':bogus'");
  EXPECT_CONTAINS(out, "attention heatmap on");
  EXPECT_CONTAINS(out, "</s>");                     // the heatmap's last row
  EXPECT_CONTAINS(out, "(attention: more attention = more ink; ");  // its legend
  EXPECT_TRUE(out.find("█") != std::string::npos || out.find("▓") != std::string::npos ||
              out.find("▒") != std::string::npos || out.find("░") != std::string::npos)
      << out;
  EXPECT_CONTAINS(out, "wrote " + svg);
  const std::string picture = test::read_text(svg);
  EXPECT_CONTAINS(picture, "<svg");
  EXPECT_CONTAINS(picture, "fill-opacity");
  EXPECT_CONTAINS(picture, "more attention = more ink (darker)");
  // Prompts: one per line read up to and including :quit (15 lines), nothing after it.
  std::size_t prompts = 0;
  for (const auto& line : lines_of(out)) prompts += line.rfind("> ", 0) == 0 ? 1 : 0;
  EXPECT_EQ(prompts, 15u) << out;
}

TEST_F(TranslateCli, EvaluateScoresAModelAndItsHypothesisFileAlike) {
  const std::string test_prefix = run_->dir.file("corpus/test");
  const Result with_model = run_nmt("evaluate -m " + model() + " --src " + test_prefix + ".en --ref " + test_prefix +
                                    ".de --search.beam_size 3 --json -o " + file("eval.hyp"));
  ASSERT_EQ(with_model.exit_code, 0) << with_model.output;
  const nlohmann::json scored = nlohmann::json::parse(lines_of(with_model.output).back());
  EXPECT_EQ(scored.at("sentences").get<std::uint64_t>(), 60u);
  EXPECT_GT(scored.at("perplexity").get<double>(), 1.0);
  EXPECT_GT(scored.at("sentences_per_s").get<double>(), 0.0);
  EXPECT_EQ(scored.at("bleu_signature").get<std::string>(), "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0");

  const Result from_file = run_nmt("evaluate --hyp " + file("eval.hyp") + " --ref " + test_prefix + ".de --json");
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;
  const nlohmann::json rescored = nlohmann::json::parse(lines_of(from_file.output).back());
  EXPECT_EQ(rescored.at("bleu").get<double>(), scored.at("bleu").get<double>());
  EXPECT_EQ(rescored.at("chrf").get<double>(), scored.at("chrf").get<double>());

  const Result table = run_nmt("evaluate --hyp " + file("eval.hyp") + " --ref " + test_prefix + ".de");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_CONTAINS(table.output, "BLEU  = ");
  EXPECT_CONTAINS(table.output, "chrF2 = ");

  // The hypotheses are translate's, with the same search.
  const Result translated = run_nmt("translate -m " + model() + " --search.beam_size 3 -i " + test_prefix + ".en -o " +
                                    file("translated.hyp"));
  ASSERT_EQ(translated.exit_code, 0) << translated.output;
  EXPECT_EQ(test::read_text(file("eval.hyp")), test::read_text(file("translated.hyp")));
  EXPECT_EQ(lines_of(test::read_text(file("eval.hyp"))).size(), 60u);
}

TEST_F(TranslateCli, EvaluateRefusesMisalignedFiles) {
  test::write_text(file("short.hyp"), "one\ntwo\n");
  const std::string ref = run_->dir.file("corpus/test.de");
  const Result r = run_nmt("evaluate --hyp " + file("short.hyp") + " --ref " + ref);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_CONTAINS(r.output, "nmt evaluate: error: '" + file("short.hyp") + "' has 2 lines but '" + ref +
                                "' has 60; they must be line-aligned");
  const Result with_model = run_nmt("evaluate -m " + model() + " --src " + file("short.hyp") + " --ref " + ref);
  EXPECT_EQ(with_model.exit_code, 1) << with_model.output;
  EXPECT_CONTAINS(with_model.output, "nmt evaluate: error: '" + file("short.hyp") + "' has 2 lines but '" + ref +
                                         "' has 60; they must be line-aligned");
}

TEST_F(TranslateCli, MissingOrCorruptModelIsAClearError) {
  const Result missing = run_nmt("translate -m " + file("no-such.nmt") + " -i /dev/null");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_CONTAINS(missing.output,
                  "nmt translate: error: cannot open '" + file("no-such.nmt") + "': No such file or directory");
  test::write_text(file("garbage.nmt"), "this is not a model file at all, just text");
  const Result garbage = run_nmt("translate -m " + file("garbage.nmt") + " -i /dev/null");
  EXPECT_EQ(garbage.exit_code, 1) << garbage.output;
  EXPECT_CONTAINS(garbage.output,
                  "nmt translate: error: '" + file("garbage.nmt") + "' is not an nmt model or checkpoint");
  const Result evaluated = run_nmt("evaluate -m " + file("garbage.nmt") + " --src " + file("garbage.nmt") + " --ref " +
                                   file("garbage.nmt"));
  EXPECT_EQ(evaluated.exit_code, 1) << evaluated.output;
  EXPECT_CONTAINS(evaluated.output,
                  "nmt evaluate: error: '" + file("garbage.nmt") + "' is not an nmt model or checkpoint");
}

}  // namespace
}  // namespace nmt
