// compute_settings.hpp — how the commands that compute set up the machine: compute
// threads and the precision of the matrix products (fp32, or bf16 where the CPU has it).
//
// train reads them from [train] (train.threads, train.precision); translate and
// evaluate from [compute]; every command also takes them as --threads and --precision.
#pragma once

#include <string>

#include "app/command_line.hpp"
#include "model/compute_config.hpp"

namespace nmt {

// Registers SECTION.threads and SECTION.precision (aliases --threads, --precision) for a
// section that holds `config`; with `register_section` false the section is already in
// the schema (as [train] is) and only the aliases are added.
void add_compute_options(CommandLine& command_line, const std::string& section, ComputeConfig& config,
                         bool register_section = true);

// Sets the process-wide threads and precision; throws ConfigError naming where
// SECTION.precision came from and the key when the CPU cannot do the precision
// ("FILE:3: compute.precision = bf16: bf16 matrix products need ..."). Commands call it
// right after parsing, before any other work, so the refusal is the same whatever else
// the command is given.
void apply_compute(const ComputeConfig& config, const std::string& section, const OptionSchema& schema);
// The same where the settings come from elsewhere: `source` names where (the Python
// module's "nmt.set_precision()") in place of the schema's file, line or command line.
void apply_compute(const ComputeConfig& config, const std::string& section, const std::string& source);

}  // namespace nmt
