// cmd_train.cpp — `nmt train`: from a config file to a trained model in a run directory.
//
// A fresh run trains the tokenizers and initialises the network (`nmt train CONFIG` is
// `nmt train -c CONFIG`); `--resume RUN_DIR` reads RUN_DIR/config.ini (command-line
// overrides still apply), takes RUN_DIR as train.run_dir (a run directory may move) and
// continues from the newest readable checkpoint. All data is read and checked before the
// first update.
// After training, the best model is scored on the test split when one is configured.
// Under an MPI launcher (`mpirun -np N nmt train ...`) every rank runs this: rank 0
// writes the run directory, trains the tokenizers (or reads the checkpoint) and
// broadcasts them with the parameters; the others read only the training corpus and
// log only warnings. Training/distributed_start checks that all run the same job.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <type_traits>
#include <utility>

#include "app/command_line.hpp"
#include "app/compute_settings.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"
#include "app/corpus_paths.hpp"
#include "data/text_writer.hpp"
#include "data/utf8.hpp"
#include "training/batcher.hpp"
#include "training/checkpoint.hpp"
#include "training/corpus_loading.hpp"
#include "training/distributed.hpp"
#include "training/distributed_start.hpp"
#include "training/log.hpp"
#include "training/run_lock.hpp"
#include "training/shortlist_building.hpp"
#include "training/trainer.hpp"
#include "training/vocab_training.hpp"

namespace nmt {
namespace {

namespace fs = std::filesystem;

// `--resume DIR` implies `-c DIR/config.ini --train.run_dir DIR`; returns DIR or "".
std::string apply_resume_flag(Arguments& arguments) {
  std::string dir;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] == "--resume" && i + 1 < arguments.size()) dir = arguments[i + 1];
    else if (arguments[i].rfind("--resume=", 0) == 0) dir = arguments[i].substr(9);
  }
  if (dir.empty()) return dir;
  for (const auto& a : arguments) {
    if (a == "-c" || a == "--config" || a.rfind("--config=", 0) == 0)
      throw ConfigError("--resume reads RUN_DIR/config.ini; do not give -c/--config as well");
    if (a == "--train.run_dir" || a.rfind("--train.run_dir=", 0) == 0)
      throw ConfigError("--resume RUN_DIR is the run directory; do not give --train.run_dir as well");
  }
  if (!fs::exists(dir + "/config.ini"))
    throw ConfigError("--resume " + dir + ": '" + dir + "/config.ini' does not exist (is it a run directory?)");
  arguments.insert(arguments.begin(), {"-c", dir + "/config.ini", "--train.run_dir", dir});
  return dir;
}

// The newest checkpoint that reads back; unreadable ones are reported and passed over.
Checkpoint newest_checkpoint(const std::string& run_dir) {
  const auto paths = list_checkpoints(run_dir);
  for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
    try {
      Checkpoint checkpoint = read_checkpoint(*it);
      log::info("train", "resuming from '{}'", *it);
      return checkpoint;
    } catch (const FileFormatError& e) {
      log::warn("train", "skipping an unreadable checkpoint: {}", e.what());
    }
  }
  throw std::runtime_error("no readable checkpoint in '" + run_dir + "/checkpoints' to resume from");
}

// A resumed run keeps the network and tokenizers of its checkpoint: a [model] or
// [tokenizer] key given on the command line would only rewrite config.ini.
void refuse_shape_overrides(const OptionSchema& schema) {
  const auto refuse = [&](const std::string& section, const auto& config) {
    using Config = std::decay_t<decltype(config)>;
    Config::fields(config, [&](const FieldSpec& spec, const auto&, const auto&) {
      const std::string key = section + "." + spec.key;
      if (schema.source_of(key) == "the command line")
        throw ConfigError("the command line: --" + key + " cannot change on --resume: the network and the "
                          "tokenizers are the checkpoint's (only keys outside [model] and [tokenizer] may change)");
    });
  };
  refuse("model", ModelConfig{});
  refuse("tokenizer", TokenizerConfig{});
}

// Scores the best model on the test split and logs and records the result.
void evaluate_on_test(const RunConfig& config, const ParallelCorpus& test) {
  const std::string model_path = config.train.run_dir + "/model.nmt";
  const LoadedModel model = load_model_file(model_path);
  const HeldOutSet set = make_held_out_set(test, model.vocabularies);
  SearchConfig greedy = config.search;
  greedy.beam_size = 1;
  const HeldOutScores scores =
      score_held_out(*model.network, model.parameters, model.vocabularies, set, greedy, config.train.batch_tokens);
  const std::string hyp_path = config.train.run_dir + "/test.hyp";
  write_lines_atomically(hyp_path, scores.hypotheses);
  log::info("test", "model.nmt on '{}': BLEU {:.2f} ({}) greedy, chrF {:.2f}, exact match {:.2f}%, ppl {:.3f}; "
            "hypotheses in {}",
            config.data.test, scores.bleu, scores.bleu_details, scores.chrf, scores.exact_match, scores.perplexity,
            hyp_path);
  MetricsLog metrics(config.train.run_dir, std::numeric_limits<std::int64_t>::max());
  MetricsRecord record;
  record.type = "test";
  record.ppl = scores.perplexity;
  record.bleu = scores.bleu;
  record.chrf = scores.chrf;
  record.exact_match = scores.exact_match;
  const auto& records = metrics.records();
  if (!records.empty()) {  // the step, epoch and time at which the run ended
    record.step = records.back().step;
    record.epoch = records.back().epoch;
    record.time = records.back().time;
  }
  metrics.add(record);
}

