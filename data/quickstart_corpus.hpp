// quickstart_corpus.hpp — the embedded English→German number-words corpus.
//
// Generated, never stored: numbers 1..999,999 drawn from a seed (number of digits
// uniform, then the value uniform among numbers of that many digits), deduplicated,
// shuffled and split, so train, dev and test share no item. The same seed and sizes
// give the same corpus on every machine (the generator is our own, not <random>'s
// implementation-defined distributions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "data/parallel_corpus.hpp"

namespace nmt {

// Where `nmt generate` writes the corpus unless told otherwise (relative to the working
// directory): DIR/{train,dev,test}.{en,de}, the prefixes configs/quickstart.ini names.
constexpr const char* kQuickstartCorpusDirectory = "data/generated/quickstart";

struct QuickstartCorpusOptions {
  std::uint64_t seed = 1;
  std::size_t train_size = 50000;
  std::size_t dev_size = 1000;
  std::size_t test_size = 1000;
};

struct QuickstartCorpus {
  ParallelCorpus train, dev, test;  // source: English words; target: German words
};

// Throws std::invalid_argument if more items are asked for than distinct numbers exist.
QuickstartCorpus generate_quickstart_corpus(const QuickstartCorpusOptions& options);

// Writes DIR/{train,dev,test}.{en,de} (creating DIR), each file atomically.
void write_quickstart_corpus(const QuickstartCorpus& corpus, const std::string& directory);

}  // namespace nmt
