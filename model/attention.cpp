// attention.cpp — additive and dot-product attention, forward and backward.
#include "model/attention.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "model/column_sums.hpp"
#include "model/dnnl_backend.hpp"
#include "model/fast_math.hpp"

namespace nmt {

Attention::Attention(AttentionType type, int context_size, int state_size, int attention_size)
    : type_(type),
      context_size_(context_size),
      state_size_(state_size),
      attention_size_(attention_size),
      dot_scale_(type == AttentionType::scaled_dot ? 1.f / std::sqrt(static_cast<float>(context_size))
                                                   : 1.f) {}

void Attention::declare(ParameterLayout& layout) const {
  const int A = attention_size_, C = context_size_, D = state_size_;
  if (type_ == AttentionType::additive) {
    layout.add("attention.U_a", {A, C}, InitKind::glorot, 1, A, C);
    layout.add("attention.W_a", {A, D}, InitKind::glorot, 1, A, D);
    layout.add("attention.b_a", {A}, InitKind::zeros);
    layout.add("attention.v_a", {A}, InitKind::glorot, 1, 1, A);
  } else {
    layout.add("attention.W_q", {C, D}, InitKind::glorot, 1, C, D);
  }
}

template <class T>
AttentionTensors<T> Attention::bind(const ParameterLayout& layout, T* base) const {
  AttentionTensors<T> t;
  if (type_ == AttentionType::additive) {
    t.U_a = tensor_at(layout, base, "attention.U_a");
    t.W_a = tensor_at(layout, base, "attention.W_a");
    t.b_a = tensor_at(layout, base, "attention.b_a");
    t.v_a = tensor_at(layout, base, "attention.v_a");
  } else {
    t.W_q = tensor_at(layout, base, "attention.W_q");
  }
  return t;
}

template AttentionTensors<float> Attention::bind(const ParameterLayout&, float*) const;
template AttentionTensors<const float> Attention::bind(const ParameterLayout&, const float*) const;

void Attention::keys_forward(const AttentionTensors<const float>& w, int positions, const float* h,
                             float* keys) const {
  if (type_ == AttentionType::additive)
    gemm_a_bt(positions, attention_size_, context_size_, h, w.U_a, keys);
  else
    std::copy_n(h, static_cast<std::size_t>(positions) * context_size_, keys);
}

void Attention::keys_backward(const AttentionTensors<const float>& w, const AttentionTensors<float>& g,
                              int positions, const float* h, const float* dkeys, float* dh) const {
  if (type_ == AttentionType::additive) {
    gemm_at_b(attention_size_, context_size_, positions, dkeys, h, g.U_a, /*accumulate=*/true);
    gemm_a_b(positions, context_size_, attention_size_, dkeys, w.U_a, dh, /*accumulate=*/true);
  } else {
    const std::size_t n = static_cast<std::size_t>(positions) * context_size_;
    for (std::size_t i = 0; i < n; ++i) dh[i] += dkeys[i];
  }
}

void Attention::query_forward(const AttentionTensors<const float>& w, int rows, const float* s,
                              float* q) const {
  if (type_ == AttentionType::additive)
    gemm_a_bt(rows, attention_size_, state_size_, s, w.W_a, q, w.b_a);
  else
    gemm_a_bt(rows, context_size_, state_size_, s, w.W_q, q);
}

void Attention::query_backward_data(const AttentionTensors<const float>& w, int rows,
                                    const float* dq, float* ds) const {
  const float* W = type_ == AttentionType::additive ? w.W_a : w.W_q;
  gemm_a_b(rows, state_size_, key_size(), dq, W, ds, /*accumulate=*/true);
}

void Attention::query_backward_weights(const AttentionTensors<float>& g, int rows, const float* s,
                                       const float* dq) const {
  const int K = key_size();
  float* dW = type_ == AttentionType::additive ? g.W_a : g.W_q;
  gemm_at_b(K, state_size_, rows, dq, s, dW, /*accumulate=*/true);
  if (type_ == AttentionType::additive) add_column_sums(dq, static_cast<std::size_t>(rows), K, g.b_a);
}

void Attention::scores(const float* v_a, int length, const float* keys, const float* q,
                       float* e) const {
  const int K = key_size();
  for (int j = 0; j < length; ++j) {
    const float* k = keys + static_cast<std::size_t>(j) * K;
    float sum = 0.f;
    if (type_ == AttentionType::additive) {
#pragma omp simd reduction(+ : sum)
      for (int a = 0; a < K; ++a) sum += v_a[a] * fast_tanh(q[a] + k[a]);
    } else {
#pragma omp simd reduction(+ : sum)
      for (int a = 0; a < K; ++a) sum += q[a] * k[a];
      sum *= dot_scale_;
    }
    e[j] = sum;
  }
}

void Attention::context_forward(const AttentionTensors<const float>& w, int rows, int steps,
                                const int* lengths, const int* memory_rows, const float* h,
                                const float* keys, const float* q, float* alpha, float* c) const {
  const std::size_t S = static_cast<std::size_t>(steps), K = static_cast<std::size_t>(key_size()),
                    C = static_cast<std::size_t>(context_size_);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < rows; ++n) {
    const int length = lengths[n];
    const std::size_t m = static_cast<std::size_t>(memory_rows ? memory_rows[n] : n);
    float* a = alpha + n * S;
    scores(w.v_a, length, keys + m * S * K, q + n * K, a);
    const float max = *std::max_element(a, a + length);
    float sum = 0.f;
    for (int j = 0; j < length; ++j) sum += (a[j] = fast_exp(a[j] - max));
    for (int j = 0; j < length; ++j) a[j] /= sum;
    std::fill(a + length, a + S, 0.f);
    float* context = c + n * C;
    std::fill(context, context + C, 0.f);
    for (int j = 0; j < length; ++j) {
      const float* hj = h + (m * S + j) * C;
      for (std::size_t i = 0; i < C; ++i) context[i] += a[j] * hj[i];
    }
  }
}

