// attention.hpp — attention scores, masked softmax and context vector, with backward.
//
//   additive:    k_j = U_a h_j (once per batch)   q = W_a s + b_a   e_j = v_aᵀ tanh(q + k_j)
//   dot:         k_j = h_j                         q = W_q s         e_j = qᵀ k_j
//   scaled_dot:  as dot, e_j divided by √(2H)
//   α = softmax_j(e) over j < len (padding gets weight 0)     c = Σ_j α_j h_j
//
// The keys are time-invariant, so they are computed once per batch; the query and the
// context are per decoder step. N rows (sentences or beam hypotheses), S source
// positions, C = 2H context size, D decoder state size, A attention size, K key size
// (A for additive, C otherwise), Q query size (= K).
#pragma once

#include <vector>

#include "model/model_config.hpp"
#include "model/parameters.hpp"

namespace nmt {

template <class T>
struct AttentionTensors {
  T* U_a = nullptr;  // (A, C)  additive
  T* W_a = nullptr;  // (A, D)  additive
  T* b_a = nullptr;  // (A)     additive
  T* v_a = nullptr;  // (A)     additive
  T* W_q = nullptr;  // (C, D)  dot, scaled_dot
};

class Attention {
 public:
  Attention(AttentionType type, int context_size, int state_size, int attention_size);

  AttentionType type() const { return type_; }
  int key_size() const { return type_ == AttentionType::additive ? attention_size_ : context_size_; }

  // Registers attention.U_a, W_a, b_a, v_a (additive) or attention.W_q (dot, scaled_dot).
  void declare(ParameterLayout& layout) const;
  template <class T>
  AttentionTensors<T> bind(const ParameterLayout& layout, T* base) const;

  // keys (N·S, K) from h (N·S, C)
  void keys_forward(const AttentionTensors<const float>& w, int positions, const float* h,
                    float* keys) const;
  // dkeys (N·S, K) -> dU_a accumulated, dh (N·S, C) accumulated
  void keys_backward(const AttentionTensors<const float>& w, const AttentionTensors<float>& g,
                     int positions, const float* h, const float* dkeys, float* dh) const;

  // q (N, K) from s (N, D)
  void query_forward(const AttentionTensors<const float>& w, int rows, const float* s, float* q) const;
  // Per step (the recurrence needs it at once): ds (N, D) += dq (N, K) · W.
  void query_backward_data(const AttentionTensors<const float>& w, int rows, const float* dq,
                           float* ds) const;
  // After the decoder loop, for all M = T·N rows at once: dW += dqᵀ s, db += Σ dq.
  void query_backward_weights(const AttentionTensors<float>& g, int rows, const float* s,
                              const float* dq) const;

  // alpha (N, S) and c (N, C) from the query (N, K), keys (M, S, K), h (M, S, C): row n
  // attends to memory row memory_rows[n] (n itself when memory_rows is null).
  void context_forward(const AttentionTensors<const float>& w, int rows, int steps,
                       const int* lengths, const int* memory_rows, const float* h, const float* keys,
                       const float* q, float* alpha, float* c) const;
  // Given dc (N, C): adds into dq (N, K), dh (N, S, C), dkeys (N, S, K) and dv_a.
  void context_backward(const AttentionTensors<const float>& w, const AttentionTensors<float>& g,
                        int rows, int steps, const int* lengths, const float* h,
                        const float* keys, const float* q, const float* alpha, const float* dc,
                        float* dq, float* dh, float* dkeys) const;

 private:
  // e (S) for one row; positions j >= length are not computed.
  void scores(const float* v_a, int length, const float* keys, const float* q, float* e) const;

  AttentionType type_;
  int context_size_, state_size_, attention_size_;
  float dot_scale_;
};

}  // namespace nmt
