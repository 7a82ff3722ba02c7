// test_cli.cpp — the `nmt` executable end to end: help, version, errors (status 2 with the
// usage on stderr when no command is given), generate, vocab, and its file safety: failed
// or closed standard output (closed by a pipe's reader or at start), the prompt stopping
// at a failed write, -o paths, input paths, escaped errors and warnings.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "data/line_reader.hpp"
#include "small_run.hpp"
#include "test_util.hpp"

extern char** environ;

namespace nmt {
namespace {

// Binds a Unix-domain socket at PATH (the socket file stays after the descriptor closes).
bool make_socket(const std::string& path) {
  sockaddr_un address{};
  if (path.size() >= sizeof address.sun_path) return false;
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  const bool bound = fd >= 0 && ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  if (fd >= 0) ::close(fd);
  return bound;
}

// Runs `nmt ARGUMENTS`, stdout into OUT and stderr into ERR (files in `dir`).
Result run_nmt_split(const std::string& arguments, const test::TempDir& dir, std::string& out, std::string& err) {
  const Result result = run_command("{ " + std::string(NMT_BINARY_PATH) + " " + arguments + " > " + dir.file("out") +
                                    " 2> " + dir.file("err") + "; }");
  out = test::read_text(dir.file("out"));
  err = test::read_text(dir.file("err"));
  return result;
}

TEST(Cli, TopLevelHelpListsTheCommands) {
  test::TempDir dir;
  std::string out, err;
  const Result help = run_nmt_split("--help", dir, out, err);
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"train", "translate", "evaluate", "vocab", "generate"})
    EXPECT_CONTAINS(out, std::string("  ") + command);
  EXPECT_EQ(err, "");
}

// No command, or an unknown one, is a usage error: status 2, the usage on stderr, nothing on stdout.
TEST(Cli, NoCommandOrAnUnknownOneIsAUsageErrorOnStderr) {
  test::TempDir dir;
  std::string out, err;
  const Result none = run_nmt_split("", dir, out, err);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(out, "");
  EXPECT_CONTAINS(err, "Usage: nmt COMMAND [options]");
  EXPECT_CONTAINS(err, "  translate");
  const Result unknown = run_nmt_split("frobnicate", dir, out, err);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(out, "");
  EXPECT_EQ(err.substr(0, err.find('\n') + 1), "nmt: unknown command 'frobnicate'\n");  // nothing is near it
  EXPECT_CONTAINS(err, "Usage: nmt COMMAND [options]");
  const Result mistyped = run_nmt_split("trian -c configs/quickstart.ini", dir, out, err);
  EXPECT_EQ(mistyped.exit_code, 2);
  EXPECT_EQ(err.substr(0, err.find('\n') + 1), "nmt: unknown command 'trian' (did you mean 'train'?)\n");
  run_nmt_split("evalute", dir, out, err);
  EXPECT_EQ(err.substr(0, err.find('\n') + 1), "nmt: unknown command 'evalute' (did you mean 'evaluate'?)\n");
}

