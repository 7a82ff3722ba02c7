// test_one_rule.cpp — one rule per check, wherever a value comes in. For each setting a
// command reads (the search keys, the n-best ≤ beam rule, threads, precision: bf16 and
// int8 on a CPU without their instructions too, forced with ONEDNN_MAX_CPU_ISA; int8,
// for translation only, refused by train everywhere), a table of bad and
// good values goes through every place that takes it: `translate` and `evaluate` flags
// (and their short aliases), a -c config file's [search] or [compute] section, `evaluate
// --hyp`, `train` flags and a training config's [train] or [search] keys, `train --resume`,
// and the prompt's ':' commands. A bad value must be refused everywhere with exit status 2
// (not a signal) and the same message after its source ("the command line", FILE:LINE);
// at the prompt with that message, the session going on unchanged. A good value must be
// accepted everywhere with the same effect: the same translations from flags, a file, the
// prompt and evaluate's -o, the same value in a training run's config.ini.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "cli_runner.hpp"
#include "model/dnnl_backend.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

namespace fs = std::filesystem;

// One key's value as given: KEY is the key translate and evaluate read ("search.beam_size",
// "compute.threads"); a training config holds [compute]'s keys in [train].
struct Setting {
  std::string key, text;
};
using Settings = std::vector<Setting>;

