// small_run.hpp — a small number-word corpus and a config that trains on it in
// seconds, for end-to-end tests of `nmt train`, `translate` and `evaluate`.
#pragma once

#include <string>

#include "cli_runner.hpp"
#include "test_util.hpp"

namespace nmt {

// A corpus of 3,000 training pairs (60 dev, 60 test) and its config.
struct SmallRun {
  test::TempDir dir;
  std::string config = dir.file("small.ini");

  explicit SmallRun(int max_steps = 200) {
    const Result generated = run_nmt("generate --out " + dir.file("corpus") +
                                     " --train-size 3000 --dev-size 60 --test-size 60");
    EXPECT_EQ(generated.exit_code, 0) << generated.output;
    test::write_text(config, "[data]\nsource_lang = en\ntarget_lang = de\ntrain = " + dir.file("corpus/train") +
                                 "\ndev = " + dir.file("corpus/dev") + "\n"
                                 "[tokenizer]\nalgorithm = bpe\nvocab_size = 60\n"
                                 "[model]\nembed_dim = 32\nencoder_hidden = 48\ndecoder_hidden = 48\n"
                                 "attention_dim = 48\noutput_dim = 32\ndropout = 0.1\n"
                                 "[train]\nthreads = 1\nbatch_tokens = 600\nmax_epochs = 100\nmax_steps = " +
                                 std::to_string(max_steps) +
                                 "\nlr = 0.003\ncheckpoint_every = 20\nvalid_every = 50\nlog_every = 10\n"
                                 "keep_checkpoints = 100\n");
  }
  std::string run_dir(const std::string& name) const { return dir.file(name); }
  std::string train_args(const std::string& name) const {
    return "train -c " + config + " --train.run_dir " + run_dir(name);
  }
  // Trains into run_dir(name): "" when it worked, else what failed — a suite's set-up
  // problem, which its SetUp asserts is "" (GoogleTest would otherwise report the suite's
  // tests as skipped, and ctest would pass).
  std::string train_problem(const std::string& name) const {
    const Result trained = run_nmt(train_args(name));
    return trained.exit_code == 0 ? "" : "training the suite's model failed: " + trained.output;
  }
};

// A suite whose tests share one small trained model (its run in run_dir("run")). Suite
// is the deriving class, so each suite has its own. A failed set-up fails every test of
// the suite: SetUp asserts setup_problem_ is "".
template <class Suite>
class TrainedModelSuite : public ::testing::Test {
 protected:
  // Trains the model: call first in the suite's SetUpTestSuite.
  static void train_model(int max_steps = 150) {
    run_ = new SmallRun(max_steps);
    setup_problem_ = run_->train_problem("run");
  }
  void SetUp() override { ASSERT_EQ(setup_problem_, ""); }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static std::string model() { return run_->run_dir("run") + "/model.nmt"; }
  static std::string file(const std::string& name) { return run_->dir.file(name); }

  static inline SmallRun* run_ = nullptr;
  static inline std::string setup_problem_;
};

}  // namespace nmt
