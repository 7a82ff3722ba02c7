// cmd_info.cpp — `nmt info MODEL`: what a model file or checkpoint holds.
//
// Verifies the file (magic, version, checksum) and prints its language pair, its
// metadata — the model config, vocabulary sizes, training counters —, its shortlist
// (or that it has none) and every tensor with its shape.
#include <boost/program_options.hpp>

#include <iostream>

#include <fmt/format.h>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "formats/model_file.hpp"

namespace nmt {
namespace po = boost::program_options;

int run_info(const Arguments& arguments) {
  CommandLine command_line("info", "nmt info MODEL",
                           "Checks MODEL (a model.nmt or a checkpoint) and prints what it holds: the\n"
                           "language pair, model configuration, tokenizers, training state and tensors.");
  command_line.add_flags()("model,m", po::value<std::vector<std::string>>()->required()->value_name("MODEL"),
                           "model file");
  command_line.add_positional("model", -1);
  if (!command_line.parse(arguments)) return 0;
  const std::vector<std::string> paths = command_line.get<std::vector<std::string>>("model");
  if (paths.size() > 1)  // an ensemble is its files: each is shown by its own `nmt info`
    throw ConfigError(fmt::format("the command line: {} models given: nmt info shows one model file (run it once "
                                  "per file of an ensemble)",
                                  paths.size()));
  const std::string& path = paths.front();
  const Container container = read_model_container(path);
  const LoadedModel model = load_model(container);

  std::cout << fmt::format("{}: nmt {} (file format {}, {:.1f} MB, checksum {} verified)\n", path,
                           container.meta("kind"), container.meta("format_version"),
                           static_cast<double>(container.file_size()) / 1e6, container.meta("checksum"));
  std::cout << fmt::format("languages: {}\n", model.languages.known()
                                                   ? model.languages.describe()
                                                   : "unknown (the file records no data.source_lang, data.target_lang)");
  std::cout << "\nmetadata:\n";
  for (const auto& [key, value] : container.metadata()) {
    if (key == "format" || key == "format_version" || key == "checksum" || key == "kind") continue;
    std::cout << fmt::format("  {:<28} {}\n", key, value);
  }
  std::cout << fmt::format("\ntokenizers: source {} pieces, target {} pieces (SentencePiece)\n",
                           model.vocabularies.source.vocab_size(), model.vocabularies.target.vocab_size());
  std::cout << (model.shortlist.empty()
                    ? std::string("shortlist: none (nmt shortlist -m MODEL -c CONFIG adds one)\n")
                    : fmt::format("shortlist: T = {} pieces per source piece, F = {} frequent pieces, {} pairs\n",
                                  model.shortlist.per_source, model.shortlist.frequent.size(),
                                  model.shortlist.targets.size()));
  std::cout << "\ntensors:\n";
  for (const auto& name : container.tensor_names()) {
    std::string shape;
    for (const auto d : container.shape(name)) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
    std::cout << fmt::format("  {:<28} {:<4} {}\n", name, container.dtype(name), shape);
  }
  return 0;
}

}  // namespace nmt
