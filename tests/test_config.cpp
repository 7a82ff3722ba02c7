// test_config.cpp — the option schema: precedence and every error path.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/config_sections.hpp"
#include "app/option_schema.hpp"
#include "test_util.hpp"

namespace nmt {
namespace {

namespace po = boost::program_options;

// A training config parsed from an optional INI text plus command-line arguments.
struct Parsed {
  RunConfig config;
  OptionSchema schema;
};

constexpr const char* kRequired = "[data]\nsource_lang = en\ntarget_lang = de\ntrain = corpus/train\n";

// Parses `ini` (as the -c file, unless empty) and `arguments` into `schema`.
void parse_into(OptionSchema& schema, const std::string& ini, std::vector<std::string> arguments, test::TempDir& dir) {
  if (!ini.empty()) {
    test::write_text(dir.file("run.ini"), ini);
    arguments.insert(arguments.begin(), {"-c", dir.file("run.ini")});
  }
  po::options_description flags;
  flags.add_options()("config,c", po::value<std::string>());
  po::variables_map values;
  schema.parse(arguments, flags, values);
}

std::unique_ptr<Parsed> parse(const std::string& ini, std::vector<std::string> arguments,
                              test::TempDir& dir) {
  auto parsed = std::make_unique<Parsed>();
  add_run_options(parsed->schema, parsed->config);
  parse_into(parsed->schema, ini, std::move(arguments), dir);
  return parsed;
}

// The ConfigError message of parsing `ini` + `arguments` (fails the test if none).
std::string error_of(const std::string& ini, std::vector<std::string> arguments = {}) {
  test::TempDir dir;
  try {
    parse(ini, std::move(arguments), dir);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a ConfigError";
  return "";
}

#define EXPECT_CONTAINS(text, fragment) \
  EXPECT_NE(std::string(text).find(fragment), std::string::npos) << "in: " << (text)

TEST(Config, AByteOrderMarkIsAccepted) {
  test::TempDir dir;
  const auto parsed = parse(std::string("\xEF\xBB\xBF") + kRequired + "[train]\nlr = 0.01\n", {}, dir);
  EXPECT_EQ(parsed->config.data.source_lang, "en");
  EXPECT_EQ(parsed->config.train.lr, 0.01);
  EXPECT_CONTAINS(parsed->schema.source_of("train.lr"), "run.ini:6");
}

TEST(Config, SyntaxErrorsNameTheirRealLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"this line has no equals sign\n", ":5: expected '[section]' or 'key = value', found 'this line"},
      {"[train\nlr = 1\n", ":5: expected '[section]' or 'key = value', found '[train'"},
      {"[]\n", ":5: expected '[section]'"},
      {"= 3\n", ":5: expected '[section]' or 'key = value', found '= 3'"}};
  for (const auto& [bad, expected] : cases) EXPECT_CONTAINS(error_of(std::string(kRequired) + bad), expected);
}

TEST(Config, SemicolonCommentsAndSpacedSectionNamesKeepTheRealLines) {
  test::TempDir dir;
  const std::string ini = std::string(kRequired) + "; a comment\n[ train ]  # the loop\nlr = 0.02  # faster\n";
  const auto parsed = parse(ini, {}, dir);
  EXPECT_DOUBLE_EQ(parsed->config.train.lr, 0.02);
  EXPECT_EQ(parsed->schema.source_of("train.lr"), dir.file("run.ini") + ":7");
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "; comment\n[ train ]\nlr = fast\n"), "run.ini:7: train.lr");
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "; comment\n[ train ]\nlrr = 1\n"),
                  "run.ini:7: unknown key 'lrr' in [train] (did you mean 'lr'?)");
}

TEST(Config, AValueOnASectionLineIsASyntaxError) {
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[train] lr = 1\n"),
                  "run.ini:5: expected '[section]' or 'key = value', found '[train] lr = 1'");
}

TEST(Config, EveryMessageEscapesWhatItQuotes) {
  const std::string syntax = error_of(std::string(kRequired) + "bad\x07line \xC2\x9B\n");
  EXPECT_CONTAINS(syntax, "run.ini:5: expected '[section]' or 'key = value', found 'bad\\x07line \\u009b'");
  const std::string option = error_of(kRequired, {"--train.l\x1Br", "1"});
  EXPECT_CONTAINS(option, "--train.l\\x1br");
  for (const std::string& message : {syntax, option})
    for (const char raw : {'\x07', '\x1B', '\xC2'}) EXPECT_EQ(message.find(raw), std::string::npos) << message;
}