// Tokenizers trained on the corpus (also written beside the run as .model files) and a
// freshly initialised network.
LoadedModel fresh_model(const RunConfig& config, const ParallelCorpus& corpus) {
  Vocabularies vocabularies = train_and_report_vocabularies(corpus, config.tokenizer);
  write_file_atomically(config.train.run_dir + "/source.model", vocabularies.source.serialized());
  write_file_atomically(config.train.run_dir + "/target.model", vocabularies.target.serialized());
  auto network = std::make_unique<RnnSearch>(config.model, vocabularies.source.vocab_size(),
                                             vocabularies.target.vocab_size());
  std::vector<float> parameters = network->initial_parameters(static_cast<std::uint64_t>(config.train.seed));
  return LoadedModel{config.model, std::move(vocabularies), std::move(network), std::move(parameters), {},
                     language_pair_of(config.data), {}};
}

// A resumed run keeps its checkpoint's language pair (one from before the pair was
// recorded takes the config's); a config naming another pair is refused by key.
void check_resumed_languages(const OptionSchema& schema, const DataConfig& data, LoadedModel& model) {
  if (!model.languages.known()) model.languages = language_pair_of(data);
  const bool source_differs = model.languages.source != data.source_lang;
  if (!source_differs && model.languages.target == data.target_lang) return;
  const std::string key = source_differs ? "data.source_lang" : "data.target_lang";
  throw ConfigError(schema.source_of(key) + ": " + key + " = " +
                    (source_differs ? data.source_lang : data.target_lang) +
                    ", but the run's checkpoints translate " + model.languages.describe());
}

// Creates and locks the run directory (refusing a fresh run in one with checkpoints),
// writes config.ini, starts train.log and removes a killed run's temporary files.
void prepare_run_directory(CommandLine& command_line, const std::string& resume_dir, const std::string& run_dir,
                           std::optional<RunDirectoryLock>& lock) {
  fs::create_directories(run_dir);
  lock.emplace(run_dir);
  if (resume_dir.empty() && !list_checkpoints(run_dir).empty())
    throw ConfigError("run directory '" + run_dir + "' already holds checkpoints; continue it with "
                      "`nmt train --resume " + run_dir + "` or choose another train.run_dir");

  write_file_atomically(run_dir + "/config.ini", command_line.schema().dump_ini());
  log::add_file(run_dir + "/train.log");
  log::info("train", "run directory '{}' (resolved config in config.ini)", run_dir);
  if (const auto stale = lock->remove_stale_temporaries(); !stale.empty()) {
    std::string names;
    for (const auto& path : stale)
      names += (names.empty() ? "" : ", ") + fs::path(path).lexically_relative(run_dir).string();
    log::info("train", "removed {} temporary file{} left by a killed run: {}", stale.size(),
              stale.size() == 1 ? "" : "s", names);
  }
}

