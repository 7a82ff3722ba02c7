// corpus_loading.hpp — reads a configured corpus split and logs what was read.
#pragma once

#include <string>

#include "data/data_config.hpp"
#include "data/parallel_corpus.hpp"

namespace nmt {

// Reads PREFIX.{source_lang,target_lang}[.gz] for `split` ("train", "dev", "test"),
// applying config.read, and logs the pair count, the skipped lines and the first
// problems under [data]. Throws std::runtime_error naming the files on failure.
ParallelCorpus load_corpus(const DataConfig& config, const std::string& prefix,
                           const std::string& split);

}  // namespace nmt