// An unknown flag is answered with the nearest flag, written as a flag: a config key, a
// short form or the command's own.
TEST(Cli, AnUnknownFlagSuggestsTheNearestFlag) {
  const std::pair<std::string, std::string> cases[] = {
      {"train -c configs/quickstart.ini --train.lrr 1", "nmt train: error: the command line: unknown option "
                                                         "'--train.lrr' (did you mean '--train.lr'?)"},
      {"train -c configs/quickstart.ini --thread 1", "nmt train: error: the command line: unknown option "
                                                      "'--thread' (did you mean '--threads'?)"},
      {"translate --modle x.nmt", "nmt translate: error: the command line: unknown option '--modle' (did you mean "
                                  "'--model'?)"},
      {"vocab -c configs/quickstart.ini --thread 2 --out x", "nmt vocab: error: the command line: unknown option "
                                                              "'--thread' (did you mean '--threads'?)"}};
  for (const auto& [arguments, expected] : cases) {
    const Result result = run_nmt(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments;
    EXPECT_EQ(result.output.substr(0, result.output.find('\n')), expected);
  }
}

// `nmt train CONFIG` is `nmt train -c CONFIG` (and `nmt vocab CONFIG` is `nmt vocab -c
// CONFIG`); two config files are a usage error naming both; no config at all names -c.
TEST(Cli, TheConfigMayBeTheBareArgument) {
  const Result flagged = run_nmt("train -c configs/quickstart.ini --dump-config");
  ASSERT_EQ(flagged.exit_code, 0) << flagged.output;
  const Result bare = run_nmt("train configs/quickstart.ini --dump-config");
  EXPECT_EQ(bare.exit_code, 0) << bare.output;
  EXPECT_EQ(bare.output, flagged.output);
  const Result vocab = run_nmt("vocab configs/quickstart.ini --out x --dump-config");
  EXPECT_EQ(vocab.exit_code, 0) << vocab.output;
  EXPECT_EQ(vocab.output.substr(vocab.output.find("[data]")), flagged.output.substr(flagged.output.find("[data]")));

  const Result two = run_nmt("train a.ini b.ini");
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_CONTAINS(two.output, "nmt train: error: the command line: one config file, but 2 bare arguments were given: "
                              "'a.ini', 'b.ini' (nmt train CONFIG is nmt train -c CONFIG)\n");
  const Result both = run_nmt("train -c a.ini b.ini");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_CONTAINS(both.output, "nmt train: error: the command line: two config files, -c 'a.ini' and 'b.ini' "
                               "(nmt train CONFIG is nmt train -c CONFIG); give one\n");
  const Result none = run_nmt("train");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_CONTAINS(none.output, "nmt train: error: missing -c CONFIG (or --resume RUN_DIR): no config file was given, "
                               "and data.source_lang is required (in a config file, or as --data.source_lang)\n");
}

TEST(Cli, VersionIsPrinted) {
  const Result result = run_nmt("--version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_CONTAINS(result.output, "nmt 0.");
}

TEST(Cli, EachCommandsHelpListsItsOptionsWithDefaults) {
  const Result train = run_nmt("train --help");
  EXPECT_EQ(train.exit_code, 0);
  for (const char* fragment : {"--train.lr NUM (=0.0005)", "--model.attention NAME (=additive)",
                               "[additive, dot, scaled_dot]", "--tokenizer.vocab_size INT (=8000)",
                               "--data.train TEXT", "(required)", "--search.beam_size INT (=5)",
                               "--dump-config", "--config"})
    EXPECT_CONTAINS(train.output, fragment);
  const Result translate = run_nmt("translate --help");
  EXPECT_EQ(translate.exit_code, 0);
  for (const char* fragment : {"--model", "--input", "--output", "--search.beam_size INT (=5)",
                               "--search.length_penalty NUM (=1)"})
    EXPECT_CONTAINS(translate.output, fragment);
  const Result evaluate = run_nmt("evaluate --help");
  EXPECT_EQ(evaluate.exit_code, 0);
  for (const char* fragment : {"--hyp", "--ref", "--src", "--json", "--tokenize", "--lowercase", "--metrics",
                               "--search.beam_size"})
    EXPECT_CONTAINS(evaluate.output, fragment);
}

TEST(Cli, MisspeltKeyFailsNamingKeyAndFile) {
  test::TempDir dir;
  test::write_text(dir.file("bad.ini"),
                   "[data]\nsource_lang = en\ntarget_lang = de\ntrain = x\n[train]\nlearning_rate = 1\n");
  const Result result = run_nmt("train -c " + dir.file("bad.ini"));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_CONTAINS(result.output, dir.file("bad.ini") + ":6: unknown key 'learning_rate' in [train]");
}

TEST(Cli, DumpConfigPrintsTheResolvedIni) {
  const Result result = run_nmt("train -c configs/quickstart.ini --train.lr 0.01 --dump-config");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_CONTAINS(result.output, "[model]\n");
  EXPECT_CONTAINS(result.output, "lr = 0.01\n");
  EXPECT_CONTAINS(result.output, "run_dir = runs/quickstart\n");
}

TEST(Cli, BadLogLevelIsAUsageError) {
  const Result result = run_nmt("generate --log-level loud --out /tmp/unused");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_CONTAINS(result.output, "nmt generate: error: the command line: --log-level: log level must be one of debug, "
                                 "info, warn, error, off (got 'loud')");
}

// A relative corpus prefix in a config file is taken from the file's directory: `nmt
// vocab -c /abs/config.ini` reads the same corpus from any working directory.
TEST(Cli, AConfigsCorpusPathsAreTakenFromItsDirectory) {
  test::TempDir dir;
  ASSERT_EQ(run_nmt("generate --out " + dir.file("q") + " --train-size 500 --dev-size 10 --test-size 10").exit_code, 0);
  std::filesystem::create_directories(dir.file("conf"));
  std::filesystem::create_directories(dir.file("elsewhere"));
  test::write_text(dir.file("conf/q.ini"), "[data]\nsource_lang = en\ntarget_lang = de\ntrain = ../q/train\n"
                                           "[tokenizer]\nalgorithm = bpe\nvocab_size = 60\n");
  const Result vocab = run_command("cd " + dir.file("elsewhere") + " && " + NMT_BINARY_PATH + " vocab -c " +
                                   dir.file("conf/q.ini") + " --out v");
  ASSERT_EQ(vocab.exit_code, 0) << vocab.output;
  EXPECT_CONTAINS(vocab.output, "train: 500 sentence pairs from '" + dir.file("q/train.en") + "'");
  EXPECT_TRUE(std::filesystem::exists(dir.file("elsewhere/v/source.model")));  // -o: the working directory's
  // On the command line, a relative path is the working directory's; a miss says so.
  const Result flag = run_command("cd " + dir.file("elsewhere") + " && " + NMT_BINARY_PATH + " vocab -c " +
                                  dir.file("conf/q.ini") + " --data.train q/train --out v");
  EXPECT_EQ(flag.exit_code, 1);
  EXPECT_CONTAINS(flag.output, "nmt vocab: error: the command line: data.train = q/train: corpus file not found: "
                               "neither '" + dir.file("elsewhere/q/train.en") + "' nor '" +
                               dir.file("elsewhere/q/train.en.gz") + "' exists (a relative path on the command line "
                               "is taken from the working directory, " + dir.file("elsewhere") + ")\n");
}

// A missing quickstart corpus is named as given, with the directory it was looked for
// from, and the `nmt generate` command that writes it there (which then works).
TEST(Cli, AMissingQuickstartCorpusNamesTheGenerateCommand) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("configs"));
  std::filesystem::create_directories(dir.file("other"));
  const std::string config = test::read_text("configs/quickstart.ini");
  test::write_text(dir.file("configs/quickstart.ini"), config);
  const std::string line = std::to_string(
      std::count(config.begin(), config.begin() + static_cast<long>(config.find("\ntrain = ")) + 1, '\n') + 1);
  const std::string missing = "nmt vocab: error: configs/quickstart.ini:" + line +
                              ": data.train = ../data/generated/quickstart/train: corpus file not found: neither '" +
                              dir.file("data/generated/quickstart/train.en") + "' nor '" +
                              dir.file("data/generated/quickstart/train.en.gz") +
                              "' exists (a relative path in a config file is taken from the file's directory, " +
                              dir.file("configs") + "); the quickstart corpus is written there by `nmt generate";
  const std::string from_root = "cd " + dir.file("") + " && " + NMT_BINARY_PATH + " ";
  const Result at_root = run_command(from_root + "vocab -c configs/quickstart.ini --out v");
  EXPECT_EQ(at_root.exit_code, 1);
  EXPECT_EQ(at_root.output, missing + "`\n");
  const Result elsewhere = run_command("cd " + dir.file("other") + " && " + NMT_BINARY_PATH +
                                       " vocab -c ../configs/quickstart.ini --out v");
  EXPECT_EQ(elsewhere.exit_code, 1);
  std::string expected_elsewhere = missing + " --out " + dir.file("data/generated/quickstart") + "`\n";
  expected_elsewhere.replace(expected_elsewhere.find("configs/quickstart.ini:"), 0, "../");
  EXPECT_EQ(elsewhere.output, expected_elsewhere);
  // The command it names writes the corpus the config reads.
  ASSERT_EQ(run_command(from_root + "generate --train-size 500 --dev-size 10 --test-size 10").exit_code, 0);
  const Result generated = run_command(from_root + "vocab -c configs/quickstart.ini --out v");
  EXPECT_EQ(generated.exit_code, 0) << generated.output;
}