TEST(Config, ControlBytesAndInvalidUtf8AreEscapedInMessages) {
  const std::string unknown = error_of(std::string(kRequired) + "[train]\nl\x07r = 1\n");
  EXPECT_CONTAINS(unknown, "l\\x07r");
  EXPECT_EQ(unknown.find('\x07'), std::string::npos) << unknown;
  const std::string value = error_of(kRequired, {"--data.source_lang", "e\xffn"});
  EXPECT_CONTAINS(value, "e\\xffn");
  EXPECT_EQ(value.find('\xff'), std::string::npos) << value;
}

TEST(Config, AValueThatIsNotUtf8IsRefusedAtItsLine) {
  // Model files and logs hold UTF-8 only: a Latin-1 config fails here, not at the first checkpoint.
  const std::string file = error_of(std::string(kRequired) + "[train]\nrun_dir = runs/caf\xe9\n");
  EXPECT_CONTAINS(file, "run.ini:6: train.run_dir = runs/caf\\xe9: not valid UTF-8 (byte 9)");
  const std::string flag = error_of(kRequired, {"--train.run_dir", "r\xc3"});
  EXPECT_CONTAINS(flag, "the command line: train.run_dir = r\\xc3: not valid UTF-8 (byte 2)");
}

// As translate and evaluate read a training config: [search] used, the rest checked only.
struct TranslateParsed {
  SearchConfig search;
  RunConfig unused;
  OptionSchema schema;
};

std::unique_ptr<TranslateParsed> parse_as_translate(const std::string& ini, std::vector<std::string> arguments,
                                                    test::TempDir& dir) {
  auto parsed = std::make_unique<TranslateParsed>();
  add_search_options(parsed->schema, parsed->search);
  add_training_sections_file_only(parsed->schema, parsed->unused);
  parse_into(parsed->schema, ini, std::move(arguments), dir);
  return parsed;
}

