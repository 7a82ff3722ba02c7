// test_model_file.cpp — the safetensors container, model files and checkpoints: exact
// round trips, a distinct error for each way a file can be bad, and checkpoint averaging.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>

#include "cli_runner.hpp"
#include "data/data_config.hpp"
#include "decoding/search_config.hpp"
#include "formats/metadata_fields.hpp"
#include "formats/model_average.hpp"
#include "formats/model_file.hpp"
#include "model_fixture.hpp"
#include "test_util.hpp"
#include "training/checkpoint.hpp"
#include "training/train_config.hpp"

namespace nmt {
namespace {

Vocabularies tiny_vocabularies() {
  std::vector<std::string> source, target;
  for (int i = 0; i < 30; ++i) {
    source.push_back("a small dog runs on the grass number " + std::to_string(i));
    target.push_back("ein kleiner hund rennt auf dem gras nummer " + std::to_string(i));
  }
  TokenizerConfig config;
  config.algorithm = SubwordAlgorithm::bpe;
  config.vocab_size = 40;
  return train_vocabularies(source, target, config);
}

struct Saved {
  test::TempDir dir;
  Vocabularies vocabularies = tiny_vocabularies();
  RnnSearch network{test::tiny_config(AttentionType::additive), vocabularies.source.vocab_size(),
                    vocabularies.target.vocab_size()};
  std::vector<float> parameters = network.initial_parameters(7);
  LanguagePair languages{"en", "de"};
  std::string path = dir.file("model.nmt");
  Saved() { write_model_file(path, network, parameters, vocabularies, languages, {{"note", "hello"}}); }
};

FileFormatError::Kind error_kind(const std::string& path) {
  try {
    load_model_file(path);
  } catch (const FileFormatError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "'" << path << "' was accepted";
  return FileFormatError::Kind::unreadable;
}

std::string error_message(const std::string& path) {
  try {
    load_model_file(path);
  } catch (const FileFormatError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelFile, RoundTripsConfigTokenizersAndWeightsExactly) {
  Saved saved;
  const LoadedModel loaded = load_model_file(saved.path);
  EXPECT_EQ(loaded.parameters, saved.parameters);
  EXPECT_EQ(loaded.network->config().decoder_hidden, saved.network.config().decoder_hidden);
  EXPECT_EQ(loaded.network->config().attention, AttentionType::additive);
  EXPECT_EQ(loaded.vocabularies.source.serialized(), saved.vocabularies.source.serialized());
  EXPECT_EQ(loaded.vocabularies.target.serialized(), saved.vocabularies.target.serialized());
  EXPECT_EQ(loaded.metadata.at("note"), "hello");
  EXPECT_EQ(loaded.metadata.at("format"), "nmt");
}

// The language pair is recorded under the training config's key names and read back;
// `nmt info` shows it.
TEST(ModelFile, RoundTripsTheLanguagePair) {
  Saved saved;
  const LoadedModel loaded = load_model_file(saved.path);
  EXPECT_EQ(loaded.languages.source, "en");
  EXPECT_EQ(loaded.languages.target, "de");
  EXPECT_EQ(loaded.languages.describe(), "en → de");
  EXPECT_EQ(loaded.metadata.at("data.source_lang"), "en");
  EXPECT_EQ(loaded.metadata.at("data.target_lang"), "de");
  const Result info = run_nmt("info " + saved.path);
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_CONTAINS(info.output, "\nlanguages: en → de\n");
}

// The shortlist round-trips exactly, an empty list of frequent pieces included (an
// empty tensor is read without touching memory); `nmt info` says what it holds, or that
// a model has none; malformed lists are a corrupted file naming the shortlist.
TEST(ModelFile, RoundTripsTheShortlistAndRefusesAMalformedOne) {
  Saved saved;
  const int S = saved.vocabularies.source.vocab_size();
  Shortlist shortlist;
  shortlist.per_source = 2;
  for (int s = 0; s <= S; ++s) shortlist.offsets.push_back(2 * s);
  for (int s = 0; s < S; ++s) shortlist.targets.insert(shortlist.targets.end(), {4 + s % 7, 5 + s % 3});
  const std::string with = saved.dir.file("with.nmt");
  write_model_file(with, saved.network, saved.parameters, saved.vocabularies, saved.languages, {}, shortlist);
  EXPECT_EQ(load_model_file(with).shortlist, shortlist);
  const Result info = run_nmt("info " + with);
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_CONTAINS(info.output, "\nshortlist: T = 2 pieces per source piece, F = 0 frequent pieces, " +
                                   std::to_string(2 * S) + " pairs\n");
  const Result without = run_nmt("info " + saved.path);
  EXPECT_CONTAINS(without.output, "\nshortlist: none (nmt shortlist -m MODEL -c CONFIG adds one)\n");
  EXPECT_TRUE(load_model_file(saved.path).shortlist.empty());

  shortlist.frequent = {3, 9};
  write_model_file(with, saved.network, saved.parameters, saved.vocabularies, saved.languages, {}, shortlist);
  EXPECT_EQ(load_model_file(with).shortlist, shortlist);
  shortlist.targets[1] = saved.vocabularies.target.vocab_size();  // out of range
  write_model_file(with, saved.network, saved.parameters, saved.vocabularies, saved.languages, {}, shortlist);
  EXPECT_EQ(error_kind(with), FileFormatError::Kind::corrupted);
  EXPECT_CONTAINS(error_message(with), "': shortlist: ");
}

// A file written before the pair was recorded loads as before, its pair unknown.
TEST(ModelFile, AFileWithoutTheLanguagePairLoadsWithItUnknown) {
  Saved saved;
  const std::string path = saved.dir.file("old.nmt");
  write_model_file(path, saved.network, saved.parameters, saved.vocabularies, LanguagePair{});
  const LoadedModel loaded = load_model_file(path);
  EXPECT_EQ(loaded.parameters, saved.parameters);
  EXPECT_FALSE(loaded.languages.known());
  EXPECT_EQ(loaded.languages.describe(), "languages unknown");
  EXPECT_EQ(loaded.metadata.count("data.source_lang"), 0u);
  const Result info = run_nmt("info " + path);
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_CONTAINS(info.output, "\nlanguages: unknown (the file records no data.source_lang, data.target_lang)\n");
}

// Half a pair, or a code [data] would refuse, is a corrupted file, named with the key.
TEST(ModelFile, AHalfOrBadLanguagePairIsRefusedNamingTheKey) {
  Saved saved;
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> bad = {
      {{{"data.source_lang", "en"}}, "metadata lacks the key 'data.target_lang'"},
      {{{"data.target_lang", "de"}}, "metadata lacks the key 'data.source_lang'"},
      {{{"data.source_lang", "e n"}, {"data.target_lang", "de"}},
       "metadata data.source_lang = e n: must be a language code such as 'en'"},
      {{{"data.source_lang", "en"}, {"data.target_lang", ""}}, "metadata data.target_lang = : must not be empty"},
      {{{"data.source_lang", "de"}, {"data.target_lang", "de"}},
       "metadata data.target_lang: must differ from data.source_lang (both are 'de')"}};
  for (const auto& [pair, expected] : bad) {
    auto metadata = model_metadata(saved.network.config(), saved.network);
    for (const auto& [key, value] : pair) metadata[key] = value;
    const std::string path = saved.dir.file("bad-pair.nmt");
    write_container(path, metadata, model_tensors(saved.network, saved.parameters, saved.vocabularies));
    EXPECT_EQ(error_kind(path), FileFormatError::Kind::corrupted) << expected;
    EXPECT_EQ(error_message(path).rfind("'" + path + "': " + expected, 0), 0u) << error_message(path);
  }
}

TEST(ModelFile, IsAPlainSafetensorsFile) {
  Saved saved;
  const std::string bytes = test::read_text(saved.path);
  std::uint64_t header = 0;
  for (int i = 7; i >= 0; --i) header = (header << 8) | static_cast<unsigned char>(bytes[i]);
  ASSERT_LT(8 + header, bytes.size());
  EXPECT_EQ(bytes[8], '{');
  EXPECT_EQ(header % 8, 0u);
  const std::string json = bytes.substr(8, header);
  EXPECT_NE(json.find("\"decoder.gru.U\":{\"dtype\":\"F32\",\"shape\":[5,3,5],\"data_offsets\":["),
            std::string::npos);
  EXPECT_NE(json.find("\"tokenizer.source\":{\"dtype\":\"U8\""), std::string::npos);
}

TEST(ModelFile, MissingFileIsUnreadable) {
  test::TempDir dir;
  EXPECT_EQ(error_kind(dir.file("absent.nmt")), FileFormatError::Kind::unreadable);
  EXPECT_EQ(error_message(dir.file("absent.nmt")), "cannot open '" + dir.file("absent.nmt") + "': No such file or directory");
}

TEST(ModelFile, TextFileIsNotAnNmtFile) {
  test::TempDir dir;
  test::write_text(dir.file("notes.txt"), "this is not a model at all, just some text\n");
  EXPECT_EQ(error_kind(dir.file("notes.txt")), FileFormatError::Kind::not_nmt);
  EXPECT_NE(error_message(dir.file("notes.txt")).find("is not an nmt model"), std::string::npos);
}

TEST(ModelFile, ForeignSafetensorsFileIsNotAnNmtFile) {
  test::TempDir dir;
  const std::string json = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
  std::string bytes(8, '\0');
  bytes[0] = static_cast<char>(json.size());
  bytes += json + std::string(4, '\0');
  test::write_text(dir.file("other.safetensors"), bytes);
  EXPECT_EQ(error_kind(dir.file("other.safetensors")), FileFormatError::Kind::not_nmt);
  EXPECT_NE(error_message(dir.file("other.safetensors")).find("'" + dir.file("other.safetensors") + "' is not an nmt model"),
            std::string::npos)
      << error_message(dir.file("other.safetensors"));
}

TEST(ModelFile, OtherFormatVersionIsNamed) {
  Saved saved;
  std::string bytes = test::read_text(saved.path);
  const std::size_t at = bytes.find("\"format_version\":\"1\"");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 18] = '7';
  test::write_text(saved.path, bytes);
  EXPECT_EQ(error_kind(saved.path), FileFormatError::Kind::wrong_version);
  EXPECT_NE(error_message(saved.path).find("version 7"), std::string::npos);
}

TEST(ModelFile, EveryTruncationIsReportedAsTruncated) {
  Saved saved;
  const std::string bytes = test::read_text(saved.path);
  for (const std::size_t keep : {std::size_t{0}, std::size_t{5}, std::size_t{8}, std::size_t{100},
                                 bytes.size() / 2, bytes.size() - 1}) {
    test::write_text(saved.path, bytes.substr(0, keep));
    EXPECT_EQ(error_kind(saved.path), FileFormatError::Kind::truncated) << "kept " << keep << " bytes";
    EXPECT_EQ(error_message(saved.path).rfind("'" + saved.path + "' is truncated (", 0), 0u) << error_message(saved.path);
  }
}

TEST(ModelFile, FlippedBitsInTheWeightsOrTokenizersAreCorruption) {
  Saved saved;
  const std::string bytes = test::read_text(saved.path);
  for (const double where : {0.3, 0.6, 0.95}) {
    std::string damaged = bytes;
    const std::size_t at = static_cast<std::size_t>(where * static_cast<double>(bytes.size()));
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    test::write_text(saved.path, damaged);
    EXPECT_EQ(error_kind(saved.path), FileFormatError::Kind::corrupted) << "byte " << at;
    EXPECT_NE(error_message(saved.path).find("checksum mismatch"), std::string::npos) << error_message(saved.path);
    EXPECT_EQ(error_message(saved.path).rfind("'" + saved.path + "' is corrupted (", 0), 0u) << error_message(saved.path);
  }
}

TEST(ModelFile, AFailedWriteLeavesThePreviousFileIntact) {
  Saved saved;
  const std::string before = test::read_text(saved.path);
  std::vector<float> wrong_size(3, 0.f);
  EXPECT_THROW(write_container(saved.path, {}, {{"x", "F32", {4}, wrong_size.data(), 12}}), std::logic_error);
  EXPECT_EQ(test::read_text(saved.path), before);
  for (const auto& entry : std::filesystem::directory_iterator(saved.dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

TEST(Checkpoint, RoundTripsTheTrainingState) {
  Saved saved;
  std::vector<float> m(saved.parameters.size()), v(saved.parameters.size());
  for (std::size_t i = 0; i < m.size(); ++i) {
    m[i] = 0.001f * static_cast<float>(i);
    v[i] = 1e-7f * static_cast<float>(i % 13);
  }
  TrainingState state;
  state.step = 1234;
  state.epoch = 3;
  state.batch_in_epoch = 17;
  state.adam_steps = 1230;
  state.lr = 0.1 / 3;  // not exact in decimal
  state.best_score = 27.123456789;
  state.best_ppl = 7.5;
  state.best_step = 1000;
  state.stalled_validations = 2;
  state.stalled_since_decay = 1;
  state.last_validation_step = 1200;
  state.bad_updates = 1;
  state.elapsed_seconds = 456.789;
  const std::string path = checkpoint_path(saved.dir.path().string(), state.step);
  write_checkpoint(path, saved.network, saved.parameters, saved.vocabularies, saved.languages, m, v, state);
  const Checkpoint loaded = read_checkpoint(path);
  EXPECT_EQ(loaded.model.parameters, saved.parameters);
  EXPECT_EQ(loaded.first_moment, m);
  EXPECT_EQ(loaded.second_moment, v);
  EXPECT_EQ(loaded.state.step, 1234);
  EXPECT_EQ(loaded.state.epoch, 3);
  EXPECT_EQ(loaded.state.batch_in_epoch, 17);
  EXPECT_EQ(loaded.state.adam_steps, 1230);
  EXPECT_EQ(loaded.state.lr, 0.1 / 3);
  EXPECT_EQ(loaded.state.best_score, 27.123456789);
  EXPECT_EQ(loaded.state.best_step, 1000);
  EXPECT_EQ(loaded.state.stalled_validations, 2);
  EXPECT_EQ(loaded.state.stalled_since_decay, 1);
  EXPECT_EQ(loaded.state.last_validation_step, 1200);
  EXPECT_EQ(loaded.state.bad_updates, 1);
  EXPECT_EQ(loaded.state.elapsed_seconds, 456.789);
  EXPECT_EQ(loaded.model.languages, saved.languages);
  // A checkpoint also loads as a model; a model file is not a checkpoint.
  EXPECT_EQ(load_model_file(path).parameters, saved.parameters);
  EXPECT_THROW(read_checkpoint(saved.path), FileFormatError);
}

// The model keys are read through ModelConfig's one field list: each value is checked
// against the ranges the config schema uses, and the error names the file and the key.
TEST(ModelFile, MetadataOutOfRangeOrOfTheWrongTypeIsRefusedNamingFileAndKey) {
  Saved saved;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"model.embed_dim", "0"},          {"model.encoder_layers", "1000000"}, {"model.decoder_hidden", "-5"},
      {"model.attention", "bogus"},      {"model.dropout", "abc"},            {"model.dropout", "0.95"},
      {"model.tie_embeddings", "maybe"}, {"model.output_dim", "12.5"}};
  for (const auto& [key, value] : bad) {
    auto metadata = model_metadata(saved.network.config(), saved.network);
    metadata[key] = value;
    const std::string path = saved.dir.file("bad.nmt");
    write_container(path, metadata, model_tensors(saved.network, saved.parameters, saved.vocabularies));
    EXPECT_EQ(error_kind(path), FileFormatError::Kind::corrupted) << key << " = " << value;
    const std::string message = error_message(path);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(key), std::string::npos) << message;
  }
  auto metadata = model_metadata(saved.network.config(), saved.network);
  metadata.erase("model.attention_dim");
  const std::string path = saved.dir.file("missing.nmt");
  write_container(path, metadata, model_tensors(saved.network, saved.parameters, saved.vocabularies));
  EXPECT_NE(error_message(path).find("model.attention_dim"), std::string::npos) << error_message(path);
}

// A model file whose weights are not all finite is refused by every command that loads
// one (they all go through load_model), naming the file and the tensor.
TEST(ModelFile, NonFiniteWeightsAreRefusedNamingTheTensor) {
  Saved saved;
  const ParameterTensor& tensor = saved.network.layout().tensors().back();
  for (const float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    std::vector<float> weights = saved.parameters;
    weights[tensor.offset + tensor.size / 2] = bad;
    const std::string path = saved.dir.file("nonfinite.nmt");
    write_model_file(path, saved.network, weights, saved.vocabularies, saved.languages);
    EXPECT_EQ(error_kind(path), FileFormatError::Kind::corrupted);
    const std::string message = error_message(path);
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("tensor " + tensor.name + " holds a non-finite weight"), std::string::npos) << message;
  }
}

// Every config struct's field list: the defaults pass their own checks and survive the
// trip through text (the form of INI files, --dump-config and metadata) exactly.
template <class Config>
void expect_defaults_valid_and_round_trip(const std::string& section) {
  Config config;
  EXPECT_EQ(field_problem(section, config), "") << section;
  std::map<std::string, std::string> metadata;
  write_fields(config, section, metadata);
  Config back;
  Config::fields(back, [](const FieldSpec&, auto& member, const auto&) { member = {}; });
  read_fields(metadata, "test", section, back);
  std::map<std::string, std::string> again;
  write_fields(back, section, again);
  EXPECT_EQ(again, metadata) << section;
}

TEST(ModelFile, EveryFieldListRoundTripsThroughText) {
  expect_defaults_valid_and_round_trip<ModelConfig>("model");
  expect_defaults_valid_and_round_trip<SearchConfig>("search");
  expect_defaults_valid_and_round_trip<TokenizerConfig>("tokenizer");
  expect_defaults_valid_and_round_trip<TrainConfig>("train");
  expect_defaults_valid_and_round_trip<TrainingState>("train");
  DataConfig data;  // required keys have no valid default: give them values
  data.source_lang = "en";
  data.target_lang = "de";
  data.train = "corpus/train";
  EXPECT_EQ(field_problem("data", data), "");
}

TEST(Checkpoint, ListsByStepAndPrunesTheOldest) {
  Saved saved;
  const std::string run = saved.dir.path().string();
  std::vector<float> m(saved.parameters.size()), v(m.size());
  for (const std::int64_t step : {1000, 20, 300, 5000}) {
    TrainingState state;
    state.step = step;
    write_checkpoint(checkpoint_path(run, step), saved.network, saved.parameters, saved.vocabularies, saved.languages,
                     m, v, state);
  }
  test::write_text(run + "/checkpoints/step-000009999.ckpt.tmp.123", "half written");
  std::vector<std::string> names;
  for (const auto& p : list_checkpoints(run)) names.push_back(std::filesystem::path(p).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"step-000000020.ckpt", "step-000000300.ckpt", "step-000001000.ckpt",
                                             "step-000005000.ckpt"}));
  prune_checkpoints(run, 2);
  names.clear();
  for (const auto& p : list_checkpoints(run)) names.push_back(std::filesystem::path(p).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"step-000001000.ckpt", "step-000005000.ckpt"}));
  EXPECT_FALSE(std::filesystem::exists(run + "/checkpoints/step-000009999.ckpt.tmp.123"));
}