TEST(Cli, GenerateThenVocabTrainsTokenizersFromTheConfig) {
  test::TempDir dir;
  const Result generate = run_nmt("generate --out " + dir.file("q") +
                                  " --train-size 2000 --dev-size 100 --test-size 100 --seed 5");
  ASSERT_EQ(generate.exit_code, 0) << generate.output;
  EXPECT_EQ(read_lines(dir.file("q/train.en")).size(), 2000u);
  const Result vocab = run_nmt("vocab -c configs/quickstart.ini --data.train " + dir.file("q/train") +
                               " --out " + dir.file("v") + " --threads 1");
  ASSERT_EQ(vocab.exit_code, 0) << vocab.output;
  // --threads is vocab's short form of tokenizer.threads, checked as that key.
  const Result no_threads = run_nmt("vocab configs/quickstart.ini --out " + dir.file("w") + " --threads 0");
  EXPECT_EQ(no_threads.exit_code, 2);
  EXPECT_CONTAINS(no_threads.output, "tokenizer.threads");
  EXPECT_CONTAINS(vocab.output, "exactly their text: 100.00%, to their normalized text: 100.00%");
  EXPECT_FALSE(test::read_text(dir.file("v/source.model")).empty());
  EXPECT_EQ(read_lines(dir.file("v/target.vocab"))[3], "</s>");
}