TEST(Config, ATrainingConfigIsReadForItsSearchAndCheckedWhole) {
  test::TempDir dir;
  const std::string training = std::string(kRequired) + "[model]\nembed_dim = 64\n[search]\nbeam_size = 3\n";
  const auto parsed = parse_as_translate(training, {}, dir);
  EXPECT_EQ(parsed->search.beam_size, 3);
  const std::string dump = parsed->schema.dump_ini();
  EXPECT_NE(dump.find("[search]"), std::string::npos);
  EXPECT_EQ(dump.find("[model]"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("[data]"), std::string::npos) << dump;

  const auto error_as_translate = [&](const std::string& ini, std::vector<std::string> arguments) {
    try {
      parse_as_translate(ini, std::move(arguments), dir);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_CONTAINS(error_as_translate("[model]\nembed_dim = 0\n", {}), "run.ini:2: model.embed_dim = 0: must be in [1, 8192]");
  EXPECT_CONTAINS(error_as_translate("[model]\nembed_dims = 4\n", {}),
                  "run.ini:2: unknown key 'embed_dims' in [model] (did you mean 'embed_dim'?)");
  EXPECT_CONTAINS(error_as_translate("[search]\nbeam_size = 2\n", {"--model.embed_dim", "4"}),
                  "the command line: unknown option '--model.embed_dim'");
  // Not required here: a file without [data] is a valid search config.
  EXPECT_EQ(parse_as_translate("[search]\nbeam_size = 2\n", {}, dir)->search.beam_size, 2);
}

TEST(Config, DefaultsComeFromTheStructs) {
  test::TempDir dir;
  const auto parsed = parse(kRequired, {}, dir);
  const RunConfig defaults;
  EXPECT_EQ(parsed->config.model.embed_dim, defaults.model.embed_dim);
  EXPECT_EQ(parsed->config.train.lr, defaults.train.lr);
  EXPECT_EQ(parsed->config.model.attention, AttentionType::additive);
  EXPECT_EQ(parsed->config.data.train, dir.file("corpus/train"));  // from the config file's directory
  EXPECT_EQ(parsed->schema.source_of("train.lr"), "the default");
}

TEST(Config, CommandLineOverridesFileOverridesDefault) {
  test::TempDir dir;
  const std::string ini = std::string(kRequired) +
                          "[train]\nlr = 0.001\nbatch_tokens = 3000\n[model]\nattention = dot\n";
  const auto parsed = parse(ini, {"--train.lr", "3e-4", "--model.dropout", "0.2"}, dir);
  EXPECT_DOUBLE_EQ(parsed->config.train.lr, 3e-4);            // command line over file
  EXPECT_EQ(parsed->config.train.batch_tokens, 3000);          // file over default
  EXPECT_EQ(parsed->config.model.attention, AttentionType::dot);
  EXPECT_DOUBLE_EQ(parsed->config.model.dropout, 0.2);         // command line over default
  EXPECT_EQ(parsed->config.train.max_epochs, RunConfig{}.train.max_epochs);
  EXPECT_EQ(parsed->schema.source_of("train.lr"), "the command line");
  EXPECT_EQ(parsed->schema.source_of("train.batch_tokens"), dir.file("run.ini") + ":7");
}

TEST(Config, RequiredOptionsMayComeFromTheCommandLine) {
  test::TempDir dir;
  const auto parsed = parse("", {"--data.source_lang", "en", "--data.target_lang", "fr",
                                 "--data.train", "x/train"}, dir);
  EXPECT_EQ(parsed->config.data.target_lang, "fr");
}

// A suggestion is written as the place it answers writes keys: in a file as the key in
// its section, on the command line as the flag.
TEST(Config, UnknownKeyInFileNamesKeyFileLineAndSuggestion) {
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[model]\natention = dot\n"),
                  "run.ini:6: unknown key 'atention' in [model] (did you mean 'attention'?)");
  EXPECT_CONTAINS(error_of(std::string("lr = 1\n") + kRequired),
                  "run.ini:1: unknown key 'lr' before any [section] (did you mean 'lr' in [train]?)");
  const std::string far = error_of(std::string(kRequired) + "[model]\nwhatever = 1\n");
  EXPECT_CONTAINS(far, "run.ini:6: unknown key 'whatever' in [model]");
  EXPECT_EQ(far.find("did you mean"), std::string::npos) << far;
}

TEST(Config, KeyInTheWrongSectionSuggestsTheRightOne) {
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[train]\ndropout = 0.2\n"),
                  "run.ini:6: unknown key 'dropout' in [train] (did you mean 'dropout' in [model]?)");
}

TEST(Config, UnknownCommandLineOptionSuggestsTheFlag) {
  EXPECT_CONTAINS(error_of(kRequired, {"--train.lrr", "1"}),
                  "the command line: unknown option '--train.lrr' (did you mean '--train.lr'?)");
  EXPECT_CONTAINS(error_of(kRequired, {"--dropout", "0.2"}),
                  "the command line: unknown option '--dropout' (did you mean '--model.dropout'?)");
}

// A relative corpus prefix in a config file is taken from the file's directory, one on
// the command line from the working directory; both are held absolute from then on
// (--dump-config, a run's config.ini), an absolute one as it is. train.run_dir, an
// output, stays as given.
TEST(Config, RelativeCorpusPathsResolveAgainstTheConfigFilesDirectory) {
  test::TempDir dir;
  const std::string ini = "[data]\nsource_lang = en\ntarget_lang = de\ntrain = ../corpus/train\ndev = /abs/dev\n"
                          "[train]\nrun_dir = runs/x\n";
  std::filesystem::create_directories(dir.file("conf"));
  test::write_text(dir.file("conf/run.ini"), ini);
  Parsed parsed;
  add_run_options(parsed.schema, parsed.config);
  parse_into(parsed.schema, "", {"-c", dir.file("conf/run.ini"), "--data.test", "corpus/test"}, dir);
  EXPECT_EQ(parsed.config.data.train, dir.file("corpus/train"));
  EXPECT_EQ(parsed.config.data.dev, "/abs/dev");
  const std::string working_directory = std::filesystem::current_path().string();
  EXPECT_EQ(parsed.config.data.test, working_directory + "/corpus/test");
  EXPECT_EQ(parsed.config.train.run_dir, "runs/x");
  const OptionSchema::PathOrigin* train = parsed.schema.path_origin("data.train");
  ASSERT_NE(train, nullptr);
  EXPECT_EQ(train->given, "../corpus/train");
  EXPECT_EQ(train->base, dir.file("conf"));
  EXPECT_TRUE(train->from_config_file);
  const OptionSchema::PathOrigin* test = parsed.schema.path_origin("data.test");
  ASSERT_NE(test, nullptr);
  EXPECT_EQ(test->base, working_directory);
  EXPECT_FALSE(test->from_config_file);
  EXPECT_EQ(parsed.schema.path_origin("data.dev"), nullptr);  // absolute
  const std::string dumped = parsed.schema.dump_ini();
  EXPECT_CONTAINS(dumped, "\ntrain = " + dir.file("corpus/train") + "\n");
  EXPECT_CONTAINS(dumped, "\ntest = " + working_directory + "/corpus/test\n");
  EXPECT_CONTAINS(dumped, "\nrun_dir = runs/x\n");
}

// The directory a relative path is taken from may hold what a config file cannot keep.
TEST(Config, AResolvedPathAConfigFileCannotKeepIsRefused) {
  test::TempDir dir;
  std::filesystem::create_directories(dir.file("a#b"));
  test::write_text(dir.file("a#b/run.ini"), kRequired);
  Parsed parsed;
  add_run_options(parsed.schema, parsed.config);
  try {
    parse_into(parsed.schema, "", {"-c", dir.file("a#b/run.ini")}, dir);
    ADD_FAILURE() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_CONTAINS(e.what(), dir.file("a#b/run.ini") + ":4: data.train = corpus/train: taken from " +
                                  dir.file("a#b") + ", it is '" + dir.file("a#b/corpus/train") +
                                  "': must not contain '#'");
  }
}

TEST(Config, WrongTypeInFileNamesKeyAndLine) {
  const std::string message = error_of(std::string(kRequired) + "[train]\nlr = fast\n");
  EXPECT_CONTAINS(message, "run.ini:6");
  EXPECT_CONTAINS(message, "train.lr");
  EXPECT_CONTAINS(message, "fast");
}

TEST(Config, WrongTypeOnCommandLine) {
  const std::string message = error_of(kRequired, {"--train.batch_tokens", "2k"});
  EXPECT_CONTAINS(message, "the command line");
  EXPECT_CONTAINS(message, "train.batch_tokens");
}

TEST(Config, InvalidChoiceListsTheValidOnes) {
  const std::string message = error_of(std::string(kRequired) + "[model]\nattention = bahdanau\n");
  EXPECT_CONTAINS(message, "run.ini:6: model.attention = bahdanau: must be one of additive, dot, scaled_dot");
  EXPECT_CONTAINS(error_of(kRequired, {"--model.attention", "bahdanau"}),
                  "the command line: model.attention = bahdanau: must be one of additive, dot, scaled_dot");
}

TEST(Config, MissingRequiredOptionNamesKeyAndFile) {
  const std::string message = error_of("[data]\nsource_lang = en\ntarget_lang = de\n");
  EXPECT_CONTAINS(message, "missing required option 'data.train': set 'train' in section [data] of '");
  EXPECT_CONTAINS(message, "run.ini' or pass --data.train");
  // Without a config file, the file is what is missing.
  EXPECT_EQ(error_of("", {"--data.source_lang", "en"}),
            "missing -c CONFIG: no config file was given, and data.target_lang is required (in a config file, or as "
            "--data.target_lang)");
}

TEST(Config, OutOfRangeValueNamesItsSource) {
  const std::string from_file = error_of(std::string(kRequired) + "[model]\ndropout = 1.5\n");
  EXPECT_CONTAINS(from_file, "run.ini:6: model.dropout = 1.5: must be in [0, 0.9]");
  const std::string from_command_line = error_of(kRequired, {"--train.lr", "-1"});
  EXPECT_CONTAINS(from_command_line, "the command line: train.lr = -1");
}

TEST(Config, CrossKeyChecks) {
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[model]\ntie_embeddings = true\noutput_dim = 128\n"),
                  "model.tie_embeddings: needs model.output_dim (128) = model.embed_dim (256)");
  EXPECT_CONTAINS(error_of(kRequired, {"--search.nbest", "6"}),
                  "search.nbest: cannot exceed search.beam_size (5)");
  EXPECT_CONTAINS(error_of(kRequired, {"--data.target_lang", "en"}), "must differ from data.source_lang");
  EXPECT_CONTAINS(error_of(kRequired, {"--data.source_lang", "e n"}), "must be a language code");
}

