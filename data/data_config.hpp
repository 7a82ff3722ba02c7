// data_config.hpp — typed settings of the [data] section: which corpus, which languages.
//
// A corpus is named by a prefix; the file for language L is PREFIX.L or PREFIX.L.gz
// (see resolve_corpus_file), so another language pair is a change of two codes.
#pragma once

#include <string>

#include "data/parallel_corpus.hpp"

namespace nmt {

struct DataConfig {
  std::string source_lang;  // e.g. "en"
  std::string target_lang;  // e.g. "de"
  std::string train;        // prefix of the training corpus (required for training)
  std::string dev;          // prefix of the validation corpus ("" = none)
  std::string test;         // prefix of the test corpus ("" = none)
  int max_length = 100;     // training pairs with more subword tokens on either side are dropped
  CorpusReadOptions read;   // over-long / empty / invalid lines
};

}  // namespace nmt
