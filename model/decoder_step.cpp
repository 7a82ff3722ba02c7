// decoder_step.cpp — one attentional GRU decoder step, forward, per-step backward and the
// batched weight gradients.
#include "model/decoder_step.hpp"

#include "model/column_sums.hpp"
#include "model/dnnl_backend.hpp"
#include "model/gru_cell.hpp"

namespace nmt {

DecoderStep::DecoderStep(AttentionType attention, int embed_size, int context_size, int state_size,
                         int attention_size)
    : attention_(attention, context_size, state_size, attention_size),
      embed_size_(embed_size),
      context_size_(context_size),
      state_size_(state_size) {}

void DecoderStep::declare(ParameterLayout& layout) const {
  const int E = embed_size_, C = context_size_, D = state_size_;
  attention_.declare(layout);
  // W_y and W_c are one (E + C)-input matrix split in two: Glorot over both fans.
  layout.add("decoder.gru.W_y", {E, 3, D}, InitKind::glorot, 1, D, E + C);
  layout.add("decoder.gru.W_c", {C, 3, D}, InitKind::glorot, 1, D, E + C);
  layout.add("decoder.gru.U", {D, 3, D}, InitKind::orthogonal, 3, D, D);
  layout.add("decoder.gru.b_x", {3, D}, InitKind::zeros);
  layout.add("decoder.gru.b_h", {3, D}, InitKind::zeros);
}

template <class T>
DecoderStepTensors<T> DecoderStep::bind(const ParameterLayout& layout, T* base) const {
  DecoderStepTensors<T> t;
  t.attention = attention_.bind(layout, base);
  t.W_y = tensor_at(layout, base, "decoder.gru.W_y");
  t.W_c = tensor_at(layout, base, "decoder.gru.W_c");
  t.U = tensor_at(layout, base, "decoder.gru.U");
  t.b_x = tensor_at(layout, base, "decoder.gru.b_x");
  t.b_h = tensor_at(layout, base, "decoder.gru.b_h");
  return t;
}

template DecoderStepTensors<float> DecoderStep::bind(const ParameterLayout&, float*) const;
template DecoderStepTensors<const float> DecoderStep::bind(const ParameterLayout&, const float*) const;

void DecoderStep::resize(Activations& a, std::size_t rows, int source_steps) const {
  const std::size_t K = static_cast<std::size_t>(key_size()), D = static_cast<std::size_t>(state_size_);
  a.queries.resize(rows * K);
  a.alphas.resize(rows * static_cast<std::size_t>(source_steps));
  a.contexts.resize(rows * static_cast<std::size_t>(context_size_));
  a.gates.resize(rows * 3 * D);
  a.hidden_n.resize(rows * D);
}

DecoderStep::Gradients DecoderStep::zero_gradients(std::size_t rows) const {
  const std::size_t D = static_cast<std::size_t>(state_size_);
  Gradients d;
  d.gx.assign(rows * 3 * D, 0.f);
  d.gh.assign(rows * 3 * D, 0.f);
  d.query.assign(rows * static_cast<std::size_t>(key_size()), 0.f);
  return d;
}

void DecoderStep::keys_forward(const DecoderStepTensors<const float>& w, EncoderState& memory) const {
  const std::size_t positions = memory.h.size() / static_cast<std::size_t>(context_size_);
  memory.keys.resize(positions * static_cast<std::size_t>(key_size()));
  attention_.keys_forward(w.attention, static_cast<int>(positions), memory.h.data(), memory.keys.data());
}

void DecoderStep::keys_backward(const DecoderStepTensors<const float>& w,
                                const DecoderStepTensors<float>& g, const EncoderState& memory,
                                const float* dkeys, float* dh) const {
  const std::size_t positions = memory.h.size() / static_cast<std::size_t>(context_size_);
  attention_.keys_backward(w.attention, g.attention, static_cast<int>(positions), memory.h.data(),
                           dkeys, dh);
}

void DecoderStep::input_forward(const DecoderStepTensors<const float>& w, int rows, const float* y,
                                float* gx) const {
  gemm_a_b(rows, 3 * state_size_, embed_size_, y, w.W_y, gx, /*accumulate=*/false, w.b_x);
}

void DecoderStep::input_backward(const DecoderStepTensors<const float>& w, int rows,
                                 const Gradients& d, float* dy) const {
  gemm_a_bt(rows, embed_size_, 3 * state_size_, d.gx.data(), w.W_y, dy, nullptr, /*accumulate=*/true);
}

void DecoderStep::forward(const DecoderStepTensors<const float>& w, const EncoderState& memory,
                          const float* s_prev, const float* s_read, float* gx, float* gh,
                          Activations& a, std::size_t row, float* s) const {
  const int N = memory.rows, C = context_size_, D = state_size_;
  const std::size_t S = static_cast<std::size_t>(memory.steps), K = static_cast<std::size_t>(key_size());
  float* q = a.queries.data() + row * K;
  float* alpha = a.alphas.data() + row * S;
  float* c = a.contexts.data() + row * C;
  attention_.query_forward(w.attention, N, s_read, q);
  attention_.context_forward(w.attention, N, memory.steps, memory.lengths.data(),
                             memory.source_row.empty() ? nullptr : memory.source_row.data(),
                             memory.h.data(), memory.keys.data(), q, alpha, c);
  gemm_a_b(N, 3 * D, C, c, w.W_c, gx, /*accumulate=*/true);
  gemm_a_b(N, 3 * D, D, s_read, w.U, gh, /*accumulate=*/false, w.b_h);
  gru_cell_forward(N, D, gx, gh, s_prev, s, a.gates.data() + row * 3 * D, a.hidden_n.data() + row * D);
}

void DecoderStep::backward(const DecoderStepTensors<const float>& w, const DecoderStepTensors<float>& g,
                           const EncoderState& memory, const float* s_prev, const Activations& a,
                           std::size_t row, const float* ds, float* dc, Gradients& d, float* ds_prev,
                           float* ds_read, float* dh, float* dkeys) const {
  const int N = memory.rows, C = context_size_, D = state_size_;
  const std::size_t S = static_cast<std::size_t>(memory.steps), K = static_cast<std::size_t>(key_size());
  float* dgx = d.gx.data() + row * 3 * D;
  float* dgh = d.gh.data() + row * 3 * D;
  float* dq = d.query.data() + row * K;
  // s = GRU(gx, gh, s_prev); gh = s_read U + b_h; gx ∋ c W_c
  gru_cell_backward(N, D, a.gates.data() + row * 3 * D, a.hidden_n.data() + row * D, s_prev, ds,
                    dgx, dgh, ds_prev);
  gemm_a_bt(N, D, 3 * D, dgh, w.U, ds_read, nullptr, /*accumulate=*/true);
  gemm_a_bt(N, C, 3 * D, dgx, w.W_c, dc, nullptr, /*accumulate=*/true);
  // α, c = attention(q, keys, h); q = query(s_read)
  attention_.context_backward(w.attention, g.attention, N, memory.steps, memory.lengths.data(),
                              memory.h.data(), memory.keys.data(), a.queries.data() + row * K,
                              a.alphas.data() + row * S, dc, dq, dh, dkeys);
  attention_.query_backward_data(w.attention, N, dq, ds_read);
}

void DecoderStep::backward_weights(const DecoderStepTensors<float>& g, int rows, const float* y,
                                   const float* s_read, const Activations& a, const Gradients& d) const {
  const int E = embed_size_, C = context_size_, D = state_size_;
  const std::size_t R = static_cast<std::size_t>(rows);
  gemm_at_b(E, 3 * D, rows, y, d.gx.data(), g.W_y, /*accumulate=*/true);
  add_column_sums(d.gx.data(), R, 3 * D, g.b_x);
  gemm_at_b(C, 3 * D, rows, a.contexts.data(), d.gx.data(), g.W_c, /*accumulate=*/true);
  gemm_at_b(D, 3 * D, rows, s_read, d.gh.data(), g.U, /*accumulate=*/true);
  add_column_sums(d.gh.data(), R, 3 * D, g.b_h);
  attention_.query_backward_weights(g.attention, rows, s_read, d.query.data());
}

}  // namespace nmt
