// rnnsearch.cpp — RNNsearch forward, backward and decoding step, as lists of layer calls.
#include "model/rnnsearch.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace nmt {
namespace {

constexpr std::uint64_t kDropoutSiteSource = 1, kDropoutSiteTarget = 2, kDropoutSiteSourceTokens = 3,
                        kDropoutSiteTargetTokens = 4, kDropoutSiteState = 5;

DropoutContext at_rate(DropoutContext context, float rate) {
  context.rate = rate;
  return context;
}

std::size_t sz(int x) { return static_cast<std::size_t>(x); }

// The N real target positions t·B + b (t < length_b), in (t, b) order, and their targets.
void pack_real_positions(const Batch& batch, std::vector<int>& positions, std::vector<int>& targets) {
  const int B = batch.batch, T = batch.target_steps;
  positions.clear();
  targets.clear();
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      if (t < batch.target_lengths[b]) {
        positions.push_back(t * B + b);
        targets.push_back(batch.target_output[sz(b) * T + t]);
      }
}

}  // namespace

RnnSearch::RnnSearch(const ModelConfig& config, int source_vocab, int target_vocab)
    : config_(config),
      source_vocab_(source_vocab),
      target_vocab_(target_vocab),
      E_(config.embed_dim),
      C_(2 * config.encoder_hidden),
      D_(config.decoder_hidden),
      source_embedding_("embed.source", source_vocab, E_, /*output_matrix_init=*/false),
      // Tied, the target embedding is also the output matrix W_z and starts as W_z would.
      target_embedding_("embed.target", target_vocab, E_, /*output_matrix_init=*/config.tie_embeddings),
      encoder_(E_, config.encoder_hidden, config.encoder_layers),
      initial_state_(C_, D_),
      decoder_step_(config.attention, E_, C_, D_, config.attention_dim),
      output_input_{D_, C_, E_},
      output_(output_input_.size(), config.output_dim, target_vocab,
              config.tie_embeddings ? "embed.target" : "") {
  if (config.tie_embeddings && config.output_dim != E_)
    throw std::invalid_argument("tied embeddings need output_dim = embed_dim");
  // This order is the flat buffer's and the initialisation's: changing it changes the weights.
  source_embedding_.declare(layout_);
  target_embedding_.declare(layout_);
  encoder_.declare(layout_);
  initial_state_.declare(layout_);
  decoder_step_.declare(layout_);
  output_.declare(layout_);
}

RnnSearch::~RnnSearch() = default;

template <class T>
RnnSearchTensors<T> RnnSearch::bind_any(T* base) const {
  RnnSearchTensors<T> t;
  t.embed_source = source_embedding_.bind(layout_, base);
  t.embed_target = target_embedding_.bind(layout_, base);
  t.encoder = encoder_.bind(layout_, base);
  t.initial_state = initial_state_.bind(layout_, base);
  t.decoder = decoder_step_.bind(layout_, base);
  t.output = output_.bind(layout_, base);
  return t;
}

RnnSearchTensors<const float> RnnSearch::bind(const float* base) const { return bind_any(base); }
RnnSearchTensors<float> RnnSearch::bind(float* base) const { return bind_any(base); }

std::vector<float> RnnSearch::initial_parameters(std::uint64_t seed) const {
  std::vector<float> values;
  layout_.initialise(values, seed);
  return values;
}

std::unique_ptr<RnnSearch::Cache> RnnSearch::make_cache() const { return std::make_unique<Cache>(); }

