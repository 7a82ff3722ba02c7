// test_translate.cpp — `nmt translate` and `nmt evaluate` end to end on a small trained
// model: the filter keeps line alignment through empty, invalid and over-long lines, each
// line translated as it is alone; file mode equals filter mode; n-best lists have their
// documented format and order, headed by the 1-best translation; the interactive prompt
// answers commands, translates as the filter does and draws the attention; evaluate
// scores a model and a hypothesis file the same way, its hypotheses those of translate,
// and refuses misaligned files and bad models with status 1 and their message. Ensembles
// (several -m): a model with itself translates, lists and scores as the model; two models
// translate, evaluate (each model's perplexity) and greet at the prompt as an ensemble;
// another tokenizer and bad --weights are refused by name; `nmt info` takes one file.
// (int8 products and the shortlist against fp32: tests/test_training.cpp, on the
// quickstart model.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "data/utf8.hpp"
#include "formats/model_file.hpp"
#include "small_run.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

using test::lines_of;

class TranslateCli : public TrainedModelSuite<TranslateCli> {
 protected:
  static void SetUpTestSuite() { train_model(); }

  // Runs `nmt ARGS < input`, stdout and stderr kept apart.
  static Result run_split(const std::string& args, const std::string& input, std::string& err) {
    test::write_text(file("stdin.txt"), input);
    const Result r = run_command("(" + std::string(NMT_BINARY_PATH) + " " + args + " < " + file("stdin.txt") +
                                 " 2> " + file("stderr.txt") + ")");
    err = test::read_text(file("stderr.txt"));
    return r;
  }
};

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

// One line of a Moses-format n-best list, "INDEX ||| TRANSLATION ||| FEATURES ||| SCORE",
// read as Moses' and Marian's rescoring tools read it: FEATURES is "Name= value ..." groups.
struct NbestEntry {
  int index = -1;
  std::string text;
  std::map<std::string, std::vector<double>> features;
  double score = 0;
};

NbestEntry parse_moses_nbest_line(const std::string& line) {
  std::vector<std::string> fields;
  for (std::size_t begin = 0;;) {
    const std::size_t bar = line.find(" ||| ", begin);
    fields.push_back(line.substr(begin, bar == std::string::npos ? std::string::npos : bar - begin));
    if (bar == std::string::npos) break;
    begin = bar + 5;
  }
  if (fields.size() != 4) throw std::runtime_error("not 4 fields: '" + line + "'");
  NbestEntry entry;
  entry.index = std::stoi(fields[0]);
  entry.text = fields[1];
  std::istringstream features(fields[2]);
  std::string name;
  for (std::string token; features >> token;) {
    if (token.back() == '=') name = token.substr(0, token.size() - 1);
    else if (name.empty()) throw std::runtime_error("a feature value before any name: '" + line + "'");
    else entry.features[name].push_back(std::stod(token));
  }
  std::size_t used = 0;
  entry.score = std::stod(fields[3], &used);
  if (used != fields[3].size()) throw std::runtime_error("trailing text after the score: '" + line + "'");
  return entry;
}

