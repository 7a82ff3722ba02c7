// rnnsearch.cpp — RNNsearch forward, backward and decoding step.
#include "model/rnnsearch.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>

#include "model/column_sums.hpp"
#include "model/dnnl_backend.hpp"
#include "model/embedding.hpp"
#include "model/gru_cell.hpp"

namespace nmt {
namespace {

constexpr std::uint64_t kDropoutSiteSource = 1, kDropoutSiteTarget = 2;

std::size_t sz(int x) { return static_cast<std::size_t>(x); }

}  // namespace

RnnSearch::RnnSearch(const ModelConfig& config, int source_vocab, int target_vocab)
    : config_(config),
      source_vocab_(source_vocab),
      target_vocab_(target_vocab),
      E_(config.embed_dim),
      H_(config.encoder_hidden),
      C_(2 * config.encoder_hidden),
      D_(config.decoder_hidden),
      A_(config.attention_dim),
      O_(config.output_dim),
      In_(config.decoder_hidden + 2 * config.encoder_hidden + config.embed_dim),
      source_embedding_("embed.source", source_vocab, config.embed_dim, /*output_matrix_init=*/false),
      // Tied, the target embedding is also the output matrix W_z and starts as W_z would.
      target_embedding_("embed.target", target_vocab, config.embed_dim,
                        /*output_matrix_init=*/config.tie_embeddings),
      encoder_(config.embed_dim, config.encoder_hidden, config.encoder_layers),
      initial_state_(2 * config.encoder_hidden, config.decoder_hidden),
      attention_(config.attention, 2 * config.encoder_hidden, config.decoder_hidden, config.attention_dim),
      output_input_{config.decoder_hidden, 2 * config.encoder_hidden, config.embed_dim},
      output_(In_, config.output_dim, target_vocab, config.tie_embeddings ? "embed.target" : "") {
  if (config.tie_embeddings && O_ != E_)
    throw std::invalid_argument("tied embeddings need output_dim = embed_dim");
  // This order is the flat buffer's and the initialisation's: changing it changes the weights.
  source_embedding_.declare(layout_);
  target_embedding_.declare(layout_);
  encoder_.declare(layout_);
  initial_state_.declare(layout_);
  attention_.declare(layout_);
  layout_.add("decoder.gru.W_y", {E_, 3, D_}, InitKind::glorot, 1, D_, E_ + C_);
  layout_.add("decoder.gru.W_c", {C_, 3, D_}, InitKind::glorot, 1, D_, E_ + C_);
  layout_.add("decoder.gru.U", {D_, 3, D_}, InitKind::orthogonal, 3, D_, D_);
  layout_.add("decoder.gru.b_x", {3, D_}, InitKind::zeros);
  layout_.add("decoder.gru.b_h", {3, D_}, InitKind::zeros);
  output_.declare(layout_);
}

RnnSearch::~RnnSearch() = default;

template <class T>
RnnSearchTensors<T> RnnSearch::bind_any(T* base) const {
  const auto at = [&](const std::string& name) { return tensor_at(layout_, base, name); };
  RnnSearchTensors<T> t;
  t.embed_source = source_embedding_.bind(layout_, base);
  t.embed_target = target_embedding_.bind(layout_, base);
  t.encoder = encoder_.bind(layout_, base);
  t.initial_state = initial_state_.bind(layout_, base);
  t.attention = attention_.bind(layout_, base);
  t.W_y = at("decoder.gru.W_y");
  t.W_c = at("decoder.gru.W_c");
  t.U = at("decoder.gru.U");
  t.b_x = at("decoder.gru.b_x");
  t.b_h = at("decoder.gru.b_h");
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

void RnnSearch::recurrent_step(const RnnSearchTensors<const float>& w, const EncoderState& encoder,
                               const float* s_prev, float* gx, float* gh, float* q, float* alpha,
                               float* c, float* gates, float* hidden_n, float* s) const {
  const int N = encoder.rows;
  attention_.query_forward(w.attention, N, s_prev, q);
  attention_.context_forward(w.attention, N, encoder.steps, encoder.lengths.data(),
                             encoder.source_row.empty() ? nullptr : encoder.source_row.data(),
                             encoder.h.data(), encoder.keys.data(), q, alpha, c);
  gemm_a_b(N, 3 * D_, C_, c, w.W_c, gx, /*accumulate=*/true);
  gemm_a_b(N, 3 * D_, D_, s_prev, w.U, gh, /*accumulate=*/false, w.b_h);
  gru_cell_forward(N, D_, gx, gh, s_prev, s, gates, hidden_n);
}

LossSums RnnSearch::forward(const float* params, const Batch& batch, const TrainingContext& context,
                            Cache& cache) const {
  const auto w = bind(params);
  const int B = batch.batch, S = batch.source_steps, T = batch.target_steps;
  const int K = attention_.key_size();
  const std::size_t BS = sz(B) * S, TB = sz(T) * B;
  if (batch.target_lengths.empty()) throw std::invalid_argument("RnnSearch::forward: batch has no targets");

  // Encoder: x = dropout(Emb_s[src]) (B, S, E) -> h (B, S, C); keys once per batch.
  cache.x_source.resize(BS * E_);
  embedding_forward(w.embed_source, E_, batch.source.data(), BS, cache.x_source.data());
  dropout_forward(context.dropout, kDropoutSiteSource, cache.x_source.data(), cache.x_source.size(),
                  cache.x_source.data(), cache.x_source_mask);
  encoder_.forward(w.encoder, B, S, batch.source_lengths.data(), cache.x_source.data(), cache.encoder);
  EncoderState& memory = cache.memory;
  memory.rows = B;
  memory.steps = S;
  memory.lengths = batch.source_lengths;
  memory.h = cache.encoder.outputs.back();
  memory.keys.resize(BS * K);
  attention_.keys_forward(w.attention, static_cast<int>(BS), memory.h.data(), memory.keys.data());

  // s_0, target embeddings (T, B, E) and their GRU input part W_y y' + b_x for all steps.
  cache.states.resize((TB + B) * D_);
  cache.mean.resize(sz(B) * C_);
  initial_state_.forward(w.initial_state, memory, cache.mean.data(), cache.states.data());
  cache.target_input.resize(TB);
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) cache.target_input[sz(t) * B + b] = batch.target_input[sz(b) * T + t];
  cache.y.resize(TB * E_);
  embedding_forward(w.embed_target, E_, cache.target_input.data(), TB, cache.y.data());
  dropout_forward(context.dropout, kDropoutSiteTarget, cache.y.data(), cache.y.size(), cache.y.data(),
                  cache.y_mask);
  std::vector<float> gx(TB * 3 * D_), gh(sz(B) * 3 * D_);
  gemm_a_b(static_cast<int>(TB), 3 * D_, E_, cache.y.data(), w.W_y, gx.data(), false, w.b_x);

  // The recurrence: only what truly depends on s_{t-1} runs per step.
  cache.queries.resize(TB * K);
  cache.alphas.resize(TB * S);
  cache.contexts.resize(TB * C_);
  cache.gates.resize(TB * 3 * D_);
  cache.hidden_n.resize(TB * D_);
  for (int t = 0; t < T; ++t) {
    const std::size_t row = sz(t) * B;
    recurrent_step(w, memory, cache.states.data() + row * D_, gx.data() + row * 3 * D_, gh.data(),
                   cache.queries.data() + row * K, cache.alphas.data() + row * S,
                   cache.contexts.data() + row * C_, cache.gates.data() + row * 3 * D_,
                   cache.hidden_n.data() + row * D_, cache.states.data() + (row + B) * D_);
  }

  // Deep output, logits and loss over the real target positions, one GEMM each.
  cache.positions.clear();
  cache.targets.clear();
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b)
      if (t < batch.target_lengths[b]) {
        cache.positions.push_back(t * B + b);
        cache.targets.push_back(batch.target_output[sz(b) * T + t]);
      }
  const std::size_t N = cache.positions.size();
  std::vector<float> input(N * In_);  // (N, In) rows [s_t ; c_t ; y'_{t-1}]
  output_input_.concat(N, cache.positions.data(), cache.states.data() + sz(B) * D_,
                       cache.contexts.data(), cache.y.data(), input.data());
  cache.probs.resize(N * target_vocab_);
  output_.forward(w.output, static_cast<int>(N), input.data(), cache.probs.data(), context.dropout,
                  cache.output);
  return cross_entropy_forward(cache.probs.data(), cache.targets.data(), N, target_vocab_,
                               context.label_smoothing);
}