TEST(Config, MissingConfigFileIsNamed) {
  const std::string message = error_of("", {"-c", "/nonexistent/x.ini"});
  EXPECT_CONTAINS(message, "cannot read config file '/nonexistent/x.ini'");
}

TEST(Config, DuplicateKeyIsReportedWhereItIsGivenAgain) {
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[train]\nlr = 1e-3\nlr = 2e-3\n"),
                  "run.ini:7: train.lr: given a second time (first at line 6); a key may appear once");
  // Also when the section is opened twice.
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[train]\nlr = 1e-3\n[model]\ndropout = 0.1\n[train]\nlr = 2e-3\n"),
                  "run.ini:10: train.lr: given a second time (first at line 6)");
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[train]\nthis line has no equals sign\n"),
                  "run.ini:6: expected '[section]' or 'key = value', found 'this line has no equals sign'");
}

// A text value must read back from the config file it is written to (a run's config.ini,
// --dump-config): what a file cannot keep is refused by name, wherever it comes from.
TEST(Config, TextValuesAConfigFileCannotKeepAreRefused) {
  const std::pair<std::string, std::string> cases[] = {
      {"runs/a#b", "train.run_dir = runs/a#b: must not contain '#'"},
      {"runs/a\nb", "train.run_dir = runs/a\\x0ab: must not contain control characters"},
      {"runs/a\tb", "train.run_dir = runs/a\\x09b: must not contain control characters"},
      {" runs/a", "train.run_dir =  runs/a: must not begin or end with a space"},
      {"runs/a ", "train.run_dir = runs/a : must not begin or end with a space"}};
  for (const auto& [value, expected] : cases)
    EXPECT_CONTAINS(error_of(kRequired, {"--train.run_dir", value}), "the command line: " + expected);
  // A required key too.
  EXPECT_CONTAINS(error_of("", {"--data.source_lang", "en", "--data.target_lang", "de", "--data.train", "c#t"}),
                  "the command line: data.train = c#t: must not contain '#'");
}

