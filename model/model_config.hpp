// model_config.hpp — typed hyper-parameters of the network (docs/model.md's symbols).
//
// Vocabulary sizes are not here: they come from the trained tokenizers.
#pragma once

#include <array>
#include <string_view>
#include <string>
#include <utility>

#include "core/fields.hpp"

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

  // Every key of [model] (core/fields.hpp), also stored as model.KEY in model files.
  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"embed_dim", "E: embedding size"}, self.embed_dim, in_range(1, 8192));
    visit(FieldSpec{"encoder_hidden", "H: encoder GRU size per direction"}, self.encoder_hidden, in_range(1, 8192));
    visit(FieldSpec{"encoder_layers", "stacked bidirectional encoder layers"}, self.encoder_layers, in_range(1, 16));
    visit(FieldSpec{"decoder_hidden", "D: decoder GRU size"}, self.decoder_hidden, in_range(1, 8192));
    visit(FieldSpec{"attention_dim", "A: additive attention size"}, self.attention_dim, in_range(1, 8192));
    visit(FieldSpec{"output_dim", "O: deep-output size"}, self.output_dim, in_range(1, 8192));
    visit(FieldSpec{"attention", "attention score"}, self.attention, any_value<AttentionType>());
    visit(FieldSpec{"dropout", "dropout on embeddings and the deep output's input and output"}, self.dropout,
          in_range(0.0, 0.9));
    visit(FieldSpec{"tie_embeddings",
                    "share the target embedding with the output matrix (needs output_dim = embed_dim)"},
          self.tie_embeddings, any_value<bool>());
  }
  template <class Report>
  static void relations(const ModelConfig& c, Report&& report) {
    report("tie_embeddings", c.tie_embeddings && c.output_dim != c.embed_dim
                                 ? "needs model.output_dim (" + std::to_string(c.output_dim) +
                                       ") = model.embed_dim (" + std::to_string(c.embed_dim) + ")"
                                 : std::string());
  }
};

}  // namespace nmt