void RnnSearch::encode_into(const RnnSearchTensors<const float>& w, const Batch& batch,
                            const TrainingContext& context, std::vector<float>& x,
                            std::vector<float>& x_mask, BiGruEncoder::Cache& encoder,
                            EncoderState& memory) const {
  const int B = batch.batch, S = batch.source_steps;
  const std::size_t BS = sz(B) * S;
  x.resize(BS * E_);
  embedding_forward(w.embed_source, E_, batch.source.data(), BS, x.data());
  dropout_forward(context.dropout, kDropoutSiteSource, x.data(), x.size(), x.data(), x_mask);
  row_dropout_forward(at_rate(context.dropout, context.token_dropout), kDropoutSiteSourceTokens, x.data(),
                      BS, sz(E_), x_mask);
  encoder_.forward(w.encoder, B, S, batch.source_lengths.data(), x.data(), encoder);
  memory.rows = B;
  memory.steps = S;
  memory.lengths = batch.source_lengths;
  memory.source_row.clear();
  memory.h = encoder.outputs.back();
  decoder_step_.keys_forward(w.decoder, memory);
}

void RnnSearch::embed_target_inputs(const RnnSearchTensors<const float>& w, const Batch& batch,
                                    const TrainingContext& context, Cache& cache) const {
  const int B = batch.batch, T = batch.target_steps;
  const std::size_t TB = sz(T) * B;
  cache.target_input.resize(TB);
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) cache.target_input[sz(t) * B + b] = batch.target_input[sz(b) * T + t];
  cache.y.resize(TB * E_);
  embedding_forward(w.embed_target, E_, cache.target_input.data(), TB, cache.y.data());
  dropout_forward(context.dropout, kDropoutSiteTarget, cache.y.data(), cache.y.size(), cache.y.data(),
                  cache.y_mask);
  row_dropout_forward(at_rate(context.dropout, context.token_dropout), kDropoutSiteTargetTokens,
                      cache.y.data(), TB, sz(E_), cache.y_mask);
}

LossSums RnnSearch::forward(const float* params, const Batch& batch, const TrainingContext& context,
                            Cache& cache) const {
  if (batch.target_lengths.empty()) throw std::invalid_argument("RnnSearch::forward: batch has no targets");
  const auto w = bind(params);
  const int B = batch.batch, T = batch.target_steps;
  const std::size_t TB = sz(T) * B;

  // Encoder: h (B, S, C) and the keys once per batch; s_0 from the mean of h.
  encode_into(w, batch, context, cache.x_source, cache.x_source_mask, cache.encoder,
              cache.memory);
  cache.states.resize((TB + B) * D_);
  cache.mean.resize(sz(B) * C_);
  initial_state_.forward(w.initial_state, cache.memory, cache.mean.data(), cache.states.data());

  // y' (T, B, E), its GRU input part W_y y' + b_x for all steps in one product, then the
  // recurrence: only what truly depends on s_{t-1} runs per step.
  embed_target_inputs(w, batch, context, cache);
  std::vector<float> gx(TB * 3 * D_), gh(sz(B) * 3 * D_);
  decoder_step_.input_forward(w.decoder, static_cast<int>(TB), cache.y.data(), gx.data());
  decoder_step_.resize(cache.steps, TB, batch.source_steps);
  // Recurrent dropout: one mask m (B, D) per batch row, the same at every step.
  dropout_mask(at_rate(context.dropout, context.recurrent_dropout), kDropoutSiteState, sz(B) * D_,
               cache.state_mask);
  cache.states_read.resize(cache.state_mask.empty() ? 0 : TB * D_);
  for (int t = 0; t < T; ++t) {
    const std::size_t row = sz(t) * B;
    const float* s_prev = cache.states.data() + row * D_;
    const float* s_read = s_prev;
    if (!cache.state_mask.empty()) {
      float* dropped = cache.states_read.data() + row * D_;
      for (std::size_t i = 0; i < sz(B) * D_; ++i) dropped[i] = s_prev[i] * cache.state_mask[i];
      s_read = dropped;
    }
    decoder_step_.forward(w.decoder, cache.memory, s_prev, s_read, gx.data() + row * 3 * D_, gh.data(),
                          cache.steps, row, cache.states.data() + (row + B) * D_);
  }

  // Deep output, logits and loss over the N real target positions, one product each.
  pack_real_positions(batch, cache.positions, cache.targets);
  const std::size_t N = cache.positions.size();
  std::vector<float> input(N * output_input_.size());  // (N, In) rows [s_t ; c_t ; y'_{t-1}]
  output_input_.concat(N, cache.positions.data(), cache.states.data() + sz(B) * D_,
                       cache.steps.contexts.data(), cache.y.data(), input.data());
  cache.probs.resize(N * target_vocab_);
  output_.forward(w.output, static_cast<int>(N), input.data(), cache.probs.data(), context.dropout,
                  cache.output);
  return cross_entropy_forward(cache.probs.data(), cache.targets.data(), N, target_vocab_,
                               context.label_smoothing);
}

