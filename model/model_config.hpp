// model_config.hpp — typed hyper-parameters of the network (docs/model.md's symbols).
//
// Vocabulary sizes are not here: they come from the trained tokenizers.
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace nmt {

enum class AttentionType { additive, dot, scaled_dot };

constexpr auto enum_names(AttentionType) {
  return std::array<std::pair<AttentionType, std::string_view>, 3>{
      {{AttentionType::additive, "additive"},
       {AttentionType::dot, "dot"},
       {AttentionType::scaled_dot, "scaled_dot"}}};
}

struct ModelConfig {
  int embed_dim = 256;        // E: source and target embedding size
  int encoder_hidden = 256;   // H: encoder GRU size per direction
  int encoder_layers = 1;     // stacked bidirectional encoder layers
  int decoder_hidden = 512;   // D: decoder GRU size
  int attention_dim = 512;    // A: additive attention size
  int output_dim = 256;       // O: deep-output size
  AttentionType attention = AttentionType::additive;
  double dropout = 0.3;       // on embeddings and the deep output's input and output
  bool tie_embeddings = false;  // share Emb_t with the output matrix W_z (needs O = E)
};

}  // namespace nmt
