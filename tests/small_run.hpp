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
};

}  // namespace nmt
