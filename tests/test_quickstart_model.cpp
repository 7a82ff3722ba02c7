// test_quickstart_model.cpp — the quickstart recipe, trained for 600 steps, learns its
// task (nine in ten test sentences exact) and translates through the pipe as the
// trainer's own decoding did; its int8 products and its shortlist translate as fp32 on
// the whole vocabulary does. The model is trained once for these tests: under ctest by the
// fixture tests/train_quickstart_model.sh into NMT_QUICKSTART_MODEL_DIR, run by hand by
// the same script into a scratch directory. Kept to the optimised build (a learning run).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli_runner.hpp"
#include "data/line_reader.hpp"
#include "formats/model_file.hpp"
#include "model/dnnl_backend.hpp"
#include "test_util.hpp"
#include "training/metrics_log.hpp"

namespace nmt {
namespace {

class QuickstartModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
#ifndef NMT_SANITIZE
    const char* trained_by_ctest = std::getenv("NMT_QUICKSTART_MODEL_DIR");
    if (trained_by_ctest != nullptr && std::filesystem::exists(std::string(trained_by_ctest) + "/run/model.nmt")) {
      model_dir_ = trained_by_ctest;
      return;
    }
    scratch_ = new test::TempDir;
    model_dir_ = scratch_->file("quickstart");
    const Result trained = run_command("bash tests/train_quickstart_model.sh " + std::string(NMT_BINARY_PATH) + " " +
                                       model_dir_);
    if (trained.exit_code != 0) problem_ = "training the quickstart model failed: " + trained.output;
#endif
  }
  static void TearDownTestSuite() {
    delete scratch_;
    scratch_ = nullptr;
  }
  void SetUp() override {
#ifdef NMT_SANITIZE
    GTEST_SKIP() << "a learning run, kept to the optimised build";
#endif
    ASSERT_EQ(problem_, "");
  }
  // The trained run's files (read only: the tests may run at once) and the corpus's.
  static std::string run_file(const std::string& name) { return model_dir_ + "/run/" + name; }
  static std::string corpus(const std::string& name) { return model_dir_ + "/corpus/" + name; }

  test::TempDir out_;  // this test's own outputs

  static inline test::TempDir* scratch_ = nullptr;
  static inline std::string model_dir_;
  static inline std::string problem_;
};

TEST_F(QuickstartModel, LearnsItsTaskInAFixedNumberOfSteps) {
  MetricsRecord test, last_of_training;
  std::ifstream in(run_file("metrics.jsonl"));
  for (std::string line; std::getline(in, line);) {
    const MetricsRecord record = parse_metrics_json(line);
    (record.type == "test" ? test : last_of_training) = record;
  }
  ASSERT_EQ(test.type, "test") << "the run ends with a test record";
  EXPECT_GE(test.exact_match, 90) << "test exact match (%) after 600 steps";
  // The test record is complete and carries the epoch and step at which the run ended.
  EXPECT_GE(test.epoch, 1);
  EXPECT_EQ(test.epoch, last_of_training.epoch);
  EXPECT_EQ(test.step, 600);
  EXPECT_GT(test.ppl, 1);
  EXPECT_LT(test.ppl, 2);
  EXPECT_GT(test.chrf, 90);
  EXPECT_GE(test.bleu, 0);
  // The trained model translates the test split through the pipe as the trainer's own
  // greedy decoding did (test.hyp), one line out per line in, an empty line kept empty;
  // and nine in ten of its translations are the German number words themselves.
  const std::vector<std::string> sources = read_lines(corpus("test.en"));
  const std::vector<std::string> references = read_lines(corpus("test.de"));
  const std::vector<std::string> hypotheses = read_lines(run_file("test.hyp"));
  ASSERT_EQ(sources.size(), hypotheses.size());
  ASSERT_EQ(sources.size(), references.size());
  const std::size_t blank_after = sources.size() / 2;
  std::string input, expected;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    input += sources[i] + (i == blank_after ? "\n\n" : "\n");
    expected += hypotheses[i] + (i == blank_after ? "\n\n" : "\n");
  }
  test::write_text(out_.file("pipe.in"), input);
  const Result translated = run_nmt_to(
      "translate --search.beam_size 1 -m " + run_file("model.nmt") + " < " + out_.file("pipe.in"), out_.file("pipe.out"));
  ASSERT_EQ(translated.exit_code, 0) << translated.output;
  EXPECT_EQ(test::read_text(out_.file("pipe.out")), expected);
  std::size_t right = 0;
  for (std::size_t i = 0; i < hypotheses.size(); ++i) right += hypotheses[i] == references[i] ? 1 : 0;
  EXPECT_GE(static_cast<double>(right), 0.9 * static_cast<double>(references.size()));
}

// int8 products, the shortlist, and both, against fp32 over the whole vocabulary: equal
// translations on at least 98% of the test lines, greedy and beam 5. The shortlist built
// by the training run really leaves pieces out of every sentence's list.
TEST_F(QuickstartModel, Int8AndShortlistTranslateAsFp32OnAtLeast98PercentOfLines) {
  const LoadedModel model = load_model_file(run_file("model.nmt"));
  ASSERT_FALSE(model.shortlist.empty()) << "nmt train builds a shortlist";
  const int V = model.network->target_vocab();
  const std::vector<std::string> sources = read_lines(corpus("test.en"));
  double list_sizes = 0;
  for (const std::string& line : sources) {
    const auto ids = model.vocabularies.source.encode(line);
    const auto list = model.shortlist.sentence_list(ids, V);
    EXPECT_LT(static_cast<int>(list.size()), V) << "the list of '" << line << "' holds every piece";
    list_sizes += static_cast<double>(list.size());
  }
  std::cout << "mean shortlist " << list_sizes / static_cast<double>(sources.size()) << " of " << V << " pieces\n";
  const std::vector<std::pair<std::string, std::string>> modes = {
      {"int8", "--precision int8"}, {"shortlist", "--shortlist"}, {"int8 + shortlist", "--precision int8 --shortlist"}};
  for (const int beam : {1, 5}) {
    const std::string search = " --search.beam_size " + std::to_string(beam) + " -i " + corpus("test.en") + " -o ";
    const Result reference = run_nmt("translate -m " + run_file("model.nmt") + search + out_.file("fp32.txt"));
    ASSERT_EQ(reference.exit_code, 0) << reference.output;
    const std::vector<std::string> fp32 = read_lines(out_.file("fp32.txt"));
    ASSERT_EQ(fp32.size(), sources.size());
    for (const auto& [name, flags] : modes) {
      if (name.find("int8") != std::string::npos && !cpu_has_int8()) {
        std::cout << "skipped " << name << ": no VNNI or AMX on this CPU (oneDNN ISA " << cpu_isa_name() << ")\n";
        continue;
      }
      const Result r = run_nmt("translate -m " + run_file("model.nmt") + " " + flags + search + out_.file("mode.txt"));
      ASSERT_EQ(r.exit_code, 0) << name << ": " << r.output;
      const std::vector<std::string> got = read_lines(out_.file("mode.txt"));
      ASSERT_EQ(got.size(), fp32.size()) << name;
      std::size_t same = 0;
      for (std::size_t i = 0; i < got.size(); ++i) same += got[i] == fp32[i] ? 1 : 0;
      EXPECT_GE(static_cast<double>(same), 0.98 * static_cast<double>(fp32.size())) << name << ", beam " << beam;
      std::cout << name << ", beam " << beam << ": " << same << " of " << fp32.size() << " lines as fp32's\n";
    }
  }
}

}  // namespace
}  // namespace nmt
