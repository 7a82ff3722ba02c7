// cmd_shortlist.cpp — `nmt shortlist`: builds a model's vocabulary shortlist from its
// training data (training/shortlist_building.hpp) and writes the model with it; with a
// dev set, reports how often the whole vocabulary's greedy pick falls outside the list.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <string>

#include <fmt/format.h>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/compute_settings.hpp"
#include "app/config_sections.hpp"
#include "app/corpus_paths.hpp"
#include "data/text_writer.hpp"
#include "decoding/greedy_search.hpp"
#include "formats/model_file.hpp"
#include "training/batcher.hpp"
#include "training/corpus_loading.hpp"
#include "training/log.hpp"
#include "training/shortlist_building.hpp"
#include "training/validation.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

// The metadata a rewritten model keeps from its file: everything but what the writer
// sets itself (the container's keys, the model's own and the shortlist's).
std::map<std::string, std::string> kept_metadata(const LoadedModel& model) {
  std::map<std::string, std::string> kept;
  const auto own = model_metadata(model.config, *model.network);
  for (const auto& [key, value] : model.metadata) {
    if (key == "format" || key == "format_version" || key == "checksum" || own.count(key) > 0 ||
        key.rfind("shortlist.", 0) == 0 || key.rfind("data.", 0) == 0)
      continue;
    kept.emplace(key, value);
  }
  return kept;
}

// Greedy translations of the dev sources over the whole vocabulary: how many of their
// pieces (eos counted) fall outside each sentence's shortlist.
void report_dev_misses(const LoadedModel& model, const HeldOutSet& dev) {
  SearchConfig search;
  search.beam_size = 1;
  search.nbest = 1;
  const ConstantOperands weights(model.parameters.data(), model.parameters.size());
  const std::vector<Hypothesis> greedy = greedy_search(*model.network, model.parameters.data(), dev.source_ids, search);
  const int V = model.network->target_vocab();
  std::size_t pieces = 0, outside = 0, sentences_missed = 0, list_sizes = 0;
  for (std::size_t i = 0; i < greedy.size(); ++i) {
    const std::vector<int> list = model.shortlist.sentence_list(dev.source_ids[i], V);
    list_sizes += list.size();
    std::size_t missed = 0;
    for (const int t : greedy[i].tokens) missed += std::binary_search(list.begin(), list.end(), t) ? 0 : 1;
    pieces += greedy[i].tokens.size() + 1;  // eos, always listed
    outside += missed;
    sentences_missed += missed > 0 ? 1 : 0;
  }
  const double n = static_cast<double>(std::max<std::size_t>(1, greedy.size()));
  std::cout << fmt::format(
      "dev: the whole vocabulary's greedy pick is outside the sentence's shortlist for {} of {} pieces ({:.2f}%), in "
      "{} of {} sentences ({:.1f}%)\n",
      outside, pieces, 100.0 * static_cast<double>(outside) / static_cast<double>(std::max<std::size_t>(1, pieces)),
      sentences_missed, greedy.size(), 100.0 * static_cast<double>(sentences_missed) / n);
  std::cout << fmt::format("dev: a sentence's list holds {:.0f} of {} target pieces on average ({:.1f}%)\n",
                           static_cast<double>(list_sizes) / n, V,
                           100.0 * static_cast<double>(list_sizes) / n / V);
}

}  // namespace

int run_shortlist(const Arguments& arguments) {
  CommandLine command_line(
      "shortlist", "nmt shortlist -m MODEL -c CONFIG [-o OUT] [--shortlist.per_source T] [--shortlist.frequent F]",
      "Builds MODEL's vocabulary shortlist from the training corpus of CONFIG (data.train,\n"
      "tokenized with MODEL's tokenizers, pairs over data.max_length dropped as nmt train\n"
      "drops them): for each source piece the T target pieces of highest IBM Model 1\n"
      "probability, and the F most frequent target pieces. Writes MODEL with it (or OUT),\n"
      "keeping everything else the file holds. With data.dev, reports how often the greedy\n"
      "pick over the whole vocabulary falls outside the shortlist on the dev set.\n"
      "Translate with it: nmt translate -m MODEL --shortlist.");
  std::string model_path, output;
  command_line.add_flags()("model,m", po::value(&model_path)->required()->value_name("MODEL"),
                           "the model file")(
      "output,o", po::value(&output)->value_name("OUT"), "write the model with its shortlist to OUT (default: MODEL)");
  RunConfig config;  // a training config: [data] and [shortlist] matter here
  add_run_options(command_line.schema(), config);
  ComputeConfig compute;
  add_compute_options(command_line, "compute", compute);
  if (!command_line.parse(arguments)) return 0;
  apply_compute(compute, "compute", command_line.schema());
  if (output.empty()) output = model_path;
  resolve_output_path(output);  // refuse a bad -o before the work
  if (config.shortlist.per_source < 1)
    throw ConfigError(command_line.schema().source_of("shortlist.per_source") +
                      ": shortlist.per_source = 0 builds no shortlist; give at least 1");
  check_corpus_paths(command_line.schema(), config.data, CorpusSplits::all);

  LoadedModel model = load_model_file(model_path);
  if (model.metadata.count("kind") > 0 && model.metadata.at("kind") == "checkpoint" && output == model_path)
    throw ConfigError("'" + model_path + "' is a training checkpoint: write its model with a shortlist elsewhere (-o OUT)");
  if (model.languages.known() &&
      (model.languages.source != config.data.source_lang || model.languages.target != config.data.target_lang))
    throw ConfigError(fmt::format("{}: data.source_lang = {}, data.target_lang = {}, but '{}' translates {}",
                                  command_line.schema().source_of("data.source_lang"), config.data.source_lang,
                                  config.data.target_lang, model_path, model.languages.describe()));

  const ParallelCorpus train = load_corpus(config.data, config.data.train, "train");
  TokenizeReport report;
  const TokenizedCorpus pairs = tokenize_corpus(train, model.vocabularies, config.data.max_length, &report);
  const auto start = std::chrono::steady_clock::now();
  model.shortlist = build_shortlist(pairs.source, pairs.target, model.network->source_vocab(),
                                    model.network->target_vocab(), config.shortlist);
  log::info("shortlist", "built from {} training pairs ({} over data.max_length dropped) in {:.1f} s: {} frequent "
            "pieces, {} per source piece on average (T = {})",
            report.kept, report.too_long,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
            model.shortlist.frequent.size(),
            fmt::format("{:.1f}", static_cast<double>(model.shortlist.targets.size()) /
                                      std::max(1, model.shortlist.source_vocab())),
            model.shortlist.per_source);
  write_model_file(output, *model.network, model.parameters, model.vocabularies, model.languages,
                   kept_metadata(model), model.shortlist);
  std::cout << "wrote " << output << " with its shortlist (T = " << config.shortlist.per_source
            << ", F = " << config.shortlist.frequent << ")\n";
  if (!config.data.dev.empty())
    report_dev_misses(model, make_held_out_set(load_corpus(config.data, config.data.dev, "dev"), model.vocabularies));
  return 0;
}

}  // namespace nmt