std::string section_of(const std::string& key) { return key.substr(0, key.find('.')); }
std::string name_of(const std::string& key) { return key.substr(key.find('.') + 1); }
std::string train_key(const std::string& key) {
  return section_of(key) == "compute" ? "train." + name_of(key) : key;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The rest of the first line of `text` that follows `prefix`, or "<missing: PREFIX>".
std::string after(const std::string& text, const std::string& prefix) {
  const auto at = text.find(prefix);
  if (at == std::string::npos) return "<missing: " + prefix + ">";
  const auto begin = at + prefix.size();
  return text.substr(begin, text.find('\n', begin) - begin);
}

// The value of KEY in the INI text (section-aware), or "<absent>".
std::string ini_value(const std::string& ini, const std::string& key) {
  std::string section;
  for (const std::string& line : lines_of(ini)) {
    if (line.size() > 2 && line.front() == '[' && line.back() == ']') section = line.substr(1, line.size() - 2);
    else if (section == section_of(key) && line.rfind(name_of(key) + " = ", 0) == 0)
      return line.substr(name_of(key).size() + 3);
  }
  return "<absent>";
}

// The prompt's answers: answers[i] is what followed the prompt at which input line i was
// read (several lines joined by '\n'); the greeting comes before the first prompt.
std::vector<std::string> prompt_answers(const std::string& output) {
  std::vector<std::string> answers;
  bool greeting = true;
  for (const std::string& line : lines_of(output)) {
    if (line.rfind("> ", 0) == 0) {
      answers.push_back(line.substr(2));
      greeting = false;
    } else if (!greeting && !answers.empty()) {
      answers.back() += "\n" + line;
    }
  }
  return answers;
}

// The translations of an n-best list as `translate --nbest K` writes it
// ("I ||| T ||| FEATURES ||| S").
std::vector<std::string> nbest_texts(const std::string& output) {
  std::vector<std::string> texts;
  for (const std::string& line : lines_of(output)) {
    const auto a = line.find(" ||| ");
    const auto b = a == std::string::npos ? a : line.find(" ||| ", a + 5);
    texts.push_back(b == std::string::npos ? "<not an n-best line: " + line + ">" : line.substr(a + 5, b - a - 5));
  }
  return texts;
}

// The translations of the prompt's n-best answer ("1. T   (S)" lines).
std::vector<std::string> prompt_nbest_texts(const std::string& answer) {
  std::vector<std::string> texts;
  for (const std::string& line : lines_of(answer)) {
    const auto dot = line.find(". "), score = line.rfind("   (");
    texts.push_back(dot == std::string::npos || score == std::string::npos || score < dot
                        ? "<not an n-best line: " + line + ">"
                        : line.substr(dot + 2, score - dot - 2));
  }
  return texts;
}

// A bad value: its text, the value as messages show it (field_text of what was read, or
// the text when it is not of the key's type) and what is wrong; a cross-key problem is
// reported as "KEY: problem", without the value.
struct Bad {
  std::string text, shown, problem;
  bool cross_key = false;

  std::string message(const std::string& key) const {
    return cross_key ? key + ": " + problem : key + " = " + shown + ": " + problem;
  }
};
// A good value: its text and its canonical form, as config.ini writes it.
struct Good {
  std::string text, canonical;
};

struct Rule {
  std::string key;        // as translate and evaluate read it
  std::string alias;      // "--threads", or ""
  bool translate_alias;   // the alias exists only on translate (--nbest)
  std::string command;    // the prompt's ":beam", or ""
  std::vector<Bad> bad;
  std::vector<Good> good;
};

const std::string kInput = "four hundred and two\nseventeen\nsixty-one\n";
constexpr std::size_t kInputLines = 3;

class OneRule : public ::testing::Test {
 protected:
  // A model trained for 60 steps on the number-word corpus (its translations differ by
  // beam and alpha), a tiny training config that trains in a second, and a run of it to
  // resume. A failed set-up fails every test of the suite rather than skipping it.
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    const auto fail = [](const std::string& what, const Result& r) {
      if (setup_problem_.empty()) setup_problem_ = what + " failed (status " + std::to_string(r.exit_code) + "): " + r.output;
    };
    const Result corpus = run_nmt("generate --out " + file("corpus") + " --train-size 3000 --dev-size 10 --test-size 10");
    if (corpus.exit_code != 0) fail("generate", corpus);
    const std::string data = "[data]\nsource_lang = en\ntarget_lang = de\ntrain = " + file("corpus/train") + "\n"
                             "[tokenizer]\nalgorithm = bpe\nvocab_size = 60\n";
    test::write_text(file("model.ini"), data +
                                            "[model]\nembed_dim = 32\nencoder_hidden = 48\ndecoder_hidden = 48\n"
                                            "attention_dim = 48\noutput_dim = 32\ndropout = 0.1\n"
                                            "[train]\nthreads = 1\nbatch_tokens = 600\nmax_steps = 60\nlr = 0.003\n"
                                            "checkpoint_every = 1000\nlog_every = 100\n");
    const Result trained = run_nmt("train -c " + file("model.ini") + " --train.run_dir " + file("model"));
    if (trained.exit_code != 0) fail("training the suite's model", trained);
    // No threads or precision in [train] and no [search]: the tests add them.
    train_ini_ = data +
                 "[model]\nembed_dim = 8\nencoder_hidden = 8\ndecoder_hidden = 8\nattention_dim = 8\noutput_dim = 8\n"
                 "[train]\nbatch_tokens = 3000\nmax_steps = 1\ncheckpoint_every = 1\nlog_every = 100\n";
    test::write_text(file("train.ini"), train_ini_);
    const Result resumable = run_nmt("train -c " + file("train.ini") + " --train.run_dir " + file("resumable"));
    if (resumable.exit_code != 0) fail("the run to resume", resumable);
    resumable_config_ = test::read_text(file("resumable/config.ini"));
    test::write_text(file("in.txt"), kInput);
    const Result translated = nmt_stdout("translate -m " + model() + " < " + file("in.txt"), defaults_);
    if (translated.exit_code != 0 || lines_of(defaults_).size() != kInputLines) fail("translating in.txt", translated);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(setup_problem_, ""); }

  static std::string file(const std::string& name) { return dir_->file(name); }
  static std::string model() { return file("model/model.nmt"); }
  static std::string fresh(const std::string& name) { return file(name + "-" + std::to_string(++counter_)); }

  // `nmt ARGS`, with `env_` before it; stdout and stderr together.
  static Result nmt(const std::string& arguments) {
    return run_command(env_ + std::string(NMT_BINARY_PATH) + " " + arguments);
  }
  // `nmt ARGS` with stdout alone into `stdout_text`.
  static Result nmt_stdout(const std::string& arguments, std::string& stdout_text) {
    const std::string out = fresh("stdout");
    const Result r = run_command("{ " + env_ + std::string(NMT_BINARY_PATH) + " " + arguments + " > " + out + "; }");
    stdout_text = test::read_text(out);
    return r;
  }

  static std::string flags(const Settings& settings, bool train) {
    std::string out;
    for (const Setting& s : settings) out += " --" + (train ? train_key(s.key) : s.key) + " '" + s.text + "'";
    return out;
  }
  // An INI file of `base` plus the settings, one section header each; `lines` gets each
  // key's line (by the key as the file's reader names it).
  static std::string config_file(const std::string& base, const Settings& settings, bool train,
                                 std::map<std::string, int>& lines) {
    std::string text = base;
    int line = static_cast<int>(lines_of(base).size());
    for (const Setting& s : settings) {
      const std::string key = train ? train_key(s.key) : s.key;
      text += "[" + section_of(key) + "]\n" + name_of(key) + " = " + s.text + "\n";
      line += 2;
      lines[key] = line;
    }
    const std::string path = fresh("config") + ".ini";
    test::write_text(path, text);
    return path;
  }

  // Where a command takes settings, and how it says what it refused.
  struct Refusal {
    std::string place;
    Result result;
    std::string expected_prefix;  // "nmt translate: error: the command line: "
    std::string run_dir;          // must not exist afterwards ("" if none)
  };

  // Runs every place that takes `settings`, each expected to refuse them. `reported` is
  // the key the message names (as translate reads it). `alias` gives the first setting
  // by its short flag too (on translate only when `translate_alias_only`).
  static std::vector<Refusal> refusals(const Settings& settings, const std::string& reported, const std::string& alias,
                                       bool translate_alias_only) {
    std::vector<Refusal> out;
    const std::string translate = "translate -m " + model() + " -i " + file("in.txt");
    const std::string evaluate = "evaluate -m " + model() + " --src " + file("in.txt") + " --ref " + file("in.txt");
    const std::string hyp = "evaluate --hyp " + file("in.txt") + " --ref " + file("in.txt");
    const auto cli = [](const std::string& command) { return "nmt " + command + ": error: the command line: "; };
    const auto in_file = [](const std::string& command, const std::string& path, int line) {
      return "nmt " + command + ": error: " + path + ":" + std::to_string(line) + ": ";
    };
    const std::string alias_flags =
        alias.empty() ? "" : " " + alias + " '" + settings.front().text + "'" + flags({settings.begin() + 1, settings.end()}, false);

    out.push_back({"translate flags", nmt(translate + flags(settings, false)), cli("translate"), ""});
    if (!alias.empty()) out.push_back({"translate " + alias, nmt(translate + alias_flags), cli("translate"), ""});
    std::map<std::string, int> lines;
    std::string path = config_file("", settings, false, lines);
    out.push_back({"translate -c", nmt(translate + " -c " + path), in_file("translate", path, lines[reported]), ""});

    out.push_back({"evaluate flags", nmt(evaluate + flags(settings, false)), cli("evaluate"), ""});
    if (!alias.empty() && !translate_alias_only)
      out.push_back({"evaluate " + alias, nmt(evaluate + alias_flags), cli("evaluate"), ""});
    lines.clear();
    path = config_file("", settings, false, lines);
    out.push_back({"evaluate -c", nmt(evaluate + " -c " + path), in_file("evaluate", path, lines[reported]), ""});
    out.push_back({"evaluate --hyp flags", nmt(hyp + flags(settings, false)), cli("evaluate"), ""});

    std::string run = fresh("run");
    out.push_back({"train flags", nmt("train -c " + file("train.ini") + " --train.run_dir " + run + flags(settings, true)),
                   cli("train"), run});
    if (!alias.empty() && !translate_alias_only) {
      run = fresh("run");
      out.push_back({"train " + alias,
                     nmt("train -c " + file("train.ini") + " --train.run_dir " + run + " " + alias + " '" +
                         settings.front().text + "'" + flags({settings.begin() + 1, settings.end()}, true)),
                     cli("train"), run});
    }
    lines.clear();
    path = config_file(train_ini_, settings, true, lines);
    run = fresh("run");
    out.push_back({"train -c", nmt("train -c " + path + " --train.run_dir " + run),
                   in_file("train", path, lines[train_key(reported)]), run});
    out.push_back({"train --resume", nmt("train --resume " + file("resumable") + flags(settings, true)), cli("train"), ""});
    EXPECT_EQ(test::read_text(file("resumable/config.ini")), resumable_config_) << "a refused --resume rewrote config.ini";
    return out;
  }

  // Every place refuses `settings` with status 2 and one message: `expected` (naming the
  // key as translate reads it, or as train does for train's places) after its source.
  static void expect_refused_everywhere(const Settings& settings, const std::string& reported,
                                        const std::string& expected, const std::string& expected_train,
                                        const std::string& alias = "", bool translate_alias_only = false) {
    for (const Refusal& r : refusals(settings, reported, alias, translate_alias_only)) {
      const bool train = r.place.rfind("train", 0) == 0;
      SCOPED_TRACE(r.place + flags(settings, train));
      EXPECT_EQ(r.result.exit_code, 2) << "(-1: killed by a signal) " << r.result.output;
      EXPECT_EQ(after(r.result.output, r.expected_prefix), train ? expected_train : expected) << r.result.output;
      if (!r.run_dir.empty()) {
        EXPECT_FALSE(fs::exists(r.run_dir)) << "the refused run created its directory";
      }
    }
  }

  // Runs the prompt on `input` (with :quit after it); its answers, one per input line.
  static std::vector<std::string> prompt(const std::string& input) {
    const std::string in = fresh("prompt") + ".in";
    test::write_text(in, input + ":quit\n");
    std::string out;
    const Result r = nmt_stdout("translate -m " + model() + " --interactive < " + in, out);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> answers = prompt_answers(out);
    EXPECT_EQ(answers.size(), lines_of(input).size() + 1) << out;  // the last prompt read :quit
    answers.resize(lines_of(input).size() + 1);
    return answers;
  }

  // Every place accepts `settings` alike: translate's flags, a -c file and the prompt's
  // commands (`commands`, one per setting, "" when there is none) translate in.txt the
  // same; evaluate's -o holds the 1-best translations of `best_of` (the settings without
  // n-best); train, from flags, a file and on --resume, writes each value's canonical form
  // (`canonical`) into config.ini.
  static void expect_accepted_everywhere(const Settings& settings, const std::vector<std::string>& canonical,
                                         const std::vector<std::string>& commands) {
    SCOPED_TRACE("accepted:" + flags(settings, false));
    bool nbest = false;
    Settings best_of;
    for (const Setting& s : settings)
      if (s.key == "search.nbest") nbest = s.text != "1";
      else best_of.push_back(s);
    const std::string translate = "translate -m " + model() + " -i " + file("in.txt");
    std::string by_flags, by_file, best;
    const Result flagged = nmt_stdout(translate + flags(settings, false), by_flags);
    ASSERT_EQ(flagged.exit_code, 0) << flagged.output;
    const std::vector<std::string> texts = nbest ? nbest_texts(by_flags) : lines_of(by_flags);
    ASSERT_GE(texts.size(), kInputLines) << by_flags;
    std::map<std::string, int> lines;
    const Result filed = nmt_stdout(translate + " -c " + config_file("", settings, false, lines), by_file);
    EXPECT_EQ(filed.exit_code, 0) << filed.output;
    EXPECT_EQ(by_file, by_flags) << "translate -c";
    if (best_of.size() == settings.size()) {
      best = by_flags;
    } else {
      const Result one_best = nmt_stdout(translate + flags(best_of, false), best);
      ASSERT_EQ(one_best.exit_code, 0) << one_best.output;
    }

    for (const bool from_file : {false, true}) {
      const std::string hyp = fresh("hyp");
      lines.clear();
      const std::string given = from_file ? " -c " + config_file("", settings, false, lines) : flags(settings, false);
      const Result evaluated = nmt("evaluate -m " + model() + " --src " + file("in.txt") + " --ref " + file("in.txt") +
                                   " -o " + hyp + given);
      EXPECT_EQ(evaluated.exit_code, 0) << evaluated.output;
      EXPECT_EQ(test::read_text(hyp), best) << "evaluate" << given;
    }

    for (const int way : {0, 1, 2}) {  // flags, a training config, --resume
      const std::string run = way == 2 ? file("resumable") : fresh("run");
      lines.clear();
      const std::string command = way == 0   ? "train -c " + file("train.ini") + " --train.run_dir " + run + flags(settings, true)
                                  : way == 1 ? "train -c " + config_file(train_ini_, settings, true, lines) +
                                                   " --train.run_dir " + run
                                             : "train --resume " + run + flags(settings, true);
      const Result trained = nmt(command);
      EXPECT_EQ(trained.exit_code, 0) << command << "\n" << trained.output;
      const std::string written = test::read_text(run + "/config.ini");
      for (std::size_t i = 0; i < settings.size(); ++i)
        EXPECT_EQ(ini_value(written, train_key(settings[i].key)), canonical[i]) << command;
      if (way == 2) test::write_text(run + "/config.ini", resumable_config_);  // as before, for the next check
    }

    bool any_command = false;
    std::string input;
    for (std::size_t i = 0; i < settings.size(); ++i) {
      if (commands[i].empty()) continue;
      input += commands[i] + " " + settings[i].text + "\n";
      any_command = true;
    }
    if (!any_command) return;
    input += kInput;
    const std::vector<std::string> answers = prompt(input);
    const std::size_t first = answers.size() - 1 - kInputLines;  // the answers to the sentences
    for (std::size_t i = 0; i < first; ++i)                        // each command's answer: the new search
      EXPECT_TRUE(answers[i].rfind("beam ", 0) == 0 || answers[i] == "greedy search") << answers[i];
    std::vector<std::string> prompted;
    for (std::size_t i = first; i < first + kInputLines; ++i)
      for (const std::string& t : nbest ? prompt_nbest_texts(answers[i]) : lines_of(answers[i] + "\n"))
        prompted.push_back(t);
    EXPECT_EQ(prompted, texts) << "the prompt's translations";
  }

  // The rule's whole table: each bad value refused everywhere, each good one accepted.
  static void check(const Rule& rule) {
    for (const Bad& bad : rule.bad) {
      const std::string expected = bad.message(rule.key), expected_train = bad.message(train_key(rule.key));
      expect_refused_everywhere({{rule.key, bad.text}}, rule.key, expected, expected_train, rule.alias,
                                rule.translate_alias);
    }
    if (!rule.command.empty()) {
      // At the prompt, with the flag's message; nothing changes (the last line is translated
      // as with the defaults).
      std::string input;
      for (const Bad& bad : rule.bad) input += rule.command + " " + bad.text + "\n";
      input += "seventeen\n";
      const std::vector<std::string> answers = prompt(input);
      for (std::size_t i = 0; i < rule.bad.size(); ++i) {
        const Bad& bad = rule.bad[i];
        EXPECT_EQ(answers[i], bad.text.empty() ? "usage: " + rule.command + " " + usage_word(rule.command) +
                                                     " (sets " + rule.key + ")"
                                               : bad.message(rule.key))
            << rule.command << " " << bad.text;
      }
      EXPECT_EQ(answers[rule.bad.size()], lines_of(defaults_)[1]) << "a refused value changed the search";
    }
    for (const Good& good : rule.good) expect_accepted_everywhere({{rule.key, good.text}}, {good.canonical}, {rule.command});
  }

  static std::string usage_word(const std::string& command) {
    return command == ":beam" ? "N" : command == ":nbest" ? "K" : "A";
  }

  static test::TempDir* dir_;
  static std::string setup_problem_, train_ini_, resumable_config_, env_;
  static std::string defaults_;  // in.txt translated with the default search

  // Commands run with `env` before them while it lives.
  struct Environment {
    explicit Environment(const std::string& env) { env_ = env; }
    ~Environment() { env_.clear(); }
  };

  // precision = int8 in every place: train refuses it by name; translate and evaluate
  // accept it when `cpu_problem` is "", else refuse it with "compute.precision = int8: "
  // + cpu_problem + "; use fp32".
  static void expect_int8_for_translation_only(const std::string& cpu_problem) {
    const Settings int8{{"compute.precision", "int8"}};
    for (const Refusal& r : refusals(int8, "compute.precision", "--precision", false)) {
      const bool train = r.place.rfind("train", 0) == 0;
      SCOPED_TRACE(r.place + flags(int8, train));
      if (!train && cpu_problem.empty()) {
        EXPECT_EQ(r.result.exit_code, 0) << r.result.output;
        continue;
      }
      EXPECT_EQ(r.result.exit_code, 2) << "(-1: killed by a signal) " << r.result.output;
      EXPECT_EQ(after(r.result.output, r.expected_prefix),
                train ? "train.precision: int8 products are for translation only; training runs in fp32 or bf16"
                      : "compute.precision = int8: " + cpu_problem + "; use fp32")
          << r.result.output;
      if (!r.run_dir.empty()) {
        EXPECT_FALSE(fs::exists(r.run_dir)) << "the refused run created its directory";
      }
    }
  }
  static int counter_;
};