// The mean of a model file and a checkpoint, computed as average_models promises.
std::vector<float> expected_mean(const std::vector<std::vector<float>>& models) {
  std::vector<float> mean(models.front().size());
  for (std::size_t i = 0; i < mean.size(); ++i) {
    double sum = 0;
    for (const auto& m : models) sum += m[i];
    mean[i] = static_cast<float>(sum / static_cast<double>(models.size()));
  }
  return mean;
}

// What average_models says when it refuses `paths` (a failure when it does not).
std::string averaging_error(const std::vector<std::string>& paths) {
  try {
    average_models(paths);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "the models were averaged";
  return "";
}

TEST(ModelAverage, AveragesModelFilesAndCheckpointsElementWise) {
  Saved saved;
  const std::vector<float> other = saved.network.initial_parameters(8);
  const std::vector<float> zeros(other.size());
  const std::string checkpoint = saved.dir.file("step.ckpt");
  write_checkpoint(checkpoint, saved.network, other, saved.vocabularies, saved.languages, zeros, zeros,
                   TrainingState{});
  const LoadedModel averaged = average_models({saved.path, checkpoint});
  EXPECT_EQ(averaged.parameters, expected_mean({saved.parameters, other}));
  EXPECT_NE(averaged.parameters, saved.parameters);
  EXPECT_EQ(averaged.vocabularies.target.serialized(), saved.vocabularies.target.serialized());
  EXPECT_EQ(average_models({saved.path}).parameters, saved.parameters);  // one model: itself
}

TEST(ModelAverage, RefusesAnotherNetworkOrOtherTokenizersByName) {
  Saved saved;
  ModelConfig wider = test::tiny_config(AttentionType::additive);
  wider.decoder_hidden += 1;
  const RnnSearch other_network(wider, saved.network.source_vocab(), saved.network.target_vocab());
  const std::string other_path = saved.dir.file("wider.nmt");
  write_model_file(other_path, other_network, other_network.initial_parameters(1), saved.vocabularies,
                   saved.languages);
  const std::string network_error = averaging_error({saved.path, other_path});
  EXPECT_CONTAINS(network_error, "wider.nmt");
  EXPECT_CONTAINS(network_error, "a different network");

  // Source and target tokenizers swapped: same sizes (asserted), other pieces.
  const Vocabularies swapped{saved.vocabularies.target, saved.vocabularies.source};
  ASSERT_EQ(swapped.source.vocab_size(), saved.vocabularies.source.vocab_size());
  ASSERT_EQ(swapped.target.vocab_size(), saved.vocabularies.target.vocab_size());
  const std::string swapped_path = saved.dir.file("swapped.nmt");
  write_model_file(swapped_path, saved.network, saved.parameters, swapped, saved.languages);
  const std::string tokenizer_error = averaging_error({saved.path, swapped_path});
  EXPECT_CONTAINS(tokenizer_error, "swapped.nmt");
  EXPECT_CONTAINS(tokenizer_error, "tokenizer");
}

// The same network and tokenizers trained for another pair is refused by name; a file
// that records no pair (older than the keys) averages with any, and the result records
// the pair of the inputs that have one.
TEST(ModelAverage, RefusesAnotherLanguagePairAndCarriesThePair) {
  Saved saved;
  const std::string french = saved.dir.file("en-fr.nmt");
  write_model_file(french, saved.network, saved.parameters, saved.vocabularies, LanguagePair{"en", "fr"});
  EXPECT_EQ(averaging_error({saved.path, french}),
            "'" + french + "' cannot be averaged with '" + saved.path +
                "': it holds another language pair (en → fr, not en → de)");

  const std::string old = saved.dir.file("old.nmt");
  write_model_file(old, saved.network, saved.parameters, saved.vocabularies, LanguagePair{});
  EXPECT_EQ(average_models({old, saved.path}).languages, saved.languages);
  EXPECT_EQ(average_models({saved.path, old}).languages, saved.languages);
  EXPECT_FALSE(average_models({old}).languages.known());
  EXPECT_EQ(averaging_error({old, saved.path, french}),
            "'" + french + "' cannot be averaged with '" + old +
                "': it holds another language pair (en → fr, not en → de)");

  const std::string out = saved.dir.file("averaged.nmt");
  const Result averaged = run_nmt("average -o " + out + " " + old + " " + saved.path);
  ASSERT_EQ(averaged.exit_code, 0) << averaged.output;
  EXPECT_EQ(load_model_file(out).languages, saved.languages);
  const Result refused = run_nmt("average -o " + out + " " + saved.path + " " + french);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_CONTAINS(refused.output, "nmt average: error: '" + french + "' cannot be averaged with '" + saved.path +
                                      "': it holds another language pair (en → fr, not en → de)");
}

TEST(ModelAverage, CommandAveragesTheNewestCheckpointsOfARun) {
  Saved saved;
  const std::string run = saved.dir.path().string();
  std::vector<std::vector<float>> weights;
  const std::vector<float> zeros(saved.parameters.size());
  for (const std::int64_t step : {100, 200, 300}) {
    weights.push_back(saved.network.initial_parameters(static_cast<std::uint64_t>(step)));
    write_checkpoint(checkpoint_path(run, step), saved.network, weights.back(), saved.vocabularies, saved.languages,
                     zeros, zeros, TrainingState{});
  }
  const std::string out = saved.dir.file("averaged.nmt");
  const Result result = run_nmt("average --run " + run + " --last 2 -o " + out);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_CONTAINS(result.output, "averaged 2 models");
  const LoadedModel averaged = load_model_file(out);
  EXPECT_EQ(averaged.parameters, expected_mean({weights[1], weights[2]}));
  EXPECT_EQ(averaged.metadata.at("averaged_count"), "2");

  const Result no_inputs = run_nmt("average -o " + out);
  EXPECT_EQ(no_inputs.exit_code, 2) << no_inputs.output;
  EXPECT_CONTAINS(no_inputs.output, "nmt average: error: the command line: give either model files or --run RUN_DIR");
  const Result empty_run = run_nmt("average --run " + saved.dir.file("nowhere") + " -o " + out);
  EXPECT_EQ(empty_run.exit_code, 1) << empty_run.output;
  EXPECT_CONTAINS(empty_run.output, "nmt average: error: ");
  EXPECT_CONTAINS(empty_run.output, "holds no checkpoints");
}

}  // namespace
}  // namespace nmt