void Attention::context_backward(const AttentionTensors<const float>& w,
                                 const AttentionTensors<float>& g, int rows, int steps,
                                 const int* lengths, const float* h, const float* keys,
                                 const float* q, const float* alpha, const float* dc, float* dq,
                                 float* dh, float* dkeys) const {
  const std::size_t S = static_cast<std::size_t>(steps), K = static_cast<std::size_t>(key_size()),
                    C = static_cast<std::size_t>(context_size_);
  const bool additive = type_ == AttentionType::additive;
  std::vector<float> dv_rows(additive ? rows * K : 0, 0.f);  // per-row dv_a, summed below
#pragma omp parallel for schedule(static)
  for (int n = 0; n < rows; ++n) {
    const int length = lengths[n];
    const float* a = alpha + n * S;
    const float* dcn = dc + n * C;
    const float* qn = q + n * K;
    float* dqn = dq + n * K;
    // c = Σ α_j h_j  ->  dα_j = dc · h_j,  dh_j += α_j dc
    std::vector<float> d_alpha(length);
    float weighted = 0.f;  // Σ_k α_k dα_k
    for (int j = 0; j < length; ++j) {
      const float* hj = h + (n * S + j) * C;
      float* dhj = dh + (n * S + j) * C;
      float dot = 0.f;
      for (std::size_t i = 0; i < C; ++i) {
        dot += dcn[i] * hj[i];
        dhj[i] += a[j] * dcn[i];
      }
      d_alpha[j] = dot;
      weighted += a[j] * dot;
    }
    for (int j = 0; j < length; ++j) {
      const float de = a[j] * (d_alpha[j] - weighted);  // softmax backward
      const float* kj = keys + (n * S + j) * K;
      float* dkj = dkeys + (n * S + j) * K;
      if (additive) {
        float* __restrict dv = dv_rows.data() + n * K;
        float* __restrict dq_row = dqn;
        float* __restrict dk_row = dkj;
#pragma omp simd
        for (std::size_t i = 0; i < K; ++i) {
          const float z = fast_tanh(qn[i] + kj[i]);
          const float d_pre = de * w.v_a[i] * (1.f - z * z);
          dq_row[i] += d_pre;
          dk_row[i] += d_pre;
          dv[i] += de * z;
        }
      } else {
        const float scaled = de * dot_scale_;
        for (std::size_t i = 0; i < K; ++i) {
          dqn[i] += scaled * kj[i];
          dkj[i] += scaled * qn[i];
        }
      }
    }
  }
  if (additive) add_column_sums(dv_rows.data(), static_cast<std::size_t>(rows), key_size(), g.v_a);
}

}  // namespace nmt
