// config_sections.hpp — the option schema of each config section, bound to its struct.
//
// One function per section: it names every key, its help text and its check. The
// defaults are the structs' own initial values. Cross-key checks live here too, so a
// model or trainer only ever receives validated structs.
#pragma once

#include "app/option_schema.hpp"
#include "data/data_config.hpp"
#include "model/model_config.hpp"
#include "decoding/search_config.hpp"
#include "tokenizer/tokenizer_config.hpp"
#include "training/train_config.hpp"

namespace nmt {

// [data]: the languages and the training corpus are required.
void add_data_options(OptionSchema& schema, DataConfig& config);
void add_tokenizer_options(OptionSchema& schema, TokenizerConfig& config);
void add_model_options(OptionSchema& schema, ModelConfig& config);
void add_train_options(OptionSchema& schema, TrainConfig& config);
void add_search_options(OptionSchema& schema, SearchConfig& config);

// Everything a training run is configured by: the sections of a training config file.
struct RunConfig {
  DataConfig data;
  TokenizerConfig tokenizer;
  ModelConfig model;
  TrainConfig train;
  SearchConfig search;  // decoding during validation
};

void add_run_options(OptionSchema& schema, RunConfig& config);

}  // namespace nmt
