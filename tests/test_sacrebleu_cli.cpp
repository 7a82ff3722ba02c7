// test_sacrebleu_cli.cpp — `nmt evaluate` against sacreBLEU 2.6.0's own command line.
//
// tests/data/sacrebleu holds hypotheses, two reference files and what sacreBLEU printed
// for each case of cases.tsv (its README says how they were made). Each case runs
// `nmt evaluate REF... ARGS < hyp.txt` and `nmt evaluate --hyp hyp.txt --ref REF ... ARGS`;
// both must print exactly sacreBLEU's output: JSON compared key for key and value for
// value (then byte for byte), text byte for byte. Also the stand-in's own edges: standard
// input that is a terminal, invalid UTF-8 on standard input, misaligned references,
// bad --tokenize, --metrics and -w values.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

const std::string kFixtures = "tests/data/sacrebleu";

struct Case {
  std::string name, references, sacrebleu_arguments, nmt_arguments;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  std::ifstream in(kFixtures + "/cases.tsv");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = split(line, '\t');
    if (fields.size() != 4) throw std::runtime_error("cases.tsv: not 4 fields: " + line);
    out.push_back({fields[0], fields[1], fields[2], fields[3]});
  }
  return out;
}

// "ref1.txt ref2.txt" as bare arguments, or as --ref FILE each, relative to the project root.
std::string reference_arguments(const std::string& references, bool as_flags) {
  std::string out;
  for (const std::string& file : split(references, ' '))
    if (!file.empty()) out += std::string(as_flags ? " --ref " : " ") + kFixtures + "/" + file;
  return out;
}

// Key for key, value for value: objects keep their keys' order.
void expect_same_json(const nlohmann::ordered_json& got, const nlohmann::ordered_json& expected,
                      const std::string& where) {
  ASSERT_EQ(got.type_name(), std::string(expected.type_name())) << where;
  if (expected.is_array()) {
    ASSERT_EQ(got.size(), expected.size()) << where;
    for (std::size_t i = 0; i < expected.size(); ++i) expect_same_json(got[i], expected[i], where + "[" + std::to_string(i) + "]");
  } else if (expected.is_object()) {
    std::vector<std::string> got_keys, expected_keys;
    for (const auto& item : got.items()) got_keys.push_back(item.key());
    for (const auto& item : expected.items()) expected_keys.push_back(item.key());
    ASSERT_EQ(got_keys, expected_keys) << where;
    for (const auto& item : expected.items()) expect_same_json(got.at(item.key()), item.value(), where + "." + item.key());
  } else {
    EXPECT_EQ(got, expected) << where;
  }
}

TEST(SacreBleuCli, EveryCaseEqualsSacreBleusOwnOutput) {
  const std::vector<Case> all = cases();
  ASSERT_EQ(all.size(), 52u);
  test::TempDir dir;
  for (const Case& c : all) {
    const std::string expected = test::read_text(kFixtures + "/expected/" + c.name);
    ASSERT_FALSE(expected.empty()) << c.name;
    for (const bool from_file : {false, true}) {
      const std::string arguments =
          from_file ? "evaluate --hyp " + kFixtures + "/hyp.txt" + reference_arguments(c.references, true) + " " +
                          c.nmt_arguments
                    : "evaluate" + reference_arguments(c.references, false) + " " + c.nmt_arguments + " < " +
                          kFixtures + "/hyp.txt";
      const std::string where = c.name + (from_file ? " (--hyp)" : " (standard input)") + ": nmt " + arguments;
      const Result result = run_nmt_to(arguments, dir.file("out"));
      ASSERT_EQ(result.exit_code, 0) << where << "\n" << result.output;
      EXPECT_EQ(result.output, "") << where;  // nothing on stderr, as sacreBLEU
      const std::string got = test::read_text(dir.file("out"));
      const bool json = c.name.size() > 5 && c.name.compare(c.name.size() - 5, 5, ".json") == 0;
      if (json) expect_same_json(nlohmann::ordered_json::parse(got), nlohmann::ordered_json::parse(expected), where);
      EXPECT_EQ(got, expected) << where;
    }
  }
}