TEST(Config, EveryOtherTextValueRoundTripsThroughTheDumpedConfig) {
  const std::string value = "runs/a b;c=d \"e\" 'f' [g] \xC3\xBC\xE2\x82\xAC\\h";
  test::TempDir dir;
  const auto first = parse(kRequired, {"--train.run_dir", value, "--data.dev", "; x = [y]"}, dir);
  test::TempDir other;
  const auto second = parse(first->schema.dump_ini(), {}, other);
  EXPECT_EQ(second->config.train.run_dir, value);
  EXPECT_EQ(second->config.data.dev, std::filesystem::current_path().string() + "/; x = [y]");
  EXPECT_EQ(second->schema.dump_ini(), first->schema.dump_ini());
}

// One reader for every way in (the prompt's commands use it too): the same texts are
// numbers, booleans and names on the command line and in a file, with the same message.
TEST(Config, CommandLineAndFileReadValuesAlike) {
  struct Case {
    const char* key;  // in [search], [model] or [tokenizer]
    std::string text;
    std::string problem;  // "" when accepted
  };
  const Case cases[] = {
      {"search.beam_size", "3", ""},          {"search.beam_size", "+3", ""},
      {"search.beam_size", "007", ""},        {"search.beam_size", "three", "must be a whole number"},
      {"search.beam_size", "3.0", "must be a whole number"}, {"search.beam_size", "1e1", "must be a whole number"},
      {"search.beam_size", "+-3", "must be a whole number"}, {"search.beam_size", "0x10", "must be a whole number"},
      {"search.beam_size", "99999999999", "must be a whole number from -2147483648 to 2147483647"},
      {"search.length_penalty", "0.5", ""},   {"search.length_penalty", ".5", ""},
      {"search.length_penalty", "5e-1", ""},  {"search.length_penalty", "+2", ""},
      {"search.length_penalty", "half", "must be a number"}, {"search.length_penalty", "0x1p1", "must be a number"},
      {"search.length_penalty", "1,5", "must be a number"},
      {"tokenizer.joint", "true", ""},        {"tokenizer.joint", "Off", ""},
      {"tokenizer.joint", "1", ""},           {"tokenizer.joint", "maybe", "must be true or false"},
      {"model.attention", "dot", ""},         {"model.attention", "Dot", "must be one of additive, dot, scaled_dot"}};
  for (const Case& c : cases) {
    const std::string key = c.key;
    const std::string section = key.substr(0, key.find('.')), name = key.substr(key.find('.') + 1);
    const std::string ini = std::string(kRequired) + "[" + section + "]\n" + name + " = " + c.text + "\n";
    if (c.problem.empty()) {
      test::TempDir dir;
      EXPECT_NO_THROW(parse(kRequired, {"--" + key, c.text}, dir)) << key << " = " << c.text;
      EXPECT_NO_THROW(parse(ini, {}, dir)) << key << " = " << c.text;
    } else {
      EXPECT_CONTAINS(error_of(kRequired, {"--" + key, c.text}), "the command line: " + key + " = " + c.text + ": " + c.problem);
      EXPECT_CONTAINS(error_of(ini), "run.ini:6: " + key + " = " + c.text + ": " + c.problem);
    }
    int whole = 0;
    double number = 0;
    bool flag = false;
    AttentionType attention{};
    const std::string read = key == "search.beam_size"         ? parse_option_value(c.text, whole)
                             : key == "search.length_penalty" ? parse_option_value(c.text, number)
                             : key == "tokenizer.joint"       ? parse_option_value(c.text, flag)
                                                              : parse_option_value(c.text, attention);
    EXPECT_EQ(read, c.problem) << key << " = " << c.text;
  }
  // Spaces around a value are ignored everywhere (a file trims them anyway).
  test::TempDir dir;
  EXPECT_EQ(parse(kRequired, {"--search.beam_size", " 4 "}, dir)->config.search.beam_size, 4);
  int four = 0;
  EXPECT_EQ(parse_option_value(" 4\t", four), "");
  EXPECT_EQ(four, 4);
}