test::TempDir* OneRule::dir_ = nullptr;
std::string OneRule::setup_problem_, OneRule::train_ini_, OneRule::resumable_config_, OneRule::env_, OneRule::defaults_;
int OneRule::counter_ = 0;

// The sanitizer build runs the rule's machinery on BeamSize and Int8 (every place, the
// prompt included); the other tables, each some hundred runs of nmt, are OneRuleTable's
// and run in the optimised build only (under ASan they were a third of the sanitizer
// suite's time): there their suite trains nothing and each test skips.
class OneRuleTable : public OneRule {
 protected:
  static void SetUpTestSuite() {
#ifndef NMT_SANITIZE
    OneRule::SetUpTestSuite();
#endif
  }
  void SetUp() override {
#ifdef NMT_SANITIZE
    GTEST_SKIP() << "the other tables of OneRule run in the optimised build";
#endif
    OneRule::SetUp();
  }
};

const std::string kRange1To256 = "must be in [1, 256]";
const std::string kWhole = "must be a whole number";
const std::string kNumber = "must be a number";

TEST_F(OneRule, BeamSize) {
  check({"search.beam_size", "", false, ":beam",
         {{"0", "0", kRange1To256},
          {"257", "257", kRange1To256},
          {"-1", "-1", kRange1To256},
          {"two", "two", kWhole},
          {"2.5", "2.5", kWhole},
          {"1e1", "1e1", kWhole},
          {"99999999999", "99999999999", kWhole + " from -2147483648 to 2147483647"},
          {"", "", kWhole}},
         {{"1", "1"}, {"3", "3"}, {"+2", "2"}}});
}

