// initial_state.cpp — s_0 = tanh(W_init · mean h + b_init), forward and backward.
#include "model/initial_state.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "model/column_sums.hpp"
#include "model/dnnl_backend.hpp"

namespace nmt {

InitialState::InitialState(int context_size, int state_size)
    : context_size_(context_size), state_size_(state_size) {}

void InitialState::declare(ParameterLayout& layout) const {
  layout.add("decoder.init.W", {state_size_, context_size_}, InitKind::glorot, 1, state_size_,
             context_size_);
  layout.add("decoder.init.b", {state_size_}, InitKind::zeros);
}

template <class T>
InitialStateTensors<T> InitialState::bind(const ParameterLayout& layout, T* base) const {
  return {tensor_at(layout, base, "decoder.init.W"), tensor_at(layout, base, "decoder.init.b")};
}

template InitialStateTensors<float> InitialState::bind(const ParameterLayout&, float*) const;
template InitialStateTensors<const float> InitialState::bind(const ParameterLayout&,
                                                             const float*) const;

void InitialState::forward(const InitialStateTensors<const float>& w, const EncoderState& memory,
                           float* mean, float* s0) const {
  const std::size_t S = static_cast<std::size_t>(memory.steps), C = static_cast<std::size_t>(context_size_);
  for (int n = 0; n < memory.rows; ++n) {
    float* m = mean + n * C;
    std::fill(m, m + C, 0.f);
    const int length = memory.lengths[n];
    const std::size_t row = static_cast<std::size_t>(memory.memory_row(n));
    for (int j = 0; j < length; ++j)
      for (std::size_t i = 0; i < C; ++i) m[i] += memory.h[(row * S + j) * C + i];
    for (std::size_t i = 0; i < C; ++i) m[i] /= static_cast<float>(length);
  }
  gemm_a_bt(memory.rows, state_size_, context_size_, mean, w.W, s0, w.b);
  for (std::size_t i = 0; i < static_cast<std::size_t>(memory.rows) * state_size_; ++i)
    s0[i] = std::tanh(s0[i]);
}

void InitialState::backward(const InitialStateTensors<const float>& w, const InitialStateTensors<float>& g,
                            const EncoderState& memory, const float* mean, const float* s0,
                            const float* ds0, float* dh) const {
  const int N = memory.rows, C = context_size_, D = state_size_;
  const std::size_t S = static_cast<std::size_t>(memory.steps);
  // s0 = tanh(pre), pre = mean W_initᵀ + b_init
  std::vector<float> d_pre(static_cast<std::size_t>(N) * D), d_mean(static_cast<std::size_t>(N) * C);
  for (std::size_t i = 0; i < d_pre.size(); ++i) d_pre[i] = ds0[i] * (1.f - s0[i] * s0[i]);
  gemm_at_b(D, C, N, d_pre.data(), mean, g.W, /*accumulate=*/true);
  add_column_sums(d_pre.data(), static_cast<std::size_t>(N), D, g.b);
  gemm_a_b(N, C, D, d_pre.data(), w.W, d_mean.data());  // a fresh buffer: written, not added
  // mean = (1/len) Σ_{j<len} h_j
  for (int n = 0; n < N; ++n) {
    const int length = memory.lengths[n];
    const std::size_t row = static_cast<std::size_t>(memory.memory_row(n));
    for (int j = 0; j < length; ++j)
      for (int i = 0; i < C; ++i)
        dh[(row * S + j) * C + i] += d_mean[static_cast<std::size_t>(n) * C + i] / static_cast<float>(length);
  }
}

}  // namespace nmt
