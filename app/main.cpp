// main.cpp — the `nmt` executable: dispatches to a subcommand and reports errors.
//
// Exit codes: 0 success, 1 a runtime failure (file, data, model), 2 a usage error
// (no subcommand or an unknown one, with the usage on stderr; a bad option or config
// value). --help and --version print to stdout and exit 0. A failed write to standard output
// is a runtime failure (1, naming standard output); a closed output pipe ends the
// process quietly through SIGPIPE (status 141).
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/heap_settings.hpp"
#include "app/nearest_name.hpp"
#include "app/openmp_wait.hpp"
#include "app/option_schema.hpp"
#include "app/standard_output.hpp"
#include "data/utf8.hpp"
#include "nmt_version.hpp"

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(const nmt::Arguments&);
};

constexpr Subcommand kSubcommands[] = {
    {"train", "train a model from a config file (tokenizers, network, checkpoints)", nmt::run_train},
    {"translate", "translate text interactively, as a filter, or file to file", nmt::run_translate},
    {"serve", "translate over HTTP: a JSON API, batching concurrent requests, and a page", nmt::run_serve},
    {"evaluate", "score a model or a hypothesis file on a test set (BLEU, chrF)", nmt::run_evaluate},
    {"vocab", "train the SentencePiece models of a config and write them", nmt::run_vocab},
    {"info", "check a model file or checkpoint and show what it holds", nmt::run_info},
    {"average", "average the weights of checkpoints into one model file", nmt::run_average},
    {"shortlist", "build a model's vocabulary shortlist from its training data", nmt::run_shortlist},
    {"generate", "write the embedded quickstart corpus (English -> German number words)",
     nmt::run_generate},
};

void print_usage(std::ostream& out) {
  out << "nmt " << NMT_VERSION
      << " — neural machine translation: RNNsearch with Bahdanau attention on the CPU\n\n"
         "Usage: nmt COMMAND [options]     (nmt COMMAND --help for its options)\n\n"
         "Commands:\n";
  for (const auto& command : kSubcommands)
    out << "  " << command.name << std::string(12 - std::string(command.name).size(), ' ')
        << command.summary << "\n";
  out << "\nOptions:\n  -h, --help     show this help\n  --version      show the version\n";
}

// Runs the subcommand named by arguments[0]; returns its exit status.
int run_subcommand(const std::vector<std::string>& arguments) {
  for (const auto& command : kSubcommands) {
    if (arguments[0] != command.name) continue;
    try {
      const int status = command.run({arguments.begin() + 1, arguments.end()});
      nmt::flush_standard_output();
      return status;
    } catch (const nmt::ConfigError& e) {
      std::cerr << "nmt " << command.name << ": error: " << e.what() << "\n"
                << "(see nmt " << command.name << " --help)\n";
      return 2;
    } catch (const std::exception& e) {  // a path or a line quoted raw must not reach the terminal raw
      std::cerr << "nmt " << command.name << ": error: " << nmt::utf8::escape_for_message(e.what()) << "\n";
      return 1;
    }
  }
  std::vector<std::string> names;
  for (const auto& command : kSubcommands) names.emplace_back(command.name);
  const std::string nearest = nmt::nearest_name(arguments[0], names);
  std::cerr << "nmt: unknown command '" << nmt::utf8::escape_for_message(arguments[0]) << "'"
            << (nearest.empty() ? "" : " (did you mean '" + nearest + "'?)") << "\n\n";
  print_usage(std::cerr);
  return 2;
}

// "nmt COMMAND" for a subcommand, else "nmt": the prefix of an error message.
std::string program_name(const std::vector<std::string>& arguments) {
  for (const auto& command : kSubcommands)
    if (!arguments.empty() && arguments[0] == command.name) return std::string("nmt ") + command.name;
  return "nmt";
}

int run(const std::vector<std::string>& arguments) {
  if (arguments.empty()) {  // a usage error: the usage goes where errors go
    print_usage(std::cerr);
    return 2;
  }
  if (arguments[0] == "--help" || arguments[0] == "-h" || arguments[0] == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (arguments[0] == "--version") {
    std::cout << "nmt " << NMT_VERSION << "\n";
    return 0;
  }
  return run_subcommand(arguments);
}

}  // namespace

int main(int argc, char** argv) {
  nmt::sleep_openmp_threads_when_serving(argc, argv);  // may re-execute the process
  nmt::keep_freed_memory_for_reuse();
  nmt::install_checked_standard_output();
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const int status = run(arguments);
  const std::string output_error = nmt::close_standard_output();
  if (output_error.empty() || status != 0) return status;  // a failed run has reported its error
  std::cerr << program_name(arguments) << ": error: " << output_error << "\n";
  return 1;
}
