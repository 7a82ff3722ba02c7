// cmd_generate.cpp — `nmt generate`: writes the embedded quickstart corpus to files.
#include <boost/program_options.hpp>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "data/quickstart_corpus.hpp"
#include "training/log.hpp"

namespace nmt {
namespace po = boost::program_options;

int run_generate(const Arguments& arguments) {
  CommandLine command_line(
      "generate", "nmt generate [--out DIR] [--seed N] [--train-size N] ...",
      "Writes the quickstart corpus: English number words -> German number words\n"
      "(\"four hundred and twenty-one\" -> \"vierhunderteinundzwanzig\"), as DIR/{train,dev,test}.{en,de}.\n"
      "The same seed and sizes give the same files on every machine; the splits share no number.");
  QuickstartCorpusOptions options;
  std::string out;
  long long seed = static_cast<long long>(options.seed);
  command_line.add_flags()
      ("out,o", po::value(&out)->default_value(kQuickstartCorpusDirectory), "output directory")
      ("seed", po::value(&seed)->default_value(seed), "random seed")
      ("train-size", po::value(&options.train_size)->default_value(options.train_size), "training pairs")
      ("dev-size", po::value(&options.dev_size)->default_value(options.dev_size), "validation pairs")
      ("test-size", po::value(&options.test_size)->default_value(options.test_size), "test pairs");
  if (!command_line.parse(arguments)) return 0;
  options.seed = static_cast<std::uint64_t>(seed);
  const QuickstartCorpus corpus = generate_quickstart_corpus(options);
  write_quickstart_corpus(corpus, out);
  log::info("data", "wrote the quickstart corpus to '{}': {} train, {} dev, {} test pairs (seed {})",
            out, corpus.train.size(), corpus.dev.size(), corpus.test.size(), seed);
  return 0;
}

}  // namespace nmt