TEST_F(TranslateCli, NbestListsHaveTheMosesFormatAndDistinctTranslations) {
  test::write_text(file("nbest.in"), "three\n\ntwenty-two\nfour\nseven hundred and one\n");
  const Result r = run_nmt("translate -m " + model() + " --nbest 5 --search.length_penalty 1 -i " +
                           file("nbest.in") + " -o " + file("nbest.out"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The head of each list is the 1-best translation of the same beam.
  const Result one_best = run_nmt("translate -m " + model() + " -i " + file("nbest.in") + " -o " + file("best.out"));
  ASSERT_EQ(one_best.exit_code, 0) << one_best.output;
  const auto best = lines_of(test::read_text(file("best.out")));
  ASSERT_EQ(best.size(), 5u);

  std::map<int, std::vector<NbestEntry>> lists;
  int previous_index = 0;
  for (const auto& line : lines_of(test::read_text(file("nbest.out")))) {
    NbestEntry entry;
    ASSERT_NO_THROW(entry = parse_moses_nbest_line(line)) << line;
    EXPECT_GE(entry.index, previous_index) << "lists in input order: " << line;
    previous_index = entry.index;
    lists[entry.index].push_back(entry);
  }
  ASSERT_EQ(lists.size(), 5u) << "every input line has its list";
  for (const auto& [index, list] : lists) {
    ASSERT_GE(list.size(), 1u);
    ASSERT_LE(list.size(), 5u);
    EXPECT_EQ(list.front().text, best[static_cast<std::size_t>(index)]) << "line " << index;
    std::set<std::string> texts;
    for (std::size_t k = 0; k < list.size(); ++k) {
      const NbestEntry& e = list[k];
      ASSERT_EQ(e.features.size(), 2u) << e.text;
      ASSERT_EQ(e.features.at("LogProb").size(), 1u);
      ASSERT_EQ(e.features.at("LengthPenalty").size(), 1u);
      const double log_probability = e.features.at("LogProb")[0], penalty = e.features.at("LengthPenalty")[0];
      EXPECT_NEAR(e.score, log_probability / penalty, 1e-5) << e.text;
      if (k > 0) {
        EXPECT_LE(e.score, list[k - 1].score) << "best first: " << e.text;
      }
      EXPECT_TRUE(texts.insert(e.text).second) << "listed twice: '" << e.text << "' (line " << index << ")";
      if (index == 1) continue;  // the empty line
      EXPECT_FALSE(e.text.empty()) << "an empty alternative for line " << index;
      EXPECT_LT(log_probability, 0);
      // alpha = 1: the length penalty is the length, pieces + eos
      EXPECT_EQ(penalty, std::round(penalty));
      EXPECT_GE(penalty, 2);
    }
  }
  ASSERT_EQ(lists.at(1).size(), 1u);  // the empty line: one empty hypothesis
  const auto out = lines_of(test::read_text(file("nbest.out")));
  EXPECT_NE(std::find(out.begin(), out.end(), "1 |||  ||| LogProb= 0.000000 LengthPenalty= 1.000000 ||| 0.000000"),
            out.end());
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
  const std::string test_prefix = corpus("test");
  const std::string model_run = "evaluate -m " + model() + " --src " + test_prefix + ".en --search.beam_size 3 ";
  const Result with_model =
      run_nmt_to(model_run + "--ref " + test_prefix + ".de --json -o " + file("eval.hyp"), file("model.json"));
  ASSERT_EQ(with_model.exit_code, 0) << with_model.output;
  // sacreBLEU's list of metrics, then the model's entry.
  const auto scored = nlohmann::ordered_json::parse(test::read_text(file("model.json")));
  ASSERT_EQ(scored.size(), 3u) << scored.dump();
  EXPECT_EQ(scored[0].at("name"), "BLEU");
  EXPECT_EQ(scored[0].at("signature"), "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0");
  EXPECT_EQ(scored[1].at("name"), "chrF2");
  const auto& figures = scored[2];
  std::vector<std::string> keys;
  for (const auto& item : figures.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "sentences", "perplexity", "seconds", "sentences_per_s",
                                            "target_tokens_per_s", "beam_size"}));
  EXPECT_EQ(figures.at("name"), "model");
  EXPECT_EQ(figures.at("sentences").get<std::uint64_t>(), 60u);
  EXPECT_GT(figures.at("perplexity").get<double>(), 1.0);
  EXPECT_GT(figures.at("sentences_per_s").get<double>(), 0.0);
  EXPECT_EQ(figures.at("beam_size").get<int>(), 3);

  // The hypothesis file scores the same, and prints sacreBLEU's list alone.
  const Result from_file = run_nmt_to("evaluate --hyp " + file("eval.hyp") + " --ref " + test_prefix + ".de --json",
                                      file("hyp.json"));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;
  const auto rescored = nlohmann::ordered_json::parse(test::read_text(file("hyp.json")));
  ASSERT_EQ(rescored.size(), 2u);
  EXPECT_EQ(rescored[0], scored[0]);
  EXPECT_EQ(rescored[1], scored[1]);

  // The text form: sacreBLEU's lines, then the model's; -b: the scores alone.
  const Result table = run_nmt_to(model_run + "--ref " + test_prefix + ".de", file("model.txt"));
  ASSERT_EQ(table.exit_code, 0) << table.output;
  const std::vector<std::string> lines = lines_of(test::read_text(file("model.txt")));
  ASSERT_EQ(lines.size(), 4u) << test::read_text(file("model.txt"));
  EXPECT_EQ(lines[0].rfind("  BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0 = ", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = ", 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind("perplexity = ", 0), 0u) << lines[2];
  EXPECT_EQ(lines[3].rfind("speed: 60 sentences in ", 0), 0u) << lines[3];
  const Result scores = run_nmt_to(model_run + "--ref " + test_prefix + ".de -b -w 4", file("scores.txt"));
  ASSERT_EQ(scores.exit_code, 0) << scores.output;
  const std::vector<std::string> score_lines = lines_of(test::read_text(file("scores.txt")));
  ASSERT_EQ(score_lines.size(), 2u) << test::read_text(file("scores.txt"));
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(score_lines[i], fmt::format("{:.4f}", std::stod(score_lines[i])));
    EXPECT_EQ(fmt::format("{:.1f}", std::stod(score_lines[i])), fmt::format("{:.1f}", scored[i].at("score").get<double>()));
  }

  // Two references (here the same file twice): nrefs:2, perplexity against the first.
  const Result two = run_nmt_to(model_run + test_prefix + ".de " + test_prefix + ".de --json", file("two.json"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  const auto two_scored = nlohmann::ordered_json::parse(test::read_text(file("two.json")));
  EXPECT_EQ(two_scored[0].at("signature"), "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0");
  EXPECT_EQ(two_scored[0].at("score"), scored[0].at("score"));
  EXPECT_EQ(two_scored[2].at("perplexity"), figures.at("perplexity"));

  // The hypotheses are translate's, with the same search.
  const Result translated = run_nmt("translate -m " + model() + " --search.beam_size 3 -i " + test_prefix + ".en -o " +
                                    file("translated.hyp"));
  ASSERT_EQ(translated.exit_code, 0) << translated.output;
  EXPECT_EQ(test::read_text(file("eval.hyp")), test::read_text(file("translated.hyp")));
  EXPECT_EQ(lines_of(test::read_text(file("eval.hyp"))).size(), 60u);
}

TEST_F(TranslateCli, EvaluateRefusesMisalignedFiles) {
  test::write_text(file("short.hyp"), "one\ntwo\n");
  const std::string ref = corpus("test.de");
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


// Two models of the suite's corpus (train.seed 1 and 2, the same tokenizers), and one
// with the first's target tokenizer on its source side too.
class EnsembleCli : public TrainedModelSuite<EnsembleCli> {
 protected:
  static void SetUpTestSuite() {
    train_model();
    if (!setup_problem_.empty()) return;
    setup_problem_ = run_->ensure("second", "--train.seed 2");
    if (!setup_problem_.empty()) return;
    LoadedModel other = load_model_file(model());
    if (other.vocabularies.source.vocab_size() != other.vocabularies.target.vocab_size()) {
      setup_problem_ = "the tokenizers' sizes differ: cannot swap them";
      return;
    }
    other.vocabularies.source = other.vocabularies.target;
    write_model_file(other_tokenizer(), *other.network, other.parameters, other.vocabularies, other.languages);
  }
  static std::string second() { return run_->run_dir("second") + "/model.nmt"; }
  static std::string other_tokenizer() { return file("other-tokenizer.nmt"); }
  static std::string test_prefix() { return corpus("test"); }
};

TEST_F(EnsembleCli, AModelWithItselfTranslatesAsTheModel) {
  for (const std::string search : {"--search.beam_size 1", "--search.beam_size 4 --nbest 3"}) {
    const std::string tail = " " + search + " -i " + test_prefix() + ".en";
    const Result alone = run_nmt_to("translate -m " + model() + tail, file("alone.txt"));
    const Result twice = run_nmt_to("translate -m " + model() + " -m " + model() + tail, file("twice.txt"));
    ASSERT_EQ(alone.exit_code, 0) << alone.output;
    ASSERT_EQ(twice.exit_code, 0) << twice.output;
    EXPECT_EQ(test::read_text(file("twice.txt")), test::read_text(file("alone.txt"))) << search;  // scores too
    EXPECT_GE(lines_of(test::read_text(file("alone.txt"))).size(), 60u);
  }
  // evaluate: the same scores, and the model's perplexity once per model.
  const std::string tail = " --src " + test_prefix() + ".en " + test_prefix() + ".de --search.beam_size 2";
  const Result alone = run_nmt_to("evaluate -m " + model() + tail, file("alone.txt"));
  const Result twice = run_nmt_to("evaluate -m " + model() + " -m " + model() + tail, file("twice.txt"));
  ASSERT_EQ(twice.exit_code, 0) << twice.output;
  const auto alone_lines = lines_of(test::read_text(file("alone.txt")));
  const auto twice_lines = lines_of(test::read_text(file("twice.txt")));
  ASSERT_EQ(alone_lines.size(), 4u);
  ASSERT_EQ(twice_lines.size(), 5u) << test::read_text(file("twice.txt"));
  EXPECT_EQ(twice_lines[0], alone_lines[0]);  // BLEU
  EXPECT_EQ(twice_lines[1], alone_lines[1]);  // chrF2
  EXPECT_EQ(twice_lines[2], alone_lines[2].substr(0, alone_lines[2].size() - 1) + ", model 1 of 2: '" + model() + "')");
  EXPECT_EQ(twice_lines[3], alone_lines[2].substr(0, alone_lines[2].size() - 1) + ", model 2 of 2: '" + model() + "')");
}

TEST_F(EnsembleCli, TwoModelsTranslateEvaluateAndGreetAsAnEnsemble) {
  const Result both = run_nmt_to("translate -m " + model() + " -m " + second() + " --weights 2 1 --nbest 2 -i " +
                                     test_prefix() + ".en",
                                 file("both.txt"));
  ASSERT_EQ(both.exit_code, 0) << both.output;
  EXPECT_CONTAINS(test::read_text(file("both.txt")), "0 ||| ");
  const std::string tail = " --src " + test_prefix() + ".en " + test_prefix() + ".de --json";
  std::vector<double> perplexities;
  for (const std::string& m : {model(), second()}) {
    ASSERT_EQ(run_nmt_to("evaluate -m " + m + tail, file("one.json")).exit_code, 0);
    perplexities.push_back(nlohmann::json::parse(test::read_text(file("one.json")))[2].at("perplexity").get<double>());
  }
  const Result evaluated = run_nmt_to("evaluate -m " + model() + " -m " + second() + " --weights 2 1" + tail,
                                      file("both.json"));
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.output;
  const auto entry = nlohmann::ordered_json::parse(test::read_text(file("both.json")))[2];
  EXPECT_FALSE(entry.contains("perplexity")) << entry.dump();
  ASSERT_EQ(entry.at("models").size(), 2u) << entry.dump();
  EXPECT_EQ(entry.at("models")[0].at("path"), model());
  EXPECT_EQ(entry.at("models")[0].at("weight").get<double>(), 2.0);
  EXPECT_EQ(entry.at("models")[1].at("path"), second());
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(entry.at("models")[i].at("perplexity").get<double>(), perplexities[i]);
  // The hypotheses are translate's with the same models and weights.
  ASSERT_EQ(run_nmt("evaluate -m " + model() + " -m " + second() + " --weights 2 1 --src " + test_prefix() + ".en " +
                    test_prefix() + ".de -o " + file("evaluated.hyp"))
                .exit_code,
            0);
  ASSERT_EQ(run_nmt_to("translate -m " + model() + " -m " + second() + " --weights 2 1 -i " + test_prefix() + ".en",
                       file("translated.hyp"))
                .exit_code,
            0);
  EXPECT_EQ(test::read_text(file("evaluated.hyp")), test::read_text(file("translated.hyp")));
  // The prompt names both models and draws the (mean) attention.
  test::write_text(file("prompt.txt"), ":attention on\nseventeen\n");
  const Result prompt = run_command(std::string(NMT_BINARY_PATH) + " translate --interactive -m " + model() + " -m " +
                                    second() + " < " + file("prompt.txt"));
  ASSERT_EQ(prompt.exit_code, 0) << prompt.output;
  EXPECT_CONTAINS(prompt.output, "nmt: " + model() + " + " + second() + " (an ensemble of 2, en → de, ");
  EXPECT_CONTAINS(prompt.output, "</s>");
}

TEST_F(EnsembleCli, OtherTokenizersAndBadWeightsAreRefusedByName) {
  const Result other = run_nmt("translate -m " + model() + " -m " + other_tokenizer() + " -i " + test_prefix() + ".en");
  EXPECT_EQ(other.exit_code, 1) << other.output;
  EXPECT_CONTAINS(other.output, "nmt translate: error: '" + other_tokenizer() + "' cannot be ensembled with '" +
                                    model() + "': its source tokenizer differs (another SentencePiece model)");
  const Result evaluated = run_nmt("evaluate -m " + model() + " -m " + other_tokenizer() + " --src " + test_prefix() +
                                   ".en " + test_prefix() + ".de");
  EXPECT_EQ(evaluated.exit_code, 1) << evaluated.output;
  EXPECT_CONTAINS(evaluated.output, "its source tokenizer differs");
  const Result count = run_nmt("translate -m " + model() + " -m " + second() + " --weights 1 -i " + test_prefix() + ".en");
  EXPECT_EQ(count.exit_code, 2) << count.output;
  EXPECT_CONTAINS(count.output, "nmt translate: error: the command line: --weights: 1 weights for 2 models (give one per -m)");
  const Result negative = run_nmt("translate -m " + model() + " -m " + second() + " --weights 1 0 -i " +
                                  test_prefix() + ".en");
  EXPECT_EQ(negative.exit_code, 2) << negative.output;
  EXPECT_CONTAINS(negative.output, "--weights: 0: must be a positive number");
  const Result info = run_nmt("info " + model() + " " + second());
  EXPECT_EQ(info.exit_code, 2) << info.output;
  EXPECT_CONTAINS(info.output, "nmt info: error: the command line: 2 models given: nmt info shows one model file");
}

}  // namespace
}  // namespace nmt
