// flops.cpp — multiply-add counts per source token, target token and sentence.
#include "model/flops.hpp"

namespace nmt {

FlopCount model_flops(const ModelConfig& config, int target_vocab, const Batch& batch) {
  const double E = config.embed_dim, H = config.encoder_hidden, C = 2 * H, D = config.decoder_hidden,
               A = config.attention_dim, O = config.output_dim, V = target_vocab;
  const bool additive = config.attention == AttentionType::additive;
  const double key = additive ? A : C;  // width of keys and queries

  // Per source token: both GRU directions of every layer, and the attention keys.
  double per_source = 2 * 3 * (E + H) * H;
  for (int l = 1; l < config.encoder_layers; ++l) per_source += 2 * 3 * (C + H) * H;
  if (additive) per_source += C * A;
  // Per target token: decoder GRU, query, deep output and logits; scores and context
  // depend on the sentence's source length.
  const double per_target = 3 * (E + C + D) * D + D * key + (D + C + E) * O + O * V;
  const double per_sentence = C * D;  // s_0 = tanh(W_init mean h + b)

  double multiply_adds = 0;
  for (int b = 0; b < batch.batch; ++b) {
    const double source = batch.source_lengths[b];
    const double target = batch.target_lengths.empty() ? 0 : batch.target_lengths[b];
    multiply_adds += source * per_source + target * (per_target + source * (key + C)) + per_sentence;
  }
  return {2 * multiply_adds};
}

}  // namespace nmt
