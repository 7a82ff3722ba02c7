// cmd_translate.cpp — `nmt translate`: a model's translations of lines of text.
//
// Today: the full option set and its checks. Translation needs the model file, which
// arrives with the network and trainer, and the command says so.
#include <boost/program_options.hpp>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"

namespace nmt {
namespace po = boost::program_options;

int run_translate(const Arguments& arguments) {
  CommandLine command_line(
      "translate", "nmt translate -m MODEL [-i INPUT] [-o OUTPUT] [options]",
      "Translates one sentence per line: interactively on a terminal, as a filter in a pipe,\n"
      "or file to file. Output lines stay aligned with input lines.");
  SearchConfig search;
  command_line.add_flags()
      ("model,m", po::value<std::string>()->required()->value_name("MODEL"), "model file")
      ("input,i", po::value<std::string>()->value_name("FILE"), "read from FILE instead of stdin")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write to FILE instead of stdout")
      ("threads", po::value<int>()->default_value(2), "compute threads");
  add_search_options(command_line.schema(), search);
  if (!command_line.parse(arguments)) return 0;
  throw std::runtime_error("cannot translate with '" + command_line.get<std::string>("model") +
                           "': model files are not part of this build yet (see README.md, 'Status')");
}

}  // namespace nmt
