// test_training.cpp — `nmt train` end to end: killed and resumed runs equal an
// uninterrupted one, SIGTERM checkpoints and exits cleanly, bad data fails before any
// training, config.ini reads back what it holds, a config and its run work from any
// working directory, and train.log holds the loss lines at a terminal too. The quickstart
// model's tests are tests/test_quickstart_model.cpp.
#include <gtest/gtest.h>
#include <unistd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "small_run.hpp"
#include "model/dnnl_backend.hpp"
#include "formats/model_file.hpp"
#include "test_util.hpp"
#include "training/checkpoint.hpp"
#include "training/run_lock.hpp"
#include "training/metrics_log.hpp"

extern char** environ;

namespace nmt {
namespace {

namespace fs = std::filesystem;

// Starts `nmt ARGS > LOG 2>&1` in the background.
pid_t spawn_nmt(const std::string& arguments, const std::string& log) {
  const std::string command = "exec " + std::string(NMT_BINARY_PATH) + " " + arguments + " > " + log + " 2>&1";
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
    throw std::runtime_error("posix_spawn failed");
  return pid;
}

// Waits until the run has a checkpoint at or after `step`, then sends `signal`;
// returns the exit status (or the signal number + 128 for a killed process).
int signal_after_checkpoint(pid_t pid, const std::string& run_dir, std::int64_t step, int signal) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
  for (;;) {
    const auto checkpoints = list_checkpoints(run_dir);
    if (!checkpoints.empty() && checkpoints.back() >= checkpoint_path(run_dir, step)) break;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      ADD_FAILURE() << "the run ended before step " << step;
      return -1;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "no checkpoint at step " << step << " in time";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, signal);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<MetricsRecord> train_records(const std::string& run_dir) {
  std::vector<MetricsRecord> out;
  std::ifstream in(run_dir + "/metrics.jsonl");
  for (std::string line; std::getline(in, line);) {
    const MetricsRecord record = parse_metrics_json(line);
    if (record.type != "test") out.push_back(record);
  }
  return out;
}

TEST(Training, KilledAndResumedRunEqualsAnUninterruptedOne) {
  SmallRun run;
  const Result whole = run_nmt(run.train_args("whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.output;

  // SIGKILL at an arbitrary moment after step 60, resume; SIGTERM after step 120, resume.
  const std::string parts = run.run_dir("parts");
  EXPECT_EQ(signal_after_checkpoint(spawn_nmt(run.train_args("parts"), run.dir.file("1.log")), parts, 60, SIGKILL),
            128 + SIGKILL);
  for (const auto& entry : fs::directory_iterator(parts + "/checkpoints")) {
    if (entry.path().filename().string().find(".tmp.") == std::string::npos) {
      EXPECT_NO_THROW(read_checkpoint(entry.path().string())) << entry.path();
    }
  }
  const int terminated = signal_after_checkpoint(spawn_nmt("train --resume " + parts, run.dir.file("2.log")),
                                                 parts, 120, SIGTERM);
  const std::string log2 = test::read_text(run.dir.file("2.log"));
  EXPECT_EQ(terminated, 128 + SIGTERM) << log2;
  EXPECT_CONTAINS(log2, "SIGTERM received: checkpoint written");
  const Result finished = run_nmt("train --resume " + parts);
  ASSERT_EQ(finished.exit_code, 0) << finished.output;
  EXPECT_CONTAINS(finished.output, "resuming from");

  const LoadedModel a = load_model_file(checkpoint_path(run.run_dir("whole"), 200));
  const LoadedModel b = load_model_file(checkpoint_path(parts, 200));
  EXPECT_TRUE(a.parameters == b.parameters) << "resumed weights differ";
  const Checkpoint ca = read_checkpoint(checkpoint_path(run.run_dir("whole"), 200));
  const Checkpoint cb = read_checkpoint(checkpoint_path(parts, 200));
  EXPECT_TRUE(ca.first_moment == cb.first_moment && ca.second_moment == cb.second_moment);
  EXPECT_EQ(ca.state.lr, cb.state.lr);
  EXPECT_EQ(ca.state.best_score, cb.state.best_score);

  // The metrics read as one run: the same steps and losses, dev scores included.
  const auto ra = train_records(run.run_dir("whole")), rb = train_records(parts);
  ASSERT_EQ(ra.size(), rb.size());
  for (std::size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i].type, rb[i].type);
    EXPECT_EQ(ra[i].step, rb[i].step);
    EXPECT_EQ(ra[i].loss, rb[i].loss) << "step " << ra[i].step;
    EXPECT_EQ(ra[i].bleu, rb[i].bleu) << "step " << ra[i].step;
  }
  EXPECT_EQ(load_model_file(run.run_dir("whole") + "/model.nmt").parameters,
            load_model_file(parts + "/model.nmt").parameters);
}

// A process killed inside an atomic write leaves FILE.tmp.PID beside FILE (found by
// scripts/fault_kill_storm.sh: model.nmt.tmp.PID and config.ini.tmp.PID outlived the
// run). The next session removes those of dead processes, and only those of its files.
TEST(Training, ResumeRemovesTheTemporaryFilesOfAKilledRun) {
  SmallRun run(20);
  const std::string dir = run.run_dir("killed");
  ASSERT_EQ(run_nmt(run.train_args("killed")).exit_code, 0);
  // Above PID_MAX_LIMIT (2^22), the largest pid_max a kernel allows: never a process.
  const std::string dead = "4194305", alive = std::to_string(::getpid());
  const std::vector<std::string> stale = {dir + "/model.nmt.tmp." + dead, dir + "/config.ini.tmp." + dead,
                                          dir + "/checkpoints/step-000000030.ckpt.tmp." + dead};
  const std::vector<std::string> kept = {dir + "/dev.hyp.tmp." + alive,   // a running writer's
                                         dir + "/notes.txt.tmp." + dead,  // not nmt train's file
                                         dir + "/model.nmt.tmp.1x"};      // not a process id
  for (const auto& path : stale) test::write_text(path, "half a file");
  for (const auto& path : kept) test::write_text(path, "not ours to remove");
  const Result resumed = run_nmt("train --resume " + dir + " --train.max_steps 25");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_CONTAINS(resumed.output, "removed 3 temporary files left by a killed run: config.ini.tmp." + dead +
                                      ", model.nmt.tmp." + dead + ", checkpoints/step-000000030.ckpt.tmp." + dead);
  for (const auto& path : stale) EXPECT_FALSE(fs::exists(path)) << path;
  for (const auto& path : kept) EXPECT_TRUE(fs::exists(path)) << path;
  EXPECT_NO_THROW(load_model_file(dir + "/model.nmt"));
}

TEST(Training, RepeatedNonFiniteUpdatesStopTheRunAndKeepTheLastCheckpoint) {
  SmallRun run(20);
  const std::string dir = run.run_dir("poisoned");
  ASSERT_EQ(run_nmt(run.train_args("poisoned")).exit_code, 0);
  // Poison one weight of the last checkpoint: every later loss is NaN.
  Checkpoint checkpoint = read_checkpoint(checkpoint_path(dir, 20));
  checkpoint.model.parameters[checkpoint.model.network->layout().find("output.b_z").offset] =
      std::numeric_limits<float>::quiet_NaN();
  write_checkpoint(checkpoint_path(dir, 20), *checkpoint.model.network, checkpoint.model.parameters,
                   checkpoint.model.vocabularies, checkpoint.model.languages, checkpoint.first_moment,
                   checkpoint.second_moment, checkpoint.state);
  const std::string before = test::read_text(checkpoint_path(dir, 20));
  const Result resumed = run_nmt("train --resume " + dir + " --train.max_steps 40 --train.max_bad_updates 3");
  EXPECT_EQ(resumed.exit_code, 1);
  EXPECT_CONTAINS(resumed.output, "update skipped (1 of 3 allowed in a row)");
  EXPECT_CONTAINS(resumed.output, "3 updates in a row had a non-finite loss or gradient");
  EXPECT_EQ(list_checkpoints(dir).size(), 1u);
  EXPECT_EQ(test::read_text(checkpoint_path(dir, 20)), before);
}

// The model file and every checkpoint record the config's language pair; a resumed run
// keeps it, and a config naming another pair is refused by key before any training.
TEST(Training, TheModelAndCheckpointsRecordTheLanguagePair) {
  SmallRun run(20);
  const std::string dir = run.run_dir("pair");
  ASSERT_EQ(run_nmt(run.train_args("pair")).exit_code, 0);
  EXPECT_EQ(load_model_file(dir + "/model.nmt").languages.describe(), "en → de");
  EXPECT_EQ(read_checkpoint(checkpoint_path(dir, 20)).model.languages.describe(), "en → de");
  for (const char* split : {"train", "dev"})  // the same text as a "French" corpus
    fs::copy_file(run.dir.file(std::string("corpus/") + split + ".de"),
                  run.dir.file(std::string("corpus/") + split + ".fr"));
  const std::string before = test::read_text(checkpoint_path(dir, 20));
  const Result other = run_nmt("train --resume " + dir + " --data.target_lang fr --train.max_steps 40");
  EXPECT_EQ(other.exit_code, 2) << other.output;
  EXPECT_CONTAINS(other.output, "nmt train: error: the command line: data.target_lang = fr, but the run's "
                                "checkpoints translate en → de");
  EXPECT_EQ(list_checkpoints(dir).size(), 1u);
  EXPECT_EQ(test::read_text(checkpoint_path(dir, 20)), before);
}

TEST(Training, WallClockLimitEndsTheRunWithAValidationAndAModel) {
  SmallRun run(100000);  // only the time limit can end this run early
  const std::string dir = run.run_dir("timed");
  // 0.002 minutes = 120 ms: over after the first update or so.
  const Result timed = run_nmt(run.train_args("timed") + " --train.max_minutes 0.002");
  ASSERT_EQ(timed.exit_code, 0) << timed.output;
  EXPECT_CONTAINS(timed.output, "time limit of train.max_minutes = 0.002 reached");
  EXPECT_CONTAINS(timed.output, "[valid]");
  EXPECT_TRUE(fs::exists(dir + "/model.nmt"));
  const Checkpoint last = read_checkpoint(list_checkpoints(dir).back());
  EXPECT_GE(last.state.step, 1);
  EXPECT_LT(last.state.step, 1000);  // 100 epochs would be about 4,000
}

TEST(Training, AnnealingLowersTheLearningRateLinearlyOverTheBudgetsLastShare) {
  SmallRun run(40);
  const std::string dir = run.run_dir("annealed");
  const Result annealed = run_nmt(run.train_args("annealed") +
                                  " --train.anneal_fraction 0.5 --train.log_every 1 --train.min_lr 0");
  ASSERT_EQ(annealed.exit_code, 0) << annealed.output;
  int checked = 0;
  for (const MetricsRecord& record : train_records(dir)) {
    if (record.type != "train") continue;
    // The update that ends at step s ran with (s - 1) of the 40 steps spent: full lr for
    // the first half, then lr * (1 - spent) / 0.5.
    const double spent = (record.step - 1) / 40.0;
    EXPECT_NEAR(record.lr, 0.003 * std::min(1.0, (1 - spent) / 0.5), 1e-8) << "step " << record.step;
    ++checked;
  }
  EXPECT_GE(checked, 40);  // one per update (an epoch end may add one)
}

TEST(Training, Bf16ProductsTrainAsWellAsF32OrAreRefusedByName) {
  SmallRun run(200);
  const Result bf16 = run_nmt(run.train_args("bf16") + " --train.precision bf16");
  if (!cpu_has_bf16()) {
    EXPECT_EQ(bf16.exit_code, 2) << bf16.output;
    EXPECT_CONTAINS(bf16.output, "train.precision = bf16: bf16 matrix products need a CPU with bf16");
    return;
  }
  ASSERT_EQ(bf16.exit_code, 0) << bf16.output;
  const Result fp32 = run_nmt(run.train_args("fp32"));
  ASSERT_EQ(fp32.exit_code, 0) << fp32.output;
  const auto last_dev_ppl = [&](const std::string& name) {
    double ppl = 0;
    for (const MetricsRecord& record : train_records(run.run_dir(name)))
      if (record.type == "valid") ppl = record.ppl;
    return ppl;
  };
  const double ppl16 = last_dev_ppl("bf16"), ppl32 = last_dev_ppl("fp32");
  EXPECT_LT(ppl32, 1.5);  // the small task is learned in 200 updates...
  EXPECT_NEAR(ppl16, ppl32, 0.05 * ppl32);  // ...and as well with bf16 products
  EXPECT_NE(ppl16, ppl32);  // which really were bf16
}

TEST(Training, RefusesToOverwriteARunWithCheckpoints) {
  SmallRun run(20);
  ASSERT_EQ(run_nmt(run.train_args("once")).exit_code, 0);
  const Result again = run_nmt(run.train_args("once"));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_CONTAINS(again.output, "already holds checkpoints");
  EXPECT_CONTAINS(again.output, "--resume");
}

TEST(Training, MissingOrMismatchedDataFailsBeforeTraining) {
  SmallRun run;
  const Result missing = run_nmt(run.train_args("missing") + " --data.dev " + run.dir.file("nowhere/dev"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_CONTAINS(missing.output, run.dir.file("nowhere/dev.en"));
  EXPECT_CONTAINS(missing.output, "the command line: data.dev = ");  // the key and where it came from
  EXPECT_FALSE(fs::exists(run.run_dir("missing")));                  // checked before the run directory

  test::write_text(run.dir.file("short.en"), "one\ntwo\nthree\n");
  test::write_text(run.dir.file("short.de"), "eins\nzwei\n");
  const Result mismatched = run_nmt(run.train_args("mismatched") + " --data.train " + run.dir.file("short"));
  EXPECT_EQ(mismatched.exit_code, 1);
  EXPECT_CONTAINS(mismatched.output, run.dir.file("short.en"));
  EXPECT_CONTAINS(mismatched.output, run.dir.file("short.de"));
  EXPECT_FALSE(fs::exists(run.run_dir("mismatched") + "/checkpoints"));
}

TEST(Training, ResumeRefusesToChangeTheNetworkOrTheTokenizers) {
  SmallRun run(20);
  ASSERT_EQ(run_nmt(run.train_args("base")).exit_code, 0);
  const std::string config_before = test::read_text(run.run_dir("base") + "/config.ini");
  for (const std::string override_flag : {"--model.embed_dim 16", "--tokenizer.vocab_size 50"}) {
    const Result r = run_nmt("train --resume " + run.run_dir("base") + " " + override_flag);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_CONTAINS(r.output, override_flag.substr(0, override_flag.find(' ')) + " cannot change on --resume");
  }
  EXPECT_EQ(test::read_text(run.run_dir("base") + "/config.ini"), config_before);  // not rewritten
  const Result allowed = run_nmt("train --resume " + run.run_dir("base") + " --train.max_steps 30");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
}

// config.ini reads back every value it was written with: a run directory whose name holds
// spaces, ';', '=' and brackets resumes; one with '#' (where a config file's comment
// starts) is refused by name before anything is created.
TEST(Training, ConfigIniRoundTripsEveryValueItHolds) {
  SmallRun run(20);
  const std::string odd = run.run_dir("run a;b=c [d]");
  const Result first = run_nmt("train -c " + run.config + " --train.run_dir '" + odd + "'");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  const Result dumped = run_nmt("train --resume '" + odd + "' --dump-config");
  ASSERT_EQ(dumped.exit_code, 0) << dumped.output;
  EXPECT_CONTAINS(dumped.output, "\nrun_dir = " + odd + "\n");
  const Result resumed = run_nmt("train --resume '" + odd + "' --train.max_steps 30");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_TRUE(fs::exists(checkpoint_path(odd, 30)));

  const std::string hashed = run.run_dir("run#2");
  const Result refused = run_nmt("train -c " + run.config + " --train.run_dir '" + hashed + "'");
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_CONTAINS(refused.output, "nmt train: error: the command line: train.run_dir = " + hashed +
                                      ": must not contain '#' (a config file, the run's config.ini too, reads it as "
                                      "the start of a comment)");
  EXPECT_FALSE(fs::exists(hashed));
}

// Relative corpus paths in a config are taken from its directory, so `nmt train CONFIG`
// works from any working directory; the run's config.ini holds them absolute, so
// `--resume` works from any directory too, with the run directory named from there.
TEST(Training, AConfigAndItsRunWorkFromAnyWorkingDirectory) {
  SmallRun run(20);
  for (const char* sub : {"conf", "a", "b"}) fs::create_directories(run.dir.file(sub));
  std::string ini = test::read_text(run.config);
  for (std::size_t at; (at = ini.find(run.dir.file("corpus/"))) != std::string::npos;)
    ini.replace(at, run.dir.file("corpus/").size(), "../corpus/");
  ASSERT_NE(ini.find("train = ../corpus/train\n"), std::string::npos) << ini;
  test::write_text(run.dir.file("conf/small.ini"), ini);
  const std::string nmt = std::string(NMT_BINARY_PATH);
  const Result started =
      run_command("cd " + run.dir.file("a") + " && " + nmt + " train " + run.dir.file("conf/small.ini") +
                  " --train.run_dir run");
  ASSERT_EQ(started.exit_code, 0) << started.output;
  const std::string written = test::read_text(run.dir.file("a/run/config.ini"));
  EXPECT_CONTAINS(written, "\ntrain = " + run.dir.file("corpus/train") + "\n");
  EXPECT_CONTAINS(written, "\ndev = " + run.dir.file("corpus/dev") + "\n");
  const Result resumed =
      run_command("cd " + run.dir.file("b") + " && " + nmt + " train --resume ../a/run --train.max_steps 30");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_CONTAINS(resumed.output, "resuming from '../a/run/checkpoints/step-000000020.ckpt'");
  EXPECT_TRUE(fs::exists(checkpoint_path(run.dir.file("a/run"), 30)));
  const Result twice = run_nmt("train --resume " + run.dir.file("a/run") + " --train.run_dir elsewhere");
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_CONTAINS(twice.output, "nmt train: error: --resume RUN_DIR is the run directory; do not give "
                                "--train.run_dir as well");
}

// The loss lines of a log, without their times and speeds: "[train] epoch 1 batch
// 10/63 step 10 | loss 4.1452 | lr 5.00e-04 | grad norm 0.329".
std::vector<std::string> loss_lines(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find("[train] epoch ");
    if (at == std::string::npos || line.find(" | loss ") == std::string::npos) continue;
    line = line.substr(at);
    line = line.substr(0, line.rfind(" | "));  // the elapsed time
    out.push_back(line.substr(0, line.rfind(" | ")));  // tokens per second
  }
  return out;
}

// Whatever stderr is, train.log holds every log line: at a terminal the loss lines go to
// the file alone (the live line shows them, with the ETA of the budget that ends the run).
TEST(Training, TrainLogHoldsTheLossLinesAtATerminalToo) {
  SmallRun run(30);  // log_every 10
  const Result piped = run_nmt(run.train_args("piped"));
  ASSERT_EQ(piped.exit_code, 0) << piped.output;
  const Result shown = run_nmt_at_a_terminal(run.train_args("terminal"));
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  const std::vector<std::string> expected = loss_lines(test::read_text(run.run_dir("piped") + "/train.log"));
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected.front().substr(0, 28), "[train] epoch 1 batch 10/63 ");
  EXPECT_EQ(loss_lines(piped.output), expected);
  EXPECT_EQ(loss_lines(test::read_text(run.run_dir("terminal") + "/train.log")), expected);
  EXPECT_EQ(loss_lines(shown.output), std::vector<std::string>()) << shown.output;
  EXPECT_CONTAINS(shown.output, "\r\033[Kepoch 1/100 ");
  EXPECT_CONTAINS(shown.output, " (max_steps)");  // 30 steps end the run before 100 epochs
}

TEST(Training, ARunDirectoryInUseIsRefusedNamingTheHolder) {
  SmallRun run(20);
  fs::create_directories(run.run_dir("busy"));
  const RunDirectoryLock held(run.run_dir("busy"));  // as a training process would hold it
  const Result second = run_nmt(run.train_args("busy"));
  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_CONTAINS(second.output, "run directory '" + run.run_dir("busy") + "' is in use by another nmt train");
  EXPECT_CONTAINS(second.output, "(process " + std::to_string(::getpid()) + ")");
  EXPECT_FALSE(fs::exists(run.run_dir("busy") + "/checkpoints"));
}

}  // namespace
}  // namespace nmt