TEST_F(OneRuleTable, Nbest) {
  check({"search.nbest", "--nbest", true, ":nbest",
         {{"0", "0", kRange1To256},
          {"257", "257", kRange1To256},
          {"6", "6", "cannot exceed search.beam_size (5)", true},  // the default beam
          {"x", "x", kWhole},
          {"", "", kWhole}},
         {{"1", "1"}, {"3", "3"}, {"5", "5"}}});
}

TEST_F(OneRuleTable, LengthPenalty) {
  check({"search.length_penalty", "", false, ":alpha",
         {{"-0.5", "-0.5", "must be in [0, 10]"},
          {"10.5", "10.5", "must be in [0, 10]"},
          {"nan", "nan", "must be in [0, 10]"},
          {"inf", "inf", "must be in [0, 10]"},
          {"high", "high", kNumber},
          {"1,5", "1,5", kNumber},
          {"", "", kNumber}},
         {{"0", "0"}, {"0.5", "0.5"}, {"10", "10"}, {"2e0", "2"}}});
}

TEST_F(OneRuleTable, MaxLengthBatchSizeAndTheirTypes) {
  for (const Rule& rule :
       std::vector<Rule>{{"search.max_length_ratio", "", false, "",
                          {{"0.05", "0.05", "must be in [0.1, 100]"}, {"101", "101", "must be in [0.1, 100]"},
                           {"long", "long", kNumber}},
                          {{"0.5", "0.5"}}},
                         {"search.max_length_extra", "", false, "",
                          {{"-1", "-1", "must be in [0, 1000]"}, {"1001", "1001", "must be in [0, 1000]"},
                           {"1.5", "1.5", kWhole}},
                          {{"0", "0"}}},
                         {"search.batch_size", "", false, "",
                          {{"0", "0", "must be in [1, 4096]"}, {"4097", "4097", "must be in [1, 4096]"},
                           {"all", "all", kWhole}},
                          {{"1", "1"}}}})
    check(rule);
}

