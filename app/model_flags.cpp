// model_flags.cpp — -m MODEL ... and --weights (see model_flags.hpp).
#include "app/model_flags.hpp"

#include <cmath>

#include <fmt/format.h>

#include "formats/model_file.hpp"

namespace nmt {
namespace po = boost::program_options;

void add_model_flags(CommandLine& command_line, bool required) {
  auto* model = po::value<std::vector<std::string>>()->composing()->value_name("MODEL");
  if (required) model->required();
  command_line.add_flags()
      ("model,m", model, "model file (model.nmt or a checkpoint); several -m: an ensemble, log-probabilities averaged")
      ("weights", po::value<std::vector<double>>()->multitoken()->value_name("W"),
       "the ensemble's weights, one per -m in order (relative; default equal)");
}

std::vector<std::string> model_paths(const CommandLine& command_line) {
  return command_line.has("model") ? command_line.get<std::vector<std::string>>("model") : std::vector<std::string>{};
}

std::vector<double> model_weights(const std::vector<double>& weights, std::size_t paths) {
  if (weights.empty()) return std::vector<double>(paths, 1.0);
  if (weights.size() != paths)
    throw ConfigError(fmt::format("the command line: --weights: {} weights for {} models (give one per -m)",
                                  weights.size(), paths));
  for (const double w : weights)
    if (!is_valid_ensemble_weight(w))
      throw ConfigError(fmt::format("the command line: --weights: {}: must be a positive number", w));
  return weights;
}

std::vector<EnsembleModel> load_models(const CommandLine& command_line) {
  const std::vector<std::string> paths = model_paths(command_line);
  const std::vector<double> weights = model_weights(
      command_line.has("weights") ? command_line.get<std::vector<double>>("weights") : std::vector<double>{},
      paths.size());
  std::vector<EnsembleModel> models;
  for (std::size_t i = 0; i < paths.size(); ++i) models.push_back({paths[i], load_model_file(paths[i]), weights[i]});
  return models;
}

}  // namespace nmt