TEST(Cli, MissingCorpusFailsBeforeTrainingNamingTheFiles) {
  test::TempDir dir;
  const Result result = run_nmt("train -c configs/quickstart.ini --data.train " + dir.file("none") +
                                " --train.run_dir " + dir.file("run"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.output, dir.file("none.en"));
  EXPECT_CONTAINS(result.output, dir.file("none.en.gz"));
  EXPECT_EQ(result.output.find("relative path"), std::string::npos) << "an absolute path needs no note";
}

TEST(Cli, ReadmeConfigurationReferenceMatchesTheBinary) {
  const Result result = run_command(std::string("bash scripts/config_reference.sh ") + NMT_BINARY_PATH);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const std::string& reference = result.output;
  const std::string readme = test::read_text("README.md");
  const std::string begin = "<!-- config-reference:begin -->\n";
  const auto start = readme.find(begin);
  const auto end = readme.find("\n<!-- config-reference:end -->");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(readme.substr(start + begin.size(), end - start - begin.size()), reference)
      << "README.md is out of date: run bash scripts/config_reference.sh --update";
}

TEST(Cli, FailedWriteToStandardOutputIsAnError) {
  test::TempDir dir;
  test::write_text(dir.file("hyp.txt"), "ein Haus\nzwei\n");
  const std::string scored = "evaluate --hyp " + dir.file("hyp.txt") + " --ref " + dir.file("hyp.txt");
  for (const std::string& arguments : {std::string("translate --help"), std::string("--help"),
                                       std::string("train -c configs/quickstart.ini --dump-config"),
                                       std::string("--version"), scored, scored + " --json"}) {
    const Result result = run_nmt_to(arguments, "/dev/full");
    EXPECT_EQ(result.exit_code, 1) << arguments;
    EXPECT_CONTAINS(result.output, "cannot write to standard output: No space left on device");
  }
}

TEST(Cli, FailedWriteToAnOutputFileIsAnErrorAndKeepsTheOldFile) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("q"));
  test::write_text(dir.file("q/train.en"), "old\n");
  // A file-size limit of one 512-byte block, SIGXFSZ ignored: write() fails with EFBIG.
  const Result result = run_command("trap '' XFSZ; ulimit -f 1; exec " + std::string(NMT_BINARY_PATH) +
                                    " generate --out " + dir.file("q") + " --train-size 500");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.output, "cannot write '" + dir.file("q/train.en") + "': File too large");
  EXPECT_EQ(test::read_text(dir.file("q/train.en")), "old\n");
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("q")))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

// A stdout closed at start (`>&-`) is not handed to a file nmt opens later: a write to it
// fails and is reported naming standard output, status 1.
TEST(Cli, ClosedStandardOutputIsAnErrorNamingIt) {
  for (const std::string& arguments : {std::string("--version"), std::string("translate --help"),
                                       std::string("train -c configs/quickstart.ini --dump-config")}) {
    const Result result = run_command("{ " + std::string(NMT_BINARY_PATH) + " " + arguments + " >&- ; }");
    EXPECT_EQ(result.exit_code, 1) << arguments;
    EXPECT_CONTAINS(result.output, "error: cannot write to standard output: Bad file descriptor (it was closed when "
                                   "nmt started)");
  }
}

TEST(Cli, ClosedOutputPipeEndsQuietlyWithSigpipe) {
  test::TempDir dir;
  const int status = run_nmt_into_closed_pipe("translate --help", dir.file("stderr"));
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGPIPE);
  EXPECT_EQ(test::read_text(dir.file("stderr")), "");
}

