// cmd_vocab.cpp — `nmt vocab`: trains a config's SentencePiece models and writes them.
#include <boost/program_options.hpp>

#include <filesystem>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/config_sections.hpp"
#include "app/corpus_paths.hpp"
#include "data/text_writer.hpp"
#include "training/corpus_loading.hpp"
#include "training/log.hpp"
#include "training/vocab_training.hpp"

namespace nmt {
namespace po = boost::program_options;
namespace {

void write_vocabulary(const SentencePieceModel& model, const std::string& path_prefix) {
  write_file_atomically(path_prefix + ".model", model.serialized());
  std::vector<std::string> pieces;
  pieces.reserve(static_cast<std::size_t>(model.vocab_size()));
  for (int id = 0; id < model.vocab_size(); ++id) pieces.push_back(model.piece(id));
  write_lines_atomically(path_prefix + ".vocab", pieces);
}

}  // namespace

int run_vocab(const Arguments& arguments) {
  CommandLine command_line(
      "vocab", "nmt vocab -c CONFIG --out DIR [options]  (or nmt vocab CONFIG --out DIR)",
      "Trains the SentencePiece models that `nmt train` would train for CONFIG, reports how they\n"
      "segment the training text, and writes DIR/{source,target}.{model,vocab} (standard\n"
      "SentencePiece files: spm_encode --model DIR/source.model reads them).");
  RunConfig config;  // a training config; only [data] and [tokenizer] matter here
  std::string out;
  command_line.add_flags()("out,o", po::value(&out)->required()->value_name("DIR"),
                           "output directory");
  add_run_options(command_line.schema(), config);
  command_line.schema().add_alias("threads", "tokenizer.threads");  // the one thing vocab computes with
  command_line.accept_config_argument();
  if (!command_line.parse(arguments)) return 0;
  check_corpus_paths(command_line.schema(), config.data, CorpusSplits::train_only);

  const ParallelCorpus corpus = load_corpus(config.data, config.data.train, "train");
  const Vocabularies vocabularies = train_and_report_vocabularies(corpus, config.tokenizer);
  std::filesystem::create_directories(out);
  write_vocabulary(vocabularies.source, out + "/source");
  write_vocabulary(vocabularies.target, out + "/target");
  log::info("tokenizer", "wrote '{}/source.model' and '{}/target.model'", out, out);
  return 0;
}

}  // namespace nmt