TEST_F(OneRuleTable, Threads) {
  check({"compute.threads", "--threads", false, "",
         {{"0", "0", kRange1To256}, {"257", "257", kRange1To256}, {"two", "two", kWhole}, {"", "", kWhole}},
         {{"1", "1"}, {"3", "3"}}});
}

TEST_F(OneRuleTable, Precision) {
  const std::string choices = "must be one of fp32, bf16, int8";
  Rule rule{"compute.precision", "--precision", false, "",
            {{"fp16", "fp16", choices}, {"BF16", "BF16", choices}, {"", "", choices}},
            {{"fp32", "fp32"}, {" fp32 ", "fp32"}}};
  if (cpu_has_bf16())
    rule.good.push_back({"bf16", "bf16"});
  else  // refused by name where the CPU cannot do it (also forced below)
    rule.bad.push_back({"bf16", "bf16",
                        "bf16 matrix products need a CPU with bf16 instructions (AVX512_BF16 or AMX); oneDNN finds "
                        "ISA " + cpu_isa_name() + " here; use fp32"});
  check(rule);
}

// bf16 on a CPU without bf16 instructions, on every machine: oneDNN is told to use no more
// than AVX2. Refused by name, the same way everywhere, before any other work.
TEST_F(OneRuleTable, Bf16WithoutBf16InstructionsIsRefusedByNameEverywhere) {
  const Environment no_bf16("ONEDNN_MAX_CPU_ISA=AVX2 ");
  std::string isa;
  const Result probe = nmt("translate -m " + model() + " --precision bf16 -i " + file("in.txt"));
  const std::string found = after(probe.output, "oneDNN finds ISA ");
  isa = found.substr(0, found.find(' '));
  EXPECT_TRUE(isa == "avx2" || isa == "avx" || isa == "sse41") << probe.output;
  const std::string problem = "bf16 matrix products need a CPU with bf16 instructions (AVX512_BF16 or AMX); "
                              "oneDNN finds ISA " + isa + " here; use fp32";
  expect_refused_everywhere({{"compute.precision", "bf16"}}, "compute.precision", "compute.precision = bf16: " + problem,
                            "train.precision = bf16: " + problem, "--precision");
  // fp32 still works there.
  expect_accepted_everywhere({{"compute.precision", "fp32"}}, {"fp32"}, {""});
}

