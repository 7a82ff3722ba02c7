// decoder_step.hpp — one step of the attentional GRU decoder, shared by training and search:
//
//   q_t  = query(s̃_{t−1})                 additive: W_a s + b_a; dot, scaled_dot: W_q s
//   α_t, c_t = attention(q_t, keys, h)
//   gx   = [y'_{t−1}·W_y + b_x] + c_t·W_c  the bracket for every step at once (input_forward)
//   gh   = s̃_{t−1}·U + b_h
//   s_t  = GRU cell(gx, gh, s_{t−1})      linear-before-reset, gates (u, r, n)
//
// s̃_{t−1} is the state the products read: s_{t−1} itself, or in training with recurrent
// dropout s_{t−1} ⊙ m, one mask m per sequence for all its steps (Gal & Ghahramani's
// variational dropout); the cell's carry u ⊙ s_{t−1} always reads the state undropped.
//
// Training calls forward once per step t over its B rows and keeps all steps' activations
// time-major (R = T·B rows, step t at row t·B); search calls it once over its N rows
// (row 0). backward gives one step's data gradients; the weight gradients of W_y, W_c, U,
// b_x, b_h and of the query come after the loop, batched over all R rows
// (backward_weights), as does ∂y' (input_backward).
//
// Shapes: N rows of one step, S source positions, E embedding, C = 2H context, D decoder
// state, K key size (A for additive, C otherwise).
#pragma once

#include <cstddef>
#include <vector>

#include "model/attention.hpp"
#include "model/encoder_state.hpp"
#include "model/model_config.hpp"
#include "model/parameters.hpp"

namespace nmt {

template <class T>
struct DecoderStepTensors {
  AttentionTensors<T> attention;
  T* W_y = nullptr;  // (E, 3, D)  decoder.gru.W_y: target-embedding input
  T* W_c = nullptr;  // (C, 3, D)  decoder.gru.W_c: context input
  T* U = nullptr;    // (D, 3, D)  decoder.gru.U: recurrent
  T* b_x = nullptr;  // (3, D)     input-side biases b_u, b_r, b_n
  T* b_h = nullptr;  // (3, D)     hidden-side biases c_u, c_r, c_n (c_n inside the reset product)
};

class DecoderStep {
 public:
  DecoderStep(AttentionType attention, int embed_size, int context_size, int state_size,
              int attention_size);

  int key_size() const { return attention_.key_size(); }

  // Registers the attention's tensors, then decoder.gru.W_y, W_c, U, b_x, b_h.
  void declare(ParameterLayout& layout) const;
  template <class T>
  DecoderStepTensors<T> bind(const ParameterLayout& layout, T* base) const;

  // What forward leaves for backward, for R rows.
  struct Activations {
    std::vector<float> queries;   // (R, K)  q_t
    std::vector<float> alphas;    // (R, S)  α_t, 0 at padding
    std::vector<float> contexts;  // (R, C)  c_t
    std::vector<float> gates;     // (R, 3D) u, r, n after activation
    std::vector<float> hidden_n;  // (R, D)  gh_n, read by the GRU backward
  };
  void resize(Activations& a, std::size_t rows, int source_steps) const;
  // ∂ of the step's pre-activations, R rows as Activations: zeroed here, added into by backward.
  struct Gradients {
    std::vector<float> gx;     // (R, 3D)
    std::vector<float> gh;     // (R, 3D)
    std::vector<float> query;  // (R, K)
  };
  Gradients zero_gradients(std::size_t rows) const;

  // Once per batch: memory.keys (M·S, K) from memory.h (M·S, C).
  void keys_forward(const DecoderStepTensors<const float>& w, EncoderState& memory) const;
  // dkeys (M·S, K) -> adds into dU_a and dh (M·S, C).
  void keys_backward(const DecoderStepTensors<const float>& w, const DecoderStepTensors<float>& g,
                     const EncoderState& memory, const float* dkeys, float* dh) const;

  // gx (R, 3D) = y (R, E)·W_y + b_x: the target-embedding part, for all R rows at once.
  void input_forward(const DecoderStepTensors<const float>& w, int rows, const float* y, float* gx) const;
  // dy (R, E) += d.gx · W_yᵀ
  void input_backward(const DecoderStepTensors<const float>& w, int rows, const Gradients& d,
                      float* dy) const;

  // One step over N = memory.rows rows, kept at rows [row, row + N) of a: s_prev (N, D) ->
  // s (N, D); s_read (N, D) is s̃_{t−1} (s_prev when there is no recurrent dropout).
  // gx (N, 3D) holds input_forward's part on entry and gets c·W_c added; gh (N, 3D) is
  // scratch.
  void forward(const DecoderStepTensors<const float>& w, const EncoderState& memory,
               const float* s_prev, const float* s_read, float* gx, float* gh, Activations& a,
               std::size_t row, float* s) const;
  // One step back, at rows [row, row + N) of a and d: from ds (N, D) = ∂s_t and dc (N, C),
  // on entry ∂c_t from the output layer. Adds the GRU's share into dc, then into d's rows,
  // ds_prev (N, D) the carry's share of ∂s_{t−1}, ds_read (N, D) the products' share
  // (∂s̃_{t−1}; it may be ds_prev itself), dh (N, S, C), dkeys (N, S, K) and dv_a.
  // Training only: decoder row n is memory row n.
  void backward(const DecoderStepTensors<const float>& w, const DecoderStepTensors<float>& g,
                const EncoderState& memory, const float* s_prev, const Activations& a,
                std::size_t row, const float* ds, float* dc, Gradients& d, float* ds_prev,
                float* ds_read, float* dh, float* dkeys) const;
  // After the loop, over all R rows at once: adds into dW_y, db_x, dW_c (from y (R, E),
  // a.contexts and d.gx), dU, db_h (from s_read (R, D), s̃ of every step, and d.gh) and
  // the query's weights.
  void backward_weights(const DecoderStepTensors<float>& g, int rows, const float* y,
                        const float* s_read, const Activations& a, const Gradients& d) const;

 private:
  Attention attention_;
  int embed_size_, context_size_, state_size_;
};

}  // namespace nmt