TEST(Cli, ModelOrConfigThatIsNoFileIsRefusedWithoutReadingIt) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("dir"));
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0644), 0);
  // A FIFO that were opened would block: `timeout` turns that into a failure.
  const std::pair<std::string, std::string> cases[] = {{dir.file("dir"), "a directory"},
                                                       {dir.file("fifo"), "a FIFO"}};
  for (const auto& [path, kind] : cases) {
    const Result model =
        run_command("timeout 20 " + std::string(NMT_BINARY_PATH) + " translate -m " + path + " -i /dev/null");
    EXPECT_EQ(model.exit_code, 1) << path;
    EXPECT_CONTAINS(model.output, "'" + path + "': it is " + kind);
    const Result info = run_command("timeout 20 " + std::string(NMT_BINARY_PATH) + " info " + path);
    EXPECT_EQ(info.exit_code, 1) << path;
    EXPECT_CONTAINS(info.output, "'" + path + "': it is " + kind);
    const Result config = run_command("timeout 20 " + std::string(NMT_BINARY_PATH) + " train -c " + path);
    EXPECT_EQ(config.exit_code, 2) << path;
    EXPECT_CONTAINS(config.output, "'" + path + "': it is " + kind);
  }
}

TEST(Cli, CorpusOrTextFileThatIsADirectoryIsNamed) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("corpus.en"));
  test::write_text(dir.file("corpus.de"), "eins\n");
  test::write_text(dir.file("run.ini"), "[data]\nsource_lang = en\ntarget_lang = de\ntrain = " + dir.file("corpus") +
                                           "\n[train]\nrun_dir = " + dir.file("run") + "\n");
  const Result train = run_nmt("train -c " + dir.file("run.ini"));
  EXPECT_EQ(train.exit_code, 1);
  EXPECT_CONTAINS(train.output, "'" + dir.file("corpus.en") + "': it is a directory");
  const Result evaluate = run_nmt("evaluate --hyp " + dir.file("corpus.de") + " --ref " + dir.file("corpus.en"));
  EXPECT_EQ(evaluate.exit_code, 1);
  EXPECT_CONTAINS(evaluate.output, "'" + dir.file("corpus.en") + "': it is a directory");
}

TEST(Cli, EvaluateWarnsOfInvalidUtf8AndScoresTheRepairedText) {
  test::TempDir dir;
  const std::string first = "das ist ein kleines Haus am See\n", last = "drei Hunde laufen durch den Park\n";
  test::write_text(dir.file("ref.txt"), first + "zwei Katzen sitzen auf dem Dach\n" + last);
  test::write_text(dir.file("bad.txt"), first + "zwei Katzen \xff\xfe sitzen auf dem Dach\n" + last);
  test::write_text(dir.file("repaired.txt"), first + "zwei Katzen \xEF\xBF\xBD sitzen auf dem Dach\n" + last);
  const auto evaluate = [&](const std::string& hyp, const std::string& ref, const std::string& json) {
    return run_nmt_to("evaluate --json --hyp " + dir.file(hyp) + " --ref " + dir.file(ref), dir.file(json));
  };
  const Result bad = evaluate("bad.txt", "ref.txt", "bad.json");
  ASSERT_EQ(bad.exit_code, 0) << bad.output;
  EXPECT_CONTAINS(bad.output, "'" + dir.file("bad.txt") + "' line 2: invalid UTF-8 replaced by U+FFFD");
  const Result repaired = evaluate("repaired.txt", "ref.txt", "repaired.json");
  ASSERT_EQ(repaired.exit_code, 0) << repaired.output;
  EXPECT_EQ(repaired.output.find("invalid UTF-8"), std::string::npos) << repaired.output;
  EXPECT_EQ(test::read_text(dir.file("bad.json")), test::read_text(dir.file("repaired.json")));
  // The references are cleaned the same way.
  const Result bad_ref = evaluate("repaired.txt", "bad.txt", "bad-ref.json");
  ASSERT_EQ(bad_ref.exit_code, 0) << bad_ref.output;
  EXPECT_CONTAINS(bad_ref.output, "'" + dir.file("bad.txt") + "' line 2: invalid UTF-8 replaced by U+FFFD");
  EXPECT_CONTAINS(test::read_text(dir.file("bad-ref.json")), "{\n \"name\": \"BLEU\",\n \"score\": 100.0,\n");
}