TEST(Config, BooleansAcceptCommonSpellings) {
  test::TempDir dir;
  EXPECT_TRUE(parse(std::string(kRequired) + "[tokenizer]\njoint = yes\n", {}, dir)->config.tokenizer.joint);
  EXPECT_FALSE(parse(std::string(kRequired) + "[tokenizer]\njoint = 0\n", {}, dir)->config.tokenizer.joint);
  EXPECT_CONTAINS(error_of(std::string(kRequired) + "[tokenizer]\njoint = maybe\n"), "tokenizer.joint");
}

TEST(Config, DumpedConfigParsesBackToTheSameConfig) {
  test::TempDir dir;
  const auto first = parse(std::string(kRequired) + "[train]\nlr = 0.00123\n[model]\nattention = scaled_dot\n",
                           {"--tokenizer.vocab_size", "500", "--data.dev", "corpus/dev"}, dir);
  const std::string dumped = first->schema.dump_ini();
  EXPECT_CONTAINS(dumped, "[train]\n");
  EXPECT_CONTAINS(dumped, "lr = 0.00123\n");
  EXPECT_CONTAINS(dumped, "attention = scaled_dot\n");
  test::TempDir other;
  const auto second = parse(dumped, {}, other);
  EXPECT_EQ(second->schema.dump_ini(), dumped);
  EXPECT_EQ(second->config.tokenizer.vocab_size, 500);
  EXPECT_EQ(second->config.data.dev, std::filesystem::current_path().string() + "/corpus/dev");
}

TEST(Config, ShippedConfigsParse) {
  for (const char* path : {"configs/quickstart.ini", "configs/multi30k-en-de.ini"}) {
    RunConfig config;
    OptionSchema schema;
    add_run_options(schema, config);
    po::options_description flags;
    flags.add_options()("config,c", po::value<std::string>());
    po::variables_map values;
    EXPECT_NO_THROW(schema.parse({"-c", path}, flags, values)) << path;
  }
}

}  // namespace
}  // namespace nmt
