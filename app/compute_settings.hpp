// compute_settings.hpp — how the commands that compute set up the machine: compute
// threads and the precision of the matrix products (fp32, or bf16 where the CPU has it).
#pragma once

#include <string>

#include "app/command_line.hpp"
#include "training/train_config.hpp"

namespace nmt {

// Sets the process-wide matrix-product precision; throws ConfigError naming `source`
// (a config key or a flag) when the CPU cannot do it.
void apply_precision(Precision precision, const std::string& source);

// --threads N and --precision fp32|bf16, for translate and evaluate.
void add_compute_flags(CommandLine& command_line);
void apply_compute_flags(const CommandLine& command_line);

}  // namespace nmt
