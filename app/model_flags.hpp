// model_flags.hpp — the -m MODEL flags of the commands that translate (translate,
// evaluate, serve): one model, or several, repeated, as an ensemble, with --weights.
//
//   -m A                        one model
//   -m A -m B [--weights 2 1]   an ensemble: log-probabilities averaged at each step, with
//                               the weights (one per -m, in order; relative: divided by
//                               their sum; default equal)
#pragma once

#include <string>
#include <vector>

#include "app/command_line.hpp"
#include "app/translator.hpp"

namespace nmt {

// Adds -m/--model (repeatable; required when `required`) and --weights.
void add_model_flags(CommandLine& command_line, bool required);

// The paths given by -m, in order (none when -m is absent).
std::vector<std::string> model_paths(const CommandLine& command_line);

// The weights of `paths` models: `weights` when given, else 1 each. Throws ConfigError
// (naming --weights) for another count than one per model, or a weight that is not a
// positive number.
std::vector<double> model_weights(const std::vector<double>& weights, std::size_t paths);

// Loads every -m model (formats/model_file's errors) with its --weights.
std::vector<EnsembleModel> load_models(const CommandLine& command_line);

}  // namespace nmt