// Warnings and notes quote file names and lines as errors do: escaped.
TEST(Cli, LogMessagesShowControlBytesEscaped) {
  test::TempDir dir;
  const std::string name = dir.file("hyp\033[31m.txt");
  test::write_text(name, "zwei Katzen \xff sitzen\n");
  const Result result = run_nmt("evaluate --hyp '" + name + "' --ref '" + name + "'");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_CONTAINS(result.output, "warning: '" + dir.file("hyp\\x1b[31m.txt") + "' line 1: invalid UTF-8 replaced");
  EXPECT_EQ(result.output.find('\033'), std::string::npos) << result.output;
  const Result generated = run_nmt("generate --out '" + dir.file("c\007orpus") + "' --train-size 10 --dev-size 1 "
                                   "--test-size 1");
  EXPECT_EQ(generated.exit_code, 0) << generated.output;
  EXPECT_CONTAINS(generated.output, "wrote the quickstart corpus to '" + dir.file("c\\x07orpus") + "'");
  EXPECT_EQ(generated.output.find('\007'), std::string::npos) << generated.output;
}

TEST(Cli, ErrorMessagesShowControlBytesEscaped) {
  const Result unknown = run_nmt("translate -m 'x\033[31mred' -i /dev/null");
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_CONTAINS(unknown.output, "x\\x1b[31mred");
  EXPECT_EQ(unknown.output.find('\033'), std::string::npos) << unknown.output;
  const Result command = run_nmt("'tr\007anslate'");
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_CONTAINS(command.output, "unknown command 'tr\\x07anslate'");
}

// Commands that need a model: one trained for a few steps, shared by the suite.
class ModelCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new SmallRun(2);
    const Result trained = run_nmt(run_->train_args("run"));
    setup_problem_ = trained.exit_code == 0 ? "" : "training the suite's model failed: " + trained.output;
    test::write_text(file("in.txt"), "one two three\nfour\n");
    // The reference translation of in.txt, through the pipe: outputs elsewhere must equal it.
    const Result translated = run_command("{ " + std::string(NMT_BINARY_PATH) + " translate -m " + model() + " < " +
                                          file("in.txt") + " 2>/dev/null; }");
    if (setup_problem_.empty() && (translated.exit_code != 0 || read_lines_of(translated.output).size() != 2))
      setup_problem_ = "translating in.txt failed: " + translated.output;
    translation_ = translated.output;
  }
  // A failed set-up fails every test of the suite rather than skipping it.
  void SetUp() override { ASSERT_EQ(setup_problem_, ""); }
  static std::vector<std::string> read_lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  static std::string translation_;  // of in.txt
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }
  static std::string model() { return run_->run_dir("run") + "/model.nmt"; }
  static std::string file(const std::string& name) { return run_->dir.file(name); }
  static SmallRun* run_;
  static std::string setup_problem_;
};
SmallRun* ModelCli::run_ = nullptr;
std::string ModelCli::setup_problem_;
std::string ModelCli::translation_;

// One config per model: translate and evaluate take the training config's [search]
// (here none: the defaults) and check its other keys as train does.
TEST_F(ModelCli, TranslateAndEvaluateReadTheTrainingConfig) {
  const Result translated = run_nmt("translate -m " + model() + " -c " + run_->config + " < " + file("in.txt"));
  EXPECT_EQ(translated.exit_code, 0) << translated.output;
  EXPECT_EQ(translated.output, translation_);
  const Result evaluated =
      run_nmt("evaluate -m " + model() + " -c " + run_->config + " --src " + file("in.txt") + " --ref " + file("in.txt"));
  EXPECT_EQ(evaluated.exit_code, 0) << evaluated.output;
  test::write_text(file("bad-train.ini"), "[model]\nembed_dim = 0\n[search]\nbeam_size = 2\n");
  for (const std::string& command : {"translate -i " + file("in.txt"),
                                     "evaluate --src " + file("in.txt") + " --ref " + file("in.txt")}) {
    const Result refused = run_nmt(command + " -m " + model() + " -c " + file("bad-train.ini"));
    EXPECT_EQ(refused.exit_code, 2) << command;
    EXPECT_CONTAINS(refused.output, "bad-train.ini:2: model.embed_dim = 0: must be in [1, 8192]");
  }
}

