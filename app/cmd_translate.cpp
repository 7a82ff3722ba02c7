// cmd_translate.cpp — `nmt translate`: a model's translations of lines of text.
//
// From stdin, each line is translated and written (and flushed) as soon as it is read,
// so nmt works as a filter in a pipeline and answers lines typed at a terminal. From
// --input FILE (plain or .gz), lines are translated in length-sorted batches. Output
// lines always match input lines one to one, in order; --output is written atomically.
// Search: --search.beam_size (default 5; 1 = greedy).
#include <boost/program_options.hpp>

#include <iostream>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"
#include "app/translator.hpp"
#include "data/line_reader.hpp"
#include "data/text_writer.hpp"
#include "model/dnnl_backend.hpp"
#include "training/log.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

void translate_stream(const Translator& translator, std::istream& in, std::ostream& out) {
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out << translator.translate({line}, number)[0] << '\n' << std::flush;
  }
}

}  // namespace

int run_translate(const Arguments& arguments) {
  CommandLine command_line(
      "translate", "nmt translate -m MODEL [-i INPUT] [-o OUTPUT] [options]",
      "Translates one sentence per line: from stdin line by line (a filter in a pipe, or\n"
      "typed at a terminal), or from a file. Output lines stay aligned with input lines;\n"
      "an empty line gives an empty line. Beam search by default (--search.beam_size 1: greedy).");
  SearchConfig search;
  command_line.add_flags()
      ("model,m", po::value<std::string>()->required()->value_name("MODEL"), "model file (model.nmt or a checkpoint)")
      ("input,i", po::value<std::string>()->value_name("FILE"), "read from FILE instead of stdin")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write to FILE instead of stdout")
      ("threads", po::value<int>()->default_value(2), "compute threads");
  add_search_options(command_line.schema(), search);
  if (!command_line.parse(arguments)) return 0;
  set_num_threads(command_line.get<int>("threads"));
  const Translator translator(load_model_file(command_line.get<std::string>("model")), search);

  if (!command_line.has("input")) {
    if (!command_line.has("output")) {
      translate_stream(translator, std::cin, std::cout);
      return 0;
    }
  }
  const std::vector<std::string> lines =
      command_line.has("input") ? read_lines(command_line.get<std::string>("input")) : [] {
        std::vector<std::string> all;
        std::string line;
        while (std::getline(std::cin, line)) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          all.push_back(line);
        }
        return all;
      }();
  const std::vector<std::string> translations = translator.translate(lines);
  if (command_line.has("output")) {
    write_lines_atomically(command_line.get<std::string>("output"), translations);
    log::info("translate", "wrote {} lines to '{}'", translations.size(), command_line.get<std::string>("output"));
  } else {
    for (const auto& t : translations) std::cout << t << '\n';
    std::cout << std::flush;
  }
  return 0;
}

}  // namespace nmt
