// command_line.cpp — common flags, --help and --dump-config for every subcommand.
#include "app/command_line.hpp"

#include <iostream>

#include "training/log.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

constexpr const char* kConfigArgument = "config-argument";  // the hidden flag of a bare config argument

}  // namespace

CommandLine::CommandLine(std::string command, std::string usage, std::string summary)
    : command_(std::move(command)),
      usage_(std::move(usage)),
      summary_(std::move(summary)),
      flags_("Options", 100, 50) {
  flags_.add_options()
      ("help,h", "show this help and exit")
      ("config,c", po::value<std::string>()->value_name("FILE"),
       "INI config file; the command line overrides it")
      ("dump-config", "print the resolved configuration as an INI file and exit")
      ("log-level", po::value<std::string>()->default_value("info")->value_name("LEVEL"),
       "stderr log level: debug, info, warn, error, off");
}

bool CommandLine::parse(const std::vector<std::string>& arguments) {
  // --help must work even when required options are missing.
  for (const auto& argument : arguments)
    if (argument == "--help" || argument == "-h") {
      print_help();
      return false;
    }
  po::options_description command_options;
  command_options.add(flags_).add(hidden_);
  schema_.parse(arguments, command_options, values_, &positional_,
                [this](const po::variables_map& values) { return config_file(values); });
  try {
    log::set_stderr_level(log::parse_level(values_["log-level"].as<std::string>()));
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("the command line: --log-level: ") + e.what());
  }
  if (has("dump-config")) {
    std::cout << "# nmt " << command_ << " — resolved configuration\n\n" << schema_.dump_ini();
    return false;
  }
  return true;
}

void CommandLine::accept_config_argument() {
  hidden_.add_options()(kConfigArgument, po::value<std::vector<std::string>>(), "");
  positional_.add(kConfigArgument, -1);
}

std::string CommandLine::config_file(const po::variables_map& values) const {
  const std::string flag = values.count("config") ? values["config"].as<std::string>() : "";
  if (!values.count(kConfigArgument)) return flag;
  const auto& bare = values[kConfigArgument].as<std::vector<std::string>>();
  if (bare.size() > 1) {
    std::string listed;
    for (const auto& argument : bare) listed += (listed.empty() ? "'" : ", '") + argument + "'";
    throw ConfigError("the command line: one config file, but " + std::to_string(bare.size()) +
                      " bare arguments were given: " + listed + " (nmt " + command_ + " CONFIG is nmt " +
                      command_ + " -c CONFIG)");
  }
  if (values.count("config"))
    throw ConfigError("the command line: two config files, -c '" + flag + "' and '" + bare.front() +
                      "' (nmt " + command_ + " CONFIG is nmt " + command_ + " -c CONFIG); give one");
  return bare.front();
}

void CommandLine::print_help() const {
  std::cout << "Usage: " << usage_ << "\n\n" << summary_ << "\n\n" << flags_ << "\n";
  for (const auto& [alias, key] : schema_.aliases()) std::cout << "  --" << alias << " is short for --" << key << "\n";
  for (const auto& [name, key] : schema_.switches())
    std::cout << "  --" << name << " is short for --" << key << "=true\n";
  if (!schema_.aliases().empty() || !schema_.switches().empty()) std::cout << "\n";
  const auto sections = schema_.help_sections();
  if (sections.empty()) return;
  std::cout << "Configuration (INI file sections; each key is also a command-line flag)\n\n";
  for (const auto* section : sections) std::cout << *section << "\n";
}

}  // namespace nmt
