// config_sections.hpp — the config sections a command reads, registered on its schema.
//
// Each section's keys, help texts, checks and cross-key checks are declared once, beside
// its struct (DataConfig, TokenizerConfig, ModelConfig, TrainConfig, SearchConfig: their
// static `fields` and `relations`); the defaults are the structs' own initial values.
// Here they are only named and grouped, so a model or trainer only ever receives
// validated structs.
#pragma once

#include "app/option_schema.hpp"
#include "data/data_config.hpp"
#include "decoding/search_config.hpp"
#include "decoding/shortlist.hpp"
#include "model/model_config.hpp"
#include "tokenizer/tokenizer_config.hpp"
#include "training/train_config.hpp"

namespace nmt {

inline void add_data_options(OptionSchema& schema, DataConfig& config) { schema.add_section("data", config); }
inline void add_tokenizer_options(OptionSchema& schema, TokenizerConfig& config) {
  schema.add_section("tokenizer", config);
}
inline void add_model_options(OptionSchema& schema, ModelConfig& config) { schema.add_section("model", config); }
inline void add_train_options(OptionSchema& schema, TrainConfig& config) { schema.add_section("train", config); }
inline void add_search_options(OptionSchema& schema, SearchConfig& config) { schema.add_section("search", config); }
// [search] of a command that translates with a model file (translate, evaluate, serve),
// with its switch --shortlist (for --search.shortlist=true).
inline void add_translation_search_options(OptionSchema& schema, SearchConfig& config) {
  add_search_options(schema, config);
  schema.add_switch("shortlist", "search.shortlist");
}

// Everything a training run is configured by: the sections of a training config file.
struct RunConfig {
  DataConfig data;
  TokenizerConfig tokenizer;
  ModelConfig model;
  TrainConfig train;
  SearchConfig search;  // decoding during validation
  ShortlistConfig shortlist;  // the shortlist built from the training data for model.nmt
};

void add_run_options(OptionSchema& schema, RunConfig& config);
// For translate and evaluate, which read the [search] of a model's training config: the
// other sections of that file, accepted and checked but unused (bound to `unused`).
void add_training_sections_file_only(OptionSchema& schema, RunConfig& unused);

}  // namespace nmt