void RnnSearch::output_backward(const RnnSearchTensors<const float>& w, const RnnSearchTensors<float>& g,
                                const TrainingContext& context, Cache& cache, float scale,
                                float* d_states, float* d_contexts, float* d_y) const {
  const std::size_t N = cache.positions.size();
  cache.dlogits.resize(cache.probs.size());  // reused: no fresh N × V buffer per step
  cross_entropy_backward(cache.probs.data(), cache.dlogits.data(), cache.targets.data(), N,
                         target_vocab_, context.label_smoothing, scale);
  std::vector<float> d_input(N * output_input_.size(), 0.f);  // (N, In)
  output_.backward(w.output, g.output, cache.output, cache.dlogits.data(), d_input.data());
  output_input_.split_gradient(N, cache.positions.data(), d_input.data(), d_states, d_contexts, d_y);
}

void RnnSearch::backward(const float* params, const Batch& batch, const TrainingContext& context,
                         Cache& cache, float* grads, float scale) const {
  const auto w = bind(params);
  const auto g = bind(grads);
  const int B = batch.batch, T = batch.target_steps;
  const std::size_t BS = sz(B) * batch.source_steps, TB = sz(T) * B;
  const EncoderState& memory = cache.memory;
  // Every gradient buffer below starts at zero; each layer's backward adds into it.
  std::vector<float> d_states(TB * D_, 0.f), d_contexts(TB * C_, 0.f), d_y(TB * E_, 0.f);
  output_backward(w, g, context, cache, scale, d_states.data(), d_contexts.data(), d_y.data());

  // The recurrence backwards, per step only the data gradients; ds_prev carries ∂s_{t-1}.
  DecoderStep::Gradients d_steps = decoder_step_.zero_gradients(TB);
  std::vector<float> d_h(BS * C_, 0.f), d_keys(BS * decoder_step_.key_size(), 0.f);
  // With recurrent dropout the products' share ∂s̃_{t−1} comes back through the mask.
  const std::vector<float>& mask = cache.state_mask;
  std::vector<float> ds(sz(B) * D_), ds_prev(sz(B) * D_, 0.f), ds_read(mask.empty() ? 0 : sz(B) * D_);
  for (int t = T - 1; t >= 0; --t) {
    const std::size_t row = sz(t) * B;
    for (std::size_t i = 0; i < ds.size(); ++i) ds[i] = d_states[row * D_ + i] + ds_prev[i];
    std::fill(ds_prev.begin(), ds_prev.end(), 0.f);
    std::fill(ds_read.begin(), ds_read.end(), 0.f);
    decoder_step_.backward(w.decoder, g.decoder, memory, cache.states.data() + row * D_, cache.steps,
                           row, ds.data(), d_contexts.data() + row * C_, d_steps, ds_prev.data(),
                           mask.empty() ? ds_prev.data() : ds_read.data(), d_h.data(), d_keys.data());
    for (std::size_t i = 0; i < ds_read.size(); ++i) ds_prev[i] += ds_read[i] * mask[i];
  }

  // The decoder's weights for all steps at once, then y' and the target embeddings.
  const int rows = static_cast<int>(TB);
  decoder_step_.backward_weights(g.decoder, rows, cache.y.data(),
                                 mask.empty() ? cache.states.data() : cache.states_read.data(),
                                 cache.steps, d_steps);
  decoder_step_.input_backward(w.decoder, rows, d_steps, d_y.data());
  dropout_backward(cache.y_mask, d_y.data(), d_y.size(), d_y.data());
  embedding_backward(cache.target_input.data(), TB, E_, d_y.data(), g.embed_target);

  // Keys and s_0 into dh (ds_prev now holds ∂s_0), then the encoder and source embeddings.
  decoder_step_.keys_backward(w.decoder, g.decoder, memory, d_keys.data(), d_h.data());
  initial_state_.backward(w.initial_state, g.initial_state, memory, cache.mean.data(),
                          cache.states.data(), ds_prev.data(), d_h.data());
  std::vector<float> d_x(BS * E_, 0.f);
  encoder_.backward(w.encoder, g.encoder, cache.encoder, batch.source_lengths.data(),
                    cache.x_source.data(), d_h.data(), d_x.data());
  dropout_backward(cache.x_source_mask, d_x.data(), d_x.size(), d_x.data());
  embedding_backward(batch.source.data(), BS, E_, d_x.data(), g.embed_source);
}