// The shortlist of the training pairs kept, for every model.nmt and checkpoint of the run
// (built on a resume too: the same pairs give the same lists).
Shortlist built_shortlist(const TokenizedCorpus& pairs, const LoadedModel& model, const ShortlistConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  Shortlist shortlist = build_shortlist(pairs.source, pairs.target, model.network->source_vocab(),
                                        model.network->target_vocab(), config);
  log::info("shortlist", "built from the {} pairs kept: {} frequent pieces and up to {} per source piece ({:.1f} on "
            "average), in {:.1f} s",
            pairs.size(), shortlist.frequent.size(), shortlist.per_source,
            static_cast<double>(shortlist.targets.size()) / std::max(1, shortlist.source_vocab()),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return shortlist;
}

int train_in_group(const Arguments& given, ProcessGroup& group) {
  Arguments arguments = given;
  const std::string resume_dir = apply_resume_flag(arguments);
  CommandLine command_line(
      "train", "nmt train -c CONFIG [--SECTION.KEY VALUE ...]  |  nmt train --resume RUN_DIR",
      "Trains a model as CONFIG describes (`nmt train CONFIG` is `nmt train -c CONFIG`; relative\n"
      "corpus paths in CONFIG are taken from its directory). The run directory (train.run_dir)\n"
      "receives the resolved config (config.ini, corpus paths absolute), the log (train.log),\n"
      "metrics.jsonl, curve.svg, checkpoints/ and the best model, model.nmt. Ctrl-C (SIGINT) or\n"
      "SIGTERM writes a checkpoint and exits with status 130 or 143; --resume continues from it,\n"
      "from any working directory (keys of [model] and [tokenizer] cannot change on --resume;\n"
      "every other key may). One process at a time trains in a run directory (a lock on\n"
      "RUN_DIR/.lock).");
  command_line.add_flags()("resume", boost::program_options::value<std::string>()->value_name("RUN_DIR"),
                           "continue the run in RUN_DIR from its newest checkpoint, with its config.ini");
  RunConfig config;
  add_run_options(command_line.schema(), config);
  add_compute_options(command_line, "train", config.train.compute, /*register_section=*/false);
  command_line.accept_config_argument();
  command_line.schema().set_config_usage("-c CONFIG (or --resume RUN_DIR)");
  if (!command_line.parse(arguments)) return 0;
  const DataConfig& data = config.data;
  const TrainConfig& train = config.train;
  const bool root = group.is_root();
  if (!root) log::set_stderr_level(log::Level::warn);  // rank 0 speaks for the run
  apply_compute(train.compute, "train", command_line.schema());
  if (!resume_dir.empty()) refuse_shape_overrides(command_line.schema());
  check_corpus_paths(command_line.schema(), data, root ? CorpusSplits::all : CorpusSplits::train_only);
  std::optional<RunDirectoryLock> lock;  // held by rank 0 until the run ends
  if (root) prepare_run_directory(command_line, resume_dir, train.run_dir, lock);
  // Every corpus is read before anything is trained, so a bad path fails at once.
  const ParallelCorpus train_corpus = load_corpus(data, data.train, "train");
  check_same_run(group, fingerprint_run(command_line.schema().dump_ini(), train_corpus));
  std::optional<ParallelCorpus> dev_corpus, test_corpus;
  if (root && !data.dev.empty()) dev_corpus = load_corpus(data, data.dev, "dev");
  if (root && !data.test.empty()) test_corpus = load_corpus(data, data.test, "test");

  std::optional<Checkpoint> checkpoint;
  if (root && !resume_dir.empty()) checkpoint = newest_checkpoint(train.run_dir);
  if (checkpoint) check_resumed_languages(command_line.schema(), data, checkpoint->model);
  LoadedModel model = !root      ? receive_model(group, config.model, language_pair_of(data))
                      : checkpoint ? send_model(group, std::move(checkpoint->model))
                                   : send_model(group, fresh_model(config, train_corpus));
  bool resumed = checkpoint.has_value();
  std::vector<float> first_moment, second_moment;
  TrainingState state;
  if (checkpoint) {
    first_moment = std::move(checkpoint->first_moment);
    second_moment = std::move(checkpoint->second_moment);
    state = checkpoint->state;
  }
  share_checkpoint(group, resumed, first_moment, second_moment, state);

  TokenizeReport report;
  TokenizedCorpus pairs = tokenize_corpus(train_corpus, model.vocabularies, data.max_length, &report);
  log::info("data", "train: {} pairs kept, {} over data.max_length = {} pieces dropped, {} empty after "
            "tokenization dropped",
            report.kept, report.too_long, data.max_length, report.empty);
  if (root && config.shortlist.per_source > 0) model.shortlist = built_shortlist(pairs, model, config.shortlist);
  std::optional<HeldOutSet> dev;
  if (dev_corpus) dev = make_held_out_set(std::move(*dev_corpus), model.vocabularies);

  SearchConfig validation_search = config.search;
  validation_search.beam_size = 1;
  Trainer trainer(train, validation_search, std::move(model), std::move(pairs), std::move(dev), group);
  if (resumed) trainer.restore(std::move(first_moment), std::move(second_moment), state);
  const TrainResult result = trainer.run();
  if (result.outcome == TrainOutcome::interrupted) return 128 + result.signal;
  if (test_corpus) evaluate_on_test(config, *test_corpus);
  return 0;
}

}  // namespace

int run_train(const Arguments& given) {
  const std::unique_ptr<ProcessGroup> group = join_process_group();
  if (group->size() == 1) return train_in_group(given, *group);
  try {
    return train_in_group(given, *group);
  } catch (const RunMismatch& e) {  // every rank knows: rank 0 says it, then all stop
    // Said before any rank exits: mpirun ends the job once a rank exits with an error.
    if (group->is_root()) std::cerr << "nmt train: error: " << utf8::escape_for_message(e.what()) << std::endl;
    char said = 1;
    group->broadcast(&said, 1);
    return 1;
  } catch (const std::exception& e) {  // one rank's error: named, and the whole job ends
    std::cerr << "nmt train: error: rank " << group->rank() << " of " << group->size() << ": "
              << utf8::escape_for_message(e.what()) << "\n";
    group->abort(dynamic_cast<const ConfigError*>(&e) ? 2 : 1);
  }
  return 1;  // not reached: abort ends the process
}

}  // namespace nmt
