// fuzz_config.cpp — fuzz target: an INI config file through the option schema.
//
// The input is the text of a -c file, parsed as `nmt train` and as `nmt translate`
// parse theirs (every section, key check, cross-key relation and alias). Properties:
// the only error is ConfigError, its message holds no raw control byte; an accepted
// config's --dump-config output, read back as a config, is accepted and dumps the
// same text (what `train --resume` relies on).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/command_line.hpp"
#include "app/compute_settings.hpp"
#include "app/config_sections.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

// A command line set up as one command sets up its own; `parse` fills `dump` on success.
struct Command {
  const char* name;
  std::function<std::unique_ptr<nmt::CommandLine>()> make;
};

std::unique_ptr<nmt::CommandLine> train_command() {
  static nmt::RunConfig config;  // the schema keeps pointers to its fields
  config = nmt::RunConfig{};
  auto command_line = std::make_unique<nmt::CommandLine>("train", "nmt train -c CONFIG", "fuzz");
  nmt::add_run_options(command_line->schema(), config);
  nmt::add_compute_options(*command_line, "train", config.train.compute, /*register_section=*/false);
  return command_line;
}

std::unique_ptr<nmt::CommandLine> translate_command() {
  static nmt::SearchConfig search;
  static nmt::ComputeConfig compute;
  static nmt::RunConfig training_config;
  search = nmt::SearchConfig{};
  compute = nmt::ComputeConfig{};
  training_config = nmt::RunConfig{};
  auto command_line = std::make_unique<nmt::CommandLine>("translate", "nmt translate -m MODEL", "fuzz");
  nmt::add_compute_options(*command_line, "compute", compute);
  nmt::add_search_options(command_line->schema(), search);
  command_line->schema().add_alias("nbest", "search.nbest");
  nmt::add_training_sections_file_only(command_line->schema(), training_config);
  return command_line;
}

bool has_raw_control_byte(const std::string& text) {
  for (const unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

// The dump of `text` parsed as `command`, or "" when it is refused.
std::string accepted_dump(const Command& command, const nmt::fuzz::ScratchFile& file, std::string_view text) {
  file.write(text);
  auto command_line = command.make();
  try {
    command_line->parse({"-c", file.path()});
  } catch (const nmt::ConfigError& e) {
    nmt::fuzz::require(!has_raw_control_byte(e.what()), "config errors escape control bytes");
    return "";
  }
  return command_line->schema().dump_ini();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Command commands[] = {{"train", train_command}, {"translate", translate_command}};
  const nmt::fuzz::ScratchFile file(".ini");
  for (const Command& command : commands) {
    const std::string dump = accepted_dump(command, file, nmt::fuzz::as_text(data, size));
    if (dump.empty()) continue;
    const std::string again = accepted_dump(command, file, dump);
    nmt::fuzz::require(again == dump, std::string(command.name) + ": a dumped config reads back as itself");
  }
  return 0;
}