void RnnSearch::backward(const float* params, const Batch& batch, const TrainingContext& context,
                         Cache& cache, float* grads, float scale) const {
  const auto w = bind(params);
  const auto g = bind(grads);
  const int B = batch.batch, S = batch.source_steps, T = batch.target_steps;
  const int K = attention_.key_size();
  const std::size_t BS = sz(B) * S, TB = sz(T) * B, N = cache.positions.size();
  const EncoderState& memory = cache.memory;

  // Loss and output layer, then scatter the input gradient to s_t, c_t and y'_{t-1}.
  cache.dlogits.resize(cache.probs.size());  // reused: no fresh N × V buffer per step
  cross_entropy_backward(cache.probs.data(), cache.dlogits.data(), cache.targets.data(), N, target_vocab_,
                         context.label_smoothing, scale);
  std::vector<float> d_input(N * In_, 0.f);  // zeroed: every backward adds into its gradients
  output_.backward(w.output, g.output, cache.output, cache.dlogits.data(), d_input.data());
  std::vector<float> d_states(TB * D_, 0.f), d_contexts(TB * C_, 0.f), d_y(TB * E_, 0.f);
  output_input_.split_gradient(N, cache.positions.data(), d_input.data(), d_states.data(),
                               d_contexts.data(), d_y.data());

  // The recurrence backwards: per step only the data gradients.
  std::vector<float> d_gx(TB * 3 * D_, 0.f), d_gh(TB * 3 * D_, 0.f), d_q(TB * K, 0.f);
  std::vector<float> d_h(BS * C_, 0.f), d_keys(BS * K, 0.f);
  std::vector<float> carry(sz(B) * D_, 0.f), ds(sz(B) * D_);  // ∂/∂s_t from the future
  for (int t = T - 1; t >= 0; --t) {
    const std::size_t row = sz(t) * B;
    for (std::size_t i = 0; i < ds.size(); ++i) ds[i] = d_states[row * D_ + i] + carry[i];
    std::fill(carry.begin(), carry.end(), 0.f);
    float* dgx = d_gx.data() + row * 3 * D_;
    float* dgh = d_gh.data() + row * 3 * D_;
    float* dc = d_contexts.data() + row * C_;
    float* dq = d_q.data() + row * K;
    gru_cell_backward(B, D_, cache.gates.data() + row * 3 * D_, cache.hidden_n.data() + row * D_,
                      cache.states.data() + row * D_, ds.data(), dgx, dgh, carry.data());
    gemm_a_bt(B, D_, 3 * D_, dgh, w.U, carry.data(), nullptr, /*accumulate=*/true);
    gemm_a_bt(B, C_, 3 * D_, dgx, w.W_c, dc, nullptr, /*accumulate=*/true);
    attention_.context_backward(w.attention, g.attention, B, S, memory.lengths.data(),
                                memory.h.data(), memory.keys.data(), cache.queries.data() + row * K,
                                cache.alphas.data() + row * S, dc, dq, d_h.data(), d_keys.data());
    attention_.query_backward_data(w.attention, B, dq, carry.data());
  }

  // Weight gradients of the decoder, for all steps at once.
  const int rows = static_cast<int>(TB);
  gemm_at_b(E_, 3 * D_, rows, cache.y.data(), d_gx.data(), g.W_y, true);
  gemm_a_bt(rows, E_, 3 * D_, d_gx.data(), w.W_y, d_y.data(), nullptr, true);
  add_column_sums(d_gx.data(), TB, 3 * D_, g.b_x);
  gemm_at_b(C_, 3 * D_, rows, cache.contexts.data(), d_gx.data(), g.W_c, true);
  gemm_at_b(D_, 3 * D_, rows, cache.states.data(), d_gh.data(), g.U, true);
  add_column_sums(d_gh.data(), TB, 3 * D_, g.b_h);
  attention_.query_backward_weights(g.attention, rows, cache.states.data(), d_q.data());
  dropout_backward(cache.y_mask, d_y.data(), d_y.size(), d_y.data());
  embedding_backward(cache.target_input.data(), TB, E_, d_y.data(), g.embed_target);

  // Keys, then s_0, into dh.
  attention_.keys_backward(w.attention, g.attention, static_cast<int>(BS), memory.h.data(),
                           d_keys.data(), d_h.data());
  initial_state_.backward(w.initial_state, g.initial_state, memory, cache.mean.data(),
                          cache.states.data(), carry.data(), d_h.data());

  // Encoder and source embeddings.
  std::vector<float> d_x(BS * E_, 0.f);
  encoder_.backward(w.encoder, g.encoder, cache.encoder, batch.source_lengths.data(),
                    cache.x_source.data(), d_h.data(), d_x.data());
  dropout_backward(cache.x_source_mask, d_x.data(), d_x.size(), d_x.data());
  embedding_backward(batch.source.data(), BS, E_, d_x.data(), g.embed_source);
}

