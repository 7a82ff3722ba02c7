// cmd_average.cpp — `nmt average`: checkpoint averaging into one model file.
//
//   nmt average -o OUT MODEL MODEL ...          the listed models or checkpoints
//   nmt average -o OUT --run RUN_DIR [--last K] the K newest checkpoints of a run
//
// Writes OUT atomically, a model file like any other, recording what it averaged.
#include <boost/program_options.hpp>

#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "data/text_writer.hpp"
#include "formats/model_average.hpp"
#include "training/log.hpp"
#include "training/checkpoint.hpp"

namespace nmt {
namespace po = boost::program_options;

namespace {

std::vector<std::string> newest_checkpoints(const std::string& run_dir, int count) {
  std::vector<std::string> all = list_checkpoints(run_dir);
  if (all.empty()) throw std::runtime_error(fmt::format("'{}/checkpoints' holds no checkpoints", run_dir));
  if (static_cast<int>(all.size()) > count) all.erase(all.begin(), all.end() - count);
  return all;
}

}  // namespace

int run_average(const Arguments& arguments) {
  CommandLine command_line("average", "nmt average -o OUT (MODEL... | --run RUN_DIR [--last K])",
                           "Writes a model whose weights are the mean of the given models' or\n"
                           "checkpoints' weights (checkpoint averaging). All inputs must come from the\n"
                           "same network, tokenizers and language pair, normally the last checkpoints\n"
                           "of one run. OUT records the pair.");
  command_line.add_flags()
      ("output,o", po::value<std::string>()->value_name("OUT"), "the averaged model file to write")
      ("models", po::value<std::vector<std::string>>()->multitoken()->value_name("MODEL"),
       "model files or checkpoints to average")
      ("run", po::value<std::string>()->value_name("RUN_DIR"), "average the newest checkpoints of this run")
      ("last", po::value<int>()->default_value(5), "how many of the run's newest checkpoints (with --run)");
  command_line.add_positional("models", -1);
  if (!command_line.parse(arguments)) return 0;
  if (!command_line.has("output")) throw ConfigError("the command line: --output OUT is required");
  resolve_output_path(command_line.get<std::string>("output"));  // refuse a bad -o before the work
  if (command_line.has("run") == command_line.has("models"))
    throw ConfigError("the command line: give either model files or --run RUN_DIR");
  const int last = command_line.get<int>("last");
  if (last < 1) throw ConfigError(fmt::format("option --last: must be at least 1, got {}", last));

  const std::vector<std::string> inputs = command_line.has("run")
                                              ? newest_checkpoints(command_line.get<std::string>("run"), last)
                                              : command_line.get<std::vector<std::string>>("models");
  bool dropped_shortlist = false;
  const LoadedModel averaged = average_models(inputs, &dropped_shortlist);
  if (dropped_shortlist)
    log::warn("average", "the inputs' shortlists differ: {} has none (add one with `nmt shortlist -m {} -c CONFIG`)",
              command_line.get<std::string>("output"), command_line.get<std::string>("output"));
  std::string sources;
  for (const auto& path : inputs) sources += (sources.empty() ? "" : ", ") + path;
  const std::string output = command_line.get<std::string>("output");
  write_model_file(output, *averaged.network, averaged.parameters, averaged.vocabularies, averaged.languages,
                   {{"averaged_from", sources}, {"averaged_count", std::to_string(inputs.size())}}, averaged.shortlist);
  std::cout << fmt::format("averaged {} model{}: {}\nwrote {}\n", inputs.size(), inputs.size() == 1 ? "" : "s",
                           sources, output);
  return 0;
}

}  // namespace nmt
