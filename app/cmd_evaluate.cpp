// cmd_evaluate.cpp — `nmt evaluate`: BLEU, chrF and perplexity of a model on a test set.
//
// Today: the full option set and its checks; scoring arrives with the translation issue.
#include <boost/program_options.hpp>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"

namespace nmt {
namespace po = boost::program_options;

int run_evaluate(const Arguments& arguments) {
  CommandLine command_line(
      "evaluate", "nmt evaluate -m MODEL --src FILE --ref FILE [options] | nmt evaluate --hyp FILE --ref FILE",
      "Translates a test set with a model and scores it (sacreBLEU-compatible BLEU and chrF,\n"
      "teacher-forced perplexity, speed), or scores an existing hypothesis file.");
  SearchConfig search;
  command_line.add_flags()
      ("model,m", po::value<std::string>()->value_name("MODEL"), "model file")
      ("src", po::value<std::string>()->value_name("FILE"), "source side of the test set")
      ("ref", po::value<std::string>()->value_name("FILE"), "reference translations")
      ("hyp", po::value<std::string>()->value_name("FILE"), "score this hypothesis file (no model)")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write the model's hypotheses here")
      ("json", "print the results as one JSON object")
      ("threads", po::value<int>()->default_value(2), "compute threads");
  add_search_options(command_line.schema(), search);
  if (!command_line.parse(arguments)) return 0;
  if (!command_line.has("ref"))
    throw ConfigError("the command line: --ref FILE is required (the reference translations)");
  if (command_line.has("hyp") == command_line.has("model"))
    throw ConfigError("the command line: give either --model (translate and score) or --hyp (score a file)");
  throw std::runtime_error("scoring is not part of this build yet (see README.md, 'Status')");
}

}  // namespace nmt
