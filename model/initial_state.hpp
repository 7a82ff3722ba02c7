// initial_state.hpp — the bridge from the encoder to the decoder's first state:
//
//   mean = (1/len) Σ_{j<len} h_j        s_0 = tanh(W_init · mean + b_init)
//
// N rows, S source positions, C = 2H context size, D decoder state size. The mean runs
// over each row's real positions only (padding is left out).
#pragma once

#include "model/encoder_state.hpp"
#include "model/parameters.hpp"

namespace nmt {

template <class T>
struct InitialStateTensors {
  T* W = nullptr;  // (D, C)  decoder.init.W
  T* b = nullptr;  // (D)     decoder.init.b
};

class InitialState {
 public:
  InitialState(int context_size, int state_size);

  // Registers decoder.init.W and decoder.init.b.
  void declare(ParameterLayout& layout) const;
  template <class T>
  InitialStateTensors<T> bind(const ParameterLayout& layout, T* base) const;

  // memory.h (M, S, C) -> mean (N, C), s0 (N, D); row n reads memory row memory_row(n).
  void forward(const InitialStateTensors<const float>& w, const EncoderState& memory, float* mean,
               float* s0) const;
  // ds0 (N, D) -> adds into dW, db and dh (M, S, C), at row memory_row(n) for row n.
  void backward(const InitialStateTensors<const float>& w, const InitialStateTensors<float>& g,
                const EncoderState& memory, const float* mean, const float* s0, const float* ds0,
                float* dh) const;

 private:
  int context_size_, state_size_;
};

}  // namespace nmt