TEST_F(ModelCli, FailedWriteToStandardOutputIsAnError) {
  const std::string translate = "translate -m " + model();
  for (const std::string& arguments :
       {translate + " -i " + file("in.txt"), translate + " < " + file("in.txt"),
        translate + " --nbest 2 -i " + file("in.txt"), translate + " --nbest 2 < " + file("in.txt"),
        translate + " --interactive < " + file("in.txt"), "info " + model(),
        "average -o " + file("averaged.nmt") + " " + model(),
        "evaluate -m " + model() + " --src " + file("in.txt") + " --ref " + file("in.txt")}) {
    const Result result = run_nmt_to(arguments, "/dev/full");
    EXPECT_EQ(result.exit_code, 1) << arguments;
    EXPECT_CONTAINS(result.output, "cannot write to standard output: No space left on device");
  }
}

// The prompt stops at the first failed write instead of reading on: here a file-size
// limit of 512 bytes fails the write of :help's text, and the next sentence (with a byte
// that would draw a warning) is never translated.
TEST_F(ModelCli, ThePromptStopsAfterAFailedWrite) {
  test::write_text(file("prompt.in"), "four\n:help\nfive \xff six\n");
  const Result result = run_command("{ trap '' XFSZ; ulimit -f 1; exec " + std::string(NMT_BINARY_PATH) +
                                    " translate -m " + model() + " --interactive < " + file("prompt.in") + " > " +
                                    file("prompt.out") + "; }");
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_CONTAINS(result.output, "nmt translate: error: cannot write to standard output: File too large");
  EXPECT_EQ(result.output.find("invalid UTF-8"), std::string::npos) << result.output;
  EXPECT_CONTAINS(test::read_text(file("prompt.out")), "Type a sentence, or :help.");
}