EncoderState RnnSearch::encode(const float* params, const Batch& batch) const {
  const auto w = bind(params);
  const int B = batch.batch, S = batch.source_steps;
  const std::size_t BS = sz(B) * S;
  std::vector<float> x(BS * E_);
  embedding_forward(w.embed_source, E_, batch.source.data(), BS, x.data());
  BiGruEncoder::Cache encoder_cache;
  encoder_.forward(w.encoder, B, S, batch.source_lengths.data(), x.data(), encoder_cache);
  EncoderState state;
  state.rows = B;
  state.steps = S;
  state.lengths = batch.source_lengths;
  state.h = std::move(encoder_cache.outputs.back());
  state.keys.resize(BS * attention_.key_size());
  attention_.keys_forward(w.attention, static_cast<int>(BS), state.h.data(), state.keys.data());
  return state;
}

std::vector<float> RnnSearch::initial_state(const float* params, const EncoderState& encoder) const {
  std::vector<float> mean(sz(encoder.rows) * C_), s0(sz(encoder.rows) * D_);
  initial_state_.forward(bind(params).initial_state, encoder, mean.data(), s0.data());
  return s0;
}

StepOutput RnnSearch::step(const float* params, const EncoderState& encoder,
                           const std::vector<int>& tokens, const std::vector<float>& state) const {
  const auto w = bind(params);
  const int N = encoder.rows;
  if (static_cast<int>(tokens.size()) != N || state.size() != sz(N) * D_)
    throw std::invalid_argument("RnnSearch::step: tokens/state do not match the encoder rows");
  const int K = attention_.key_size();
  std::vector<float> y(sz(N) * E_), gx(sz(N) * 3 * D_), gh(sz(N) * 3 * D_), q(sz(N) * K),
      c(sz(N) * C_), gates(sz(N) * 3 * D_), hidden_n(sz(N) * D_);
  StepOutput out;
  out.state.resize(sz(N) * D_);
  out.alpha.resize(sz(N) * encoder.steps);
  embedding_forward(w.embed_target, E_, tokens.data(), sz(N), y.data());
  gemm_a_b(N, 3 * D_, E_, y.data(), w.W_y, gx.data(), false, w.b_x);
  recurrent_step(w, encoder, state.data(), gx.data(), gh.data(), q.data(), out.alpha.data(),
                 c.data(), gates.data(), hidden_n.data(), out.state.data());
  std::vector<float> input(sz(N) * In_);  // (N, In) rows [s_t ; c_t ; y'_{t-1}]
  output_input_.concat(sz(N), nullptr, out.state.data(), c.data(), y.data(), input.data());
  OutputLayer::Cache output_cache;
  out.log_probs.resize(sz(N) * target_vocab_);
  output_.forward(w.output, N, input.data(), out.log_probs.data(), DropoutContext{}, output_cache);
  log_softmax_rows(out.log_probs.data(), sz(N), target_vocab_);
  return out;
}

}  // namespace nmt