EncoderState RnnSearch::encode(const float* params, const Batch& batch) const {
  std::vector<float> x, x_mask;
  BiGruEncoder::Cache encoder_cache;
  EncoderState memory;
  encode_into(bind(params), batch, TrainingContext{}, x, x_mask, encoder_cache, memory);
  return memory;
}

std::vector<float> RnnSearch::initial_state(const float* params, const EncoderState& encoder) const {
  std::vector<float> mean(sz(encoder.rows) * C_), s0(sz(encoder.rows) * D_);
  initial_state_.forward(bind(params).initial_state, encoder, mean.data(), s0.data());
  return s0;
}

StepOutput RnnSearch::step(const float* params, const EncoderState& encoder,
                           const std::vector<int>& tokens, const std::vector<float>& state,
                           const OutputColumns* columns) const {
  const auto w = bind(params);
  const int N = encoder.rows;
  if (static_cast<int>(tokens.size()) != N || state.size() != sz(N) * D_)
    throw std::invalid_argument("RnnSearch::step: tokens/state do not match the encoder rows");
  std::vector<float> y(sz(N) * E_), gx(sz(N) * 3 * D_), gh(sz(N) * 3 * D_);
  embedding_forward(w.embed_target, E_, tokens.data(), sz(N), y.data());
  decoder_step_.input_forward(w.decoder, N, y.data(), gx.data());
  DecoderStep::Activations activations;
  decoder_step_.resize(activations, sz(N), encoder.steps);
  StepOutput out;
  out.state.resize(sz(N) * D_);
  decoder_step_.forward(w.decoder, encoder, state.data(), state.data(), gx.data(), gh.data(),
                        activations, 0, out.state.data());
  std::vector<float> input(sz(N) * output_input_.size());  // (N, In) rows [s_t ; c_t ; y'_{t-1}]
  output_input_.concat(sz(N), nullptr, out.state.data(), activations.contexts.data(), y.data(),
                       input.data());
  OutputLayer::Cache output_cache;
  if (!columns) {
    out.log_probs.resize(sz(N) * target_vocab_);
    output_.forward(w.output, N, input.data(), out.log_probs.data(), DropoutContext{}, output_cache);
    log_softmax_rows(out.log_probs.data(), sz(N), target_vocab_);
  } else {
    const std::size_t U = sz(columns->count);
    out.log_probs.resize(sz(N) * U);
    output_.forward_columns(w.output, N, input.data(), *columns, out.log_probs.data(), output_cache);
    for (std::size_t r = 0; r < sz(N); ++r) {
      const std::uint8_t* allowed = columns->allowed + sz(columns->row_sentence[r]) * U;
      float* row = out.log_probs.data() + r * U;
      for (std::size_t u = 0; u < U; ++u)
        if (!allowed[u]) row[u] = -std::numeric_limits<float>::infinity();
    }
    log_softmax_rows(out.log_probs.data(), sz(N), columns->count);
  }
  out.alpha = std::move(activations.alphas);  // (N, S)
  return out;
}

}  // namespace nmt