// A stdout closed by the parent stays closed to nmt: descriptor 1 is /dev/null (read-only)
// while nmt runs, never the model or another file it opens, and the first write fails
// naming standard output; with -o the translation is written as usual.
TEST_F(ModelCli, ClosedStandardOutputIsNeverAnotherFile) {
  const std::string fifo = file("input.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const int writer = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);  // opens at once; the child does not inherit it
  ASSERT_GE(writer, 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, fifo.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, file("closed.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::string binary = NMT_BINARY_PATH, command = "translate", flag = "-m", path = model();
  char* argv[] = {binary.data(), command.data(), flag.data(), path.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  // Until nmt has reserved it, descriptor 1 does not exist; then it must be /dev/null.
  std::string target;
  const std::string link = "/proc/" + std::to_string(pid) + "/fd/1";
  for (int i = 0; i < 3000 && target.empty(); ++i) {
    char buffer[4096];
    const ssize_t n = ::readlink(link.c_str(), buffer, sizeof buffer);
    if (n > 0) target.assign(buffer, static_cast<std::size_t>(n));
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(target, "/dev/null");
  ASSERT_EQ(::write(writer, "four\n", 5), 5);  // translated once the model is loaded: its write fails
  ::close(writer);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_CONTAINS(test::read_text(file("closed.err")),
                  "nmt translate: error: cannot write to standard output: Bad file descriptor (it was closed when nmt "
                  "started)");

  const Result from_file = run_command("{ " + std::string(NMT_BINARY_PATH) + " translate -m " + model() + " -i " +
                                       file("in.txt") + " >&- ; }");
  EXPECT_EQ(from_file.exit_code, 1);
  EXPECT_CONTAINS(from_file.output, "cannot write to standard output: Bad file descriptor");
  const Result to_file = run_command("{ " + std::string(NMT_BINARY_PATH) + " translate -m " + model() + " -i " +
                                     file("in.txt") + " -o " + file("closed.out") + " >&- ; }");
  EXPECT_EQ(to_file.exit_code, 0) << to_file.output;
  EXPECT_EQ(test::read_text(file("closed.out")), translation_);
}

TEST_F(ModelCli, FailedWriteOfAModelFileIsAnErrorAndKeepsTheOldFile) {
  test::write_text(file("old.nmt"), "old\n");
  const Result result = run_command("trap '' XFSZ; ulimit -f 1; exec " + std::string(NMT_BINARY_PATH) +
                                    " average -o " + file("old.nmt") + " " + model());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.output, "cannot write '" + file("old.nmt") + "': File too large");
  EXPECT_EQ(test::read_text(file("old.nmt")), "old\n");
}

TEST_F(ModelCli, ClosedOutputPipeEndsTranslationQuietly) {
  for (const std::string& arguments : {"translate -m " + model() + " < " + file("in.txt"),
                                       "translate -m " + model() + " -i " + file("in.txt")}) {
    const int status = run_nmt_into_closed_pipe(arguments + " --log-level off", file("stderr"));
    ASSERT_TRUE(WIFSIGNALED(status)) << arguments << ": exit status " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), SIGPIPE);
    EXPECT_EQ(test::read_text(file("stderr")), "");
  }
}

TEST_F(ModelCli, OutputThroughASymlinkReplacesItsTarget) {
  std::filesystem::create_directories(file("elsewhere"));
  test::write_text(file("elsewhere/target.txt"), "old\n");
  std::filesystem::create_symlink(file("elsewhere/target.txt"), file("link.txt"));
  const Result result = run_nmt("translate -m " + model() + " -i " + file("in.txt") + " -o " + file("link.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::filesystem::is_symlink(file("link.txt")));
  EXPECT_EQ(test::read_text(file("elsewhere/target.txt")), translation_);
}

TEST_F(ModelCli, OutputKeepsTheReplacedFilesPermissions) {
  test::write_text(file("kept.txt"), "old\n");
  ASSERT_EQ(::chmod(file("kept.txt").c_str(), 0640), 0);
  const Result result = run_nmt("translate -m " + model() + " -i " + file("in.txt") + " -o " + file("kept.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  struct stat info {};
  ASSERT_EQ(::stat(file("kept.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
  EXPECT_EQ(test::read_text(file("kept.txt")), translation_);
  if (::geteuid() != 0) return;  // only root may give a file away: the owner is kept best effort
  ASSERT_EQ(::chown(file("kept.txt").c_str(), 1, 1), 0);
  const Result again = run_nmt("translate -m " + model() + " -i " + file("in.txt") + " -o " + file("kept.txt"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  ASSERT_EQ(::stat(file("kept.txt").c_str(), &info), 0);
  EXPECT_EQ(info.st_uid, 1u);
  EXPECT_EQ(info.st_gid, 1u);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
  EXPECT_EQ(test::read_text(file("kept.txt")), translation_);
}

TEST_F(ModelCli, OutputThatIsNoRegularFileIsRefused) {
  ASSERT_EQ(::mkfifo(file("fifo").c_str(), 0644), 0);
  ASSERT_TRUE(make_socket(file("socket")));
  std::filesystem::create_directories(file("outdir"));
  std::filesystem::create_symlink(file("fifo"), file("link-to-fifo"));
  const std::pair<std::string, std::string> cases[] = {{file("fifo"), "a FIFO"},
                                                       {file("link-to-fifo"), "a FIFO"},
                                                       {file("socket"), "a socket"},
                                                       {"/dev/null", "a character device"},
                                                       {file("outdir"), "a directory"}};
  for (const auto& [path, kind] : cases) {
    for (const std::string& command : {"translate -m " + model() + " -i " + file("in.txt") + " -o " + path,
                                       "evaluate -m " + model() + " --src " + file("in.txt") + " --ref " +
                                           file("in.txt") + " -o " + path,
                                       "average -o " + path + " " + model()}) {
      const Result result = run_nmt(command);
      EXPECT_EQ(result.exit_code, 1) << command;
      EXPECT_CONTAINS(result.output, "'" + path + "'");
      EXPECT_CONTAINS(result.output, kind);
    }
  }
  EXPECT_EQ(std::filesystem::status(file("fifo")).type(), std::filesystem::file_type::fifo);
  EXPECT_TRUE(std::filesystem::is_symlink(file("link-to-fifo")));
  EXPECT_EQ(std::filesystem::status(file("socket")).type(), std::filesystem::file_type::socket);
  EXPECT_EQ(std::filesystem::status("/dev/null").type(), std::filesystem::file_type::character);
  EXPECT_TRUE(std::filesystem::is_empty(file("outdir")));
}

TEST_F(ModelCli, InputThatIsADirectoryIsRefused) {
  std::filesystem::create_directories(file("indir"));
  const Result result = run_nmt_to("translate -m " + model() + " -i " + file("indir"), "/dev/null");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_CONTAINS(result.output, "'" + file("indir") + "': it is a directory");
}

}  // namespace
}  // namespace nmt
