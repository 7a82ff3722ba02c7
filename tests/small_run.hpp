// small_run.hpp — a small number-word corpus and a config that trains on it in
// seconds, for end-to-end tests of `nmt train`, `translate` and `evaluate`; and the
// suites that share one such trained run, trained once per build of nmt.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "cli_runner.hpp"
#include "test_util.hpp"

namespace nmt {

// The small recipe's config: a corpus made by `nmt generate` at `corpus` (a prefix
// directory), training for `max_steps`.
inline std::string small_run_config(const std::string& corpus, int max_steps) {
  return "[data]\nsource_lang = en\ntarget_lang = de\ntrain = " + corpus + "/train\ndev = " + corpus + "/dev\n"
         "[tokenizer]\nalgorithm = bpe\nvocab_size = 60\n"
         "[model]\nembed_dim = 32\nencoder_hidden = 48\ndecoder_hidden = 48\n"
         "attention_dim = 48\noutput_dim = 32\ndropout = 0.1\n"
         "[train]\nthreads = 1\nbatch_tokens = 600\nmax_epochs = 100\nmax_steps = " +
         std::to_string(max_steps) +
         "\nlr = 0.003\ncheckpoint_every = 20\nvalid_every = 50\nlog_every = 10\n"
         "keep_checkpoints = 100\n";
}

// Writes the small corpus (3,000 training pairs, 60 dev, 60 test) into DIR/corpus and
// its config, DIR/small.ini: "" when it worked, else what failed.
inline std::string write_small_run(const std::string& dir, int max_steps) {
  const Result generated =
      run_nmt("generate --out " + dir + "/corpus --train-size 3000 --dev-size 60 --test-size 60");
  if (generated.exit_code != 0) return "nmt generate failed: " + generated.output;
  test::write_text(dir + "/small.ini", small_run_config(dir + "/corpus", max_steps));
  return "";
}

// `nmt train` of CONFIG into RUN_DIR, as a command line's arguments.
inline std::string small_train_args(const std::string& config, const std::string& run_dir) {
  return "train -c " + config + " --train.run_dir " + run_dir;
}

// The small corpus and config in a fresh temporary directory.
struct SmallRun {
  test::TempDir dir;
  std::string config = dir.file("small.ini");

  explicit SmallRun(int max_steps = 200) { EXPECT_EQ(write_small_run(dir.path().string(), max_steps), ""); }
  std::string run_dir(const std::string& name) const { return dir.file(name); }
  std::string train_args(const std::string& name) const { return small_train_args(config, run_dir(name)); }
};

// The small recipe's runs shared by every test process of one build of nmt: in
// NMT_TEST_CACHE_DIR/small-BINARY/steps-N (BINARY: the nmt executable's size and
// modification time, so a rebuilt nmt trains afresh and older builds' runs are removed).
// The first process to need a run makes it under an exclusive lock on the directory's
// lock file, which the others wait on; a run counts once its NAME.done marker exists
// (a process killed halfway leaves none, and the next one starts the run over). Tests
// only read these files; their own go to their scratch directories.
class SharedSmallRun {
 public:
  explicit SharedSmallRun(int max_steps) : max_steps_(max_steps) {
    struct stat binary {};
    if (::stat(NMT_BINARY_PATH, &binary) != 0) throw std::runtime_error("no nmt binary at " NMT_BINARY_PATH);
    const std::string build = "small-" + std::to_string(binary.st_size) + "-" + std::to_string(binary.st_mtim.tv_sec) +
                              "." + std::to_string(binary.st_mtim.tv_nsec);
    const std::filesystem::path cache = NMT_TEST_CACHE_DIR;
    std::filesystem::create_directories(cache);
    {
      const Lock lock(cache.string() + "/small.lock");
      for (const auto& entry : std::filesystem::directory_iterator(cache)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory() && name.rfind("small-", 0) == 0 && name != build)
          std::filesystem::remove_all(entry.path());
      }
    }
    dir_ = (cache / build / ("steps-" + std::to_string(max_steps))).string();
    std::filesystem::create_directories(dir_);
  }

  // Makes the run NAME (`nmt train` of the config with EXTRA_ARGS) unless it exists,
  // the corpus first: "" when it is there, else what failed.
  std::string ensure(const std::string& name, const std::string& extra_args = "") const {
    const Lock lock(dir_ + "/run.lock");
    if (!std::filesystem::exists(dir_ + "/corpus.done")) {
      std::filesystem::remove_all(dir_ + "/corpus");
      const std::string problem = write_small_run(dir_, max_steps_);
      if (!problem.empty()) return problem;
      test::write_text(dir_ + "/corpus.done", "");
    }
    if (std::filesystem::exists(dir_ + "/" + name + ".done")) return "";
    std::filesystem::remove_all(run_dir(name));
    const Result trained = run_nmt(small_train_args(config(), run_dir(name)) + " " + extra_args);
    if (trained.exit_code != 0) return "training the run '" + name + "' failed: " + trained.output;
    test::write_text(dir_ + "/" + name + ".done", "");
    return "";
  }

  std::string config() const { return dir_ + "/small.ini"; }
  std::string run_dir(const std::string& name) const { return dir_ + "/" + name; }
  std::string corpus(const std::string& name) const { return dir_ + "/corpus/" + name; }

 private:
  // An exclusive flock(2) on PATH for the object's lifetime.
  class Lock {
   public:
    explicit Lock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
      if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + path);
    }
    ~Lock() { ::close(fd_); }
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    int fd_;
  };

  int max_steps_;
  std::string dir_;
};

// A suite whose tests share one small trained run (SharedSmallRun's "run"), each test
// writing its own files into a scratch directory. Suite is the deriving class, so each
// suite has its own statics. A failed set-up fails every test of the suite: SetUp
// asserts setup_problem_ is "" (GoogleTest would otherwise report the suite's tests as
// skipped, and ctest would pass).
template <class Suite>
class TrainedModelSuite : public ::testing::Test {
 protected:
  // Makes (or finds) the trained run: call first in the suite's SetUpTestSuite.
  static void train_model(int max_steps = 150) {
    scratch_ = new test::TempDir;
    run_ = new SharedSmallRun(max_steps);
    setup_problem_ = run_->ensure("run");
  }
  void SetUp() override { ASSERT_EQ(setup_problem_, ""); }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
    delete scratch_;
    scratch_ = nullptr;
  }
  static std::string model() { return run_->run_dir("run") + "/model.nmt"; }
  // A file of the test's own (scratch) and one of the shared corpus.
  static std::string file(const std::string& name) { return scratch_->file(name); }
  static std::string corpus(const std::string& name) { return run_->corpus(name); }

  static inline SharedSmallRun* run_ = nullptr;
  static inline test::TempDir* scratch_ = nullptr;
  static inline std::string setup_problem_;
};

}  // namespace nmt
