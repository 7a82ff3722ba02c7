// config_sections.cpp — the sections of a training config file, in their order.
#include "app/config_sections.hpp"

namespace nmt {

void add_run_options(OptionSchema& schema, RunConfig& config) {
  add_data_options(schema, config.data);
  add_tokenizer_options(schema, config.tokenizer);
  add_model_options(schema, config.model);
  add_train_options(schema, config.train);
  add_search_options(schema, config.search);
  schema.add_section("shortlist", config.shortlist);
}

void add_training_sections_file_only(OptionSchema& schema, RunConfig& unused) {
  schema.add_file_only_section("data", unused.data);
  schema.add_file_only_section("tokenizer", unused.tokenizer);
  schema.add_file_only_section("model", unused.model);
  schema.add_file_only_section("train", unused.train);
  schema.add_file_only_section("shortlist", unused.shortlist);
}

}  // namespace nmt