// The fixture's lowercase cases differ from the mixed-case ones: the test can fail.
TEST(SacreBleuCli, FixturesTellTheOptionsApart) {
  for (const char* tokenizer : {"13a", "intl", "none", "char"}) {
    const std::string mixed = test::read_text(kFixtures + "/expected/w6." + tokenizer + ".refs2.json");
    const std::string lowercase = test::read_text(kFixtures + "/expected/w6." + tokenizer + ".lc.refs2.json");
    EXPECT_NE(nlohmann::json::parse(mixed)[0]["score"], nlohmann::json::parse(lowercase)[0]["score"]) << tokenizer;
  }
  EXPECT_NE(test::read_text(kFixtures + "/expected/13a.refs1.json"), test::read_text(kFixtures + "/expected/13a.refs2.json"));
}

TEST(SacreBleuCli, ATerminalOnStandardInputIsRefused) {
  // script(1) gives nmt a pseudo-terminal as standard input.
  const Result result = run_command("script -qec '" + std::string(NMT_BINARY_PATH) + " evaluate " + kFixtures +
                                    "/ref1.txt' /dev/null");
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_CONTAINS(result.output, "nmt evaluate: error: the command line: give the hypotheses as --hyp FILE or on "
                                 "standard input (it is a terminal), or --model MODEL --src FILE to translate them");
}

TEST(SacreBleuCli, StandardInputIsRepairedAndCheckedLikeAFile) {
  test::TempDir dir;
  test::write_text(dir.file("ref.txt"), "zwei Katzen sitzen auf dem Dach\nein Hund\n");
  test::write_text(dir.file("bad.txt"), "zwei Katzen \xff sitzen auf dem Dach\nein Hund\n");
  test::write_text(dir.file("repaired.txt"), "zwei Katzen \xEF\xBF\xBD sitzen auf dem Dach\nein Hund\n");
  const Result bad = run_nmt_to("evaluate --json " + dir.file("ref.txt") + " < " + dir.file("bad.txt"), dir.file("bad.json"));
  ASSERT_EQ(bad.exit_code, 0) << bad.output;
  EXPECT_CONTAINS(bad.output, "warning: standard input line 1: invalid UTF-8 replaced by U+FFFD");
  const Result dash = run_nmt_to("evaluate --json --hyp - --ref " + dir.file("ref.txt") + " < " + dir.file("repaired.txt"),
                                 dir.file("repaired.json"));
  ASSERT_EQ(dash.exit_code, 0) << dash.output;
  EXPECT_EQ(dash.output, "");
  EXPECT_EQ(test::read_text(dir.file("bad.json")), test::read_text(dir.file("repaired.json")));

  test::write_text(dir.file("short.txt"), "eins\n");
  const Result short_input = run_nmt("evaluate " + dir.file("ref.txt") + " < " + dir.file("short.txt"));
  EXPECT_EQ(short_input.exit_code, 1);
  EXPECT_CONTAINS(short_input.output, "nmt evaluate: error: standard input has 1 lines but '" + dir.file("ref.txt") +
                                          "' has 2; they must be line-aligned");
  // Every reference file is checked, and named.
  const Result short_reference = run_nmt("evaluate --hyp " + dir.file("ref.txt") + " --ref " + dir.file("ref.txt") +
                                         " --ref " + dir.file("short.txt"));
  EXPECT_EQ(short_reference.exit_code, 1);
  EXPECT_CONTAINS(short_reference.output, "nmt evaluate: error: '" + dir.file("ref.txt") + "' has 2 lines but '" +
                                              dir.file("short.txt") + "' has 1; they must be line-aligned");
}

TEST(SacreBleuCli, BadOptionsAreUsageErrors) {
  const std::string scored = "evaluate --hyp " + kFixtures + "/hyp.txt " + kFixtures + "/ref1.txt";
  const std::pair<std::string, std::string> refusals[] = {
      {scored + " --tokenize zh", "the command line: tokenize = zh: must be one of 13a, intl, none, char"},
      {scored + " -tok 13A", "the command line: tokenize = 13A: must be one of 13a, intl, none, char"},
      {scored + " --metrics bleu ter", "the command line: metrics = ter: must be one of bleu, chrf"},
      {scored + " --width=-1", "the command line: width = -1: must be from 0 to 17"},
      {"evaluate --hyp " + kFixtures + "/hyp.txt", "the command line: give the references: a file per reference (REF or --ref REF)"},
      {"evaluate --src " + kFixtures + "/hyp.txt " + kFixtures + "/ref1.txt", "the command line: --src needs --model"},
  };
  for (const auto& [arguments, message] : refusals) {
    const Result result = run_nmt(arguments + " < /dev/null");
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.output;
    EXPECT_CONTAINS(result.output, "nmt evaluate: error: " + message);
  }
}

}  // namespace
}  // namespace nmt