// int8 products are for translation: translate and evaluate take int8 where the CPU has
// VNNI or AMX (and translate the same from flags and a file); train refuses it by name.
// On a CPU without VNNI or AMX, on every machine (oneDNN told to use no more than AVX2),
// translate and evaluate refuse it by name before any other work. One test: the
// suite's set-up trains a model.
TEST_F(OneRule, Int8IsForTranslationOnlyAndRefusedByNameWithoutVnni) {
  if (cpu_has_int8()) {
    expect_int8_for_translation_only("");
    const std::string translate = "translate -m " + model() + " -i " + file("in.txt");
    std::string by_flags, by_file;
    ASSERT_EQ(nmt_stdout(translate + " --precision int8", by_flags).exit_code, 0);
    std::map<std::string, int> lines;
    const std::string config = config_file("", {{"compute.precision", "int8"}}, false, lines);
    ASSERT_EQ(nmt_stdout(translate + " -c " + config, by_file).exit_code, 0);
    EXPECT_EQ(by_file, by_flags);
    EXPECT_GE(lines_of(by_flags).size(), kInputLines) << by_flags;
  }
  const Environment no_vnni("ONEDNN_MAX_CPU_ISA=AVX2 ");
  const Result probe = nmt("translate -m " + model() + " --precision int8 -i " + file("in.txt"));
  const std::string found = after(probe.output, "oneDNN finds ISA ");
  const std::string isa = found.substr(0, found.find(' '));
  EXPECT_TRUE(isa == "avx2" || isa == "avx" || isa == "sse41") << probe.output;
  expect_int8_for_translation_only("int8 matrix products need a CPU with int8 dot-product instructions "
                                   "(AVX512_VNNI, AVX_VNNI or AMX); oneDNN finds ISA " + isa + " here");
}

