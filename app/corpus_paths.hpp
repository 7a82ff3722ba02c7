// corpus_paths.hpp — the corpus files a training config names, looked up before any work.
//
// A wrong path fails at once, naming the key, where its value came from, the path as
// given and the directory a relative one was taken from (the config file's, or the
// working directory for a flag); a missing quickstart corpus names the `nmt generate`
// command that writes it.
#pragma once

#include "app/option_schema.hpp"
#include "data/data_config.hpp"

namespace nmt {

enum class CorpusSplits { train_only, all };

// Checks that PREFIX.LANG or PREFIX.LANG.gz exists for both languages of data.train (and
// of data.dev and data.test when set, with CorpusSplits::all). Throws std::runtime_error.
void check_corpus_paths(const OptionSchema& schema, const DataConfig& data, CorpusSplits splits);

}  // namespace nmt
