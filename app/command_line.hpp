// command_line.hpp — what every `nmt` subcommand shares on its command line.
//
// Each subcommand has its own flags (e.g. --model) plus the config sections it uses
// (an OptionSchema); all of them take -h/--help, -c/--config FILE, --dump-config and
// --log-level. parse() handles those common flags itself. A command that reads a
// training config may take it as its one bare argument too (`nmt train CONFIG`).
#pragma once

#include <boost/program_options.hpp>

#include <string>
#include <vector>

#include "app/option_schema.hpp"

namespace nmt {

class CommandLine {
 public:
  // `usage` is the synopsis line, e.g. "nmt train -c CONFIG [options]".
  CommandLine(std::string command, std::string usage, std::string summary);

  // The subcommand's own flags; add to it before parse().
  boost::program_options::options_description_easy_init add_flags() { return flags_.add_options(); }
  // Binds a flag to bare arguments (e.g. `nmt info MODEL`).
  void add_positional(const char* flag, int count) { positional_.add(flag, count); }
  // Lets a bare argument name the config file: `nmt train CONFIG` is `nmt train -c CONFIG`.
  // Two bare arguments, or one and -c, are a usage error naming both.
  void accept_config_argument();
  OptionSchema& schema() { return schema_; }

  // Parses `arguments` (those after the subcommand). Returns false if --help or
  // --dump-config was answered and the command should exit successfully.
  // Throws ConfigError on any bad option.
  bool parse(const std::vector<std::string>& arguments);

  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  template <class T>
  T get(const std::string& flag) const {
    return values_[flag].as<T>();
  }
  const std::string& name() const { return command_; }

 private:
  void print_help() const;
  // The config file the parsed command line names (-c FILE or the bare argument), or "".
  std::string config_file(const boost::program_options::variables_map& values) const;

  std::string command_, usage_, summary_;
  boost::program_options::options_description flags_;
  boost::program_options::options_description hidden_;  // not in --help: the bare config argument
  boost::program_options::positional_options_description positional_;
  OptionSchema schema_;
  boost::program_options::variables_map values_;
};

}  // namespace nmt
