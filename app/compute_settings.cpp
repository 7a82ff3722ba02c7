// compute_settings.cpp — threads and matrix-product precision from the config or flags.
#include "app/compute_settings.hpp"

#include <stdexcept>

#include "app/option_schema.hpp"
#include "model/dnnl_backend.hpp"

namespace nmt {

void apply_precision(Precision precision, const std::string& source) {
  try {
    set_gemm_precision(precision == Precision::bf16 ? GemmPrecision::bf16 : GemmPrecision::f32);
  } catch (const std::runtime_error& e) {
    throw ConfigError(source + " = bf16: " + e.what() + "; use fp32");
  }
}

void add_compute_flags(CommandLine& command_line) {
  command_line.add_flags()
      ("threads", boost::program_options::value<int>()->default_value(2), "compute threads")
      ("precision", boost::program_options::value<std::string>()->default_value("fp32")->value_name("P"),
       "matrix-product precision: fp32, or bf16 (bf16 operands, f32 sums; needs a CPU with bf16)");
}

void apply_compute_flags(const CommandLine& command_line) {
  const int threads = command_line.get<int>("threads");
  if (threads < 1 || threads > 256) throw ConfigError("the command line: --threads must be from 1 to 256");
  set_num_threads(threads);
  const std::string precision = command_line.get<std::string>("precision");
  for (const auto& [value, name] : enum_names(Precision{}))
    if (precision == name) return apply_precision(value, "--precision");
  throw ConfigError("the command line: --precision must be fp32 or bf16, not '" + precision + "'");
}

}  // namespace nmt
