// config_sections.cpp — the sections of a training config file, in their order.
#include "app/config_sections.hpp"

namespace nmt {

void add_run_options(OptionSchema& schema, RunConfig& config) {
  add_data_options(schema, config.data);
  add_tokenizer_options(schema, config.tokenizer);
  add_model_options(schema, config.model);
  add_train_options(schema, config.train);
  add_search_options(schema, config.search);
}

}  // namespace nmt
