// compute_settings.cpp — threads and matrix-product precision from the config or flags.
#include "app/compute_settings.hpp"

#include <stdexcept>

#include "app/option_schema.hpp"
#include "model/dnnl_backend.hpp"

namespace nmt {

void add_compute_options(CommandLine& command_line, const std::string& section, ComputeConfig& config,
                         bool register_section) {
  if (register_section) command_line.schema().add_section(section, config);
  command_line.schema().add_alias("threads", section + ".threads");
  command_line.schema().add_alias("precision", section + ".precision");
}

void apply_compute(const ComputeConfig& config, const std::string& section, const OptionSchema& schema) {
  apply_compute(config, section, schema.source_of(section + ".precision"));
}

void apply_compute(const ComputeConfig& config, const std::string& section, const std::string& source) {
  set_num_threads(config.threads);
  try {
    set_gemm_precision(config.precision);
  } catch (const std::runtime_error& e) {
    const std::string key = section + ".precision";
    throw ConfigError(source + ": " + key + " = " + field_text(config.precision) + ": " + e.what() + "; use fp32");
  }
}

}  // namespace nmt