// search.nbest may not exceed search.beam_size: the one cross-key rule, wherever either
// value comes from, in either order at the prompt; the beam is never widened.
TEST_F(OneRuleTable, NbestCannotExceedTheBeam) {
  const std::string refused = "search.nbest: cannot exceed search.beam_size (2)";
  expect_refused_everywhere({{"search.beam_size", "2"}, {"search.nbest", "3"}}, "search.nbest", refused, refused);
  expect_refused_everywhere({{"search.nbest", "3"}, {"search.beam_size", "2"}}, "search.nbest", refused, refused);

  // One from a file, the other from the command line: the message names where nbest came from.
  const std::string translate = "translate -m " + model() + " -i " + file("in.txt");
  std::map<std::string, int> lines;
  const std::string beam_file = config_file("", {{"search.beam_size", "2"}}, false, lines);
  const Result mixed = nmt(translate + " -c " + beam_file + " --nbest 3");
  EXPECT_EQ(mixed.exit_code, 2) << mixed.output;
  EXPECT_EQ(after(mixed.output, "nmt translate: error: the command line: "), refused) << mixed.output;
  lines.clear();
  const std::string nbest_file = config_file("", {{"search.nbest", "3"}}, false, lines);
  const Result other = nmt(translate + " -c " + nbest_file + " --search.beam_size 2");
  EXPECT_EQ(other.exit_code, 2) << other.output;
  EXPECT_EQ(after(other.output, "nmt translate: error: " + nbest_file + ":2: "), refused) << other.output;

  // The prompt: lowering the beam under the n-best is refused as raising the n-best over it.
  const std::vector<std::string> answers = prompt(":beam 2\n:nbest 3\n:nbest 2\n:beam 1\n:beam 3\n:nbest 3\n:beam 2\n");
  EXPECT_EQ(answers[0], "beam 2, 1-best, alpha 1");
  EXPECT_EQ(answers[1], refused);
  EXPECT_EQ(answers[2], "beam 2, 2-best, alpha 1");
  EXPECT_EQ(answers[3], "search.nbest: cannot exceed search.beam_size (1)");
  EXPECT_EQ(answers[4], "beam 3, 2-best, alpha 1");
  EXPECT_EQ(answers[5], "beam 3, 3-best, alpha 1");
  EXPECT_EQ(answers[6], refused);

  expect_accepted_everywhere({{"search.beam_size", "3"}, {"search.nbest", "3"}}, {"3", "3"}, {":beam", ":nbest"});
  expect_accepted_everywhere({{"search.beam_size", "1"}, {"search.nbest", "1"}}, {"1", "1"}, {":beam", ":nbest"});
  expect_accepted_everywhere({{"search.beam_size", "4"}, {"search.length_penalty", "0.5"}}, {"4", "0.5"},
                             {":beam", ":alpha"});
}

}  // namespace
}  // namespace nmt
