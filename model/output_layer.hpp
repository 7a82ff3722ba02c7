// output_layer.hpp — deep output and logits for many target positions at once.
//
//   o_t = tanh(W_o · dropout([s_t ; c_t ; y'_{t-1}]) + b_o)      o_t ∈ R^O
//   z_t = W_z · dropout(o_t) + b_z                                 z_t ∈ R^V
//
// N rows (packed real target positions in training, hypotheses in search), In = D+2H+E.
// With tied embeddings W_z is the target embedding table (V, E), O = E.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/dropout.hpp"
#include "model/parameters.hpp"

namespace nmt {

template <class T>
struct OutputTensors {
  T* W_o = nullptr;  // (O, In)
  T* b_o = nullptr;  // (O)
  T* W_z = nullptr;  // (V, O)
  T* b_z = nullptr;  // (V)
};

// Search over part of the vocabulary (a shortlist, decoding/shortlist.hpp): the logits of
// U columns only, rows of W_z and b_z gathered by the caller, and which columns each
// decoder row may produce (the others' log-probability is -inf).
struct OutputColumns {
  int count = 0;                          // U
  const float* W_z = nullptr;             // (U, O)
  const float* b_z = nullptr;             // (U)
  const std::uint8_t* allowed = nullptr;  // (sentences, U): 1 where a sentence may produce column u
  const int* row_sentence = nullptr;      // (N): the sentence of each decoder row, a row of `allowed`
};

// The output layer's input rows [s_t ; c_t ; y'_{t-1}], In = D + C + E: the one place
// where they are concatenated, and where their gradient is split back.
struct OutputInput {
  int state_size = 0, context_size = 0, embed_size = 0;  // D, C, E
  int size() const { return state_size + context_size + embed_size; }  // In
  // input (n, In): row i from row p = from[i] (p = i when from is null) of s (·, D),
  // c (·, C) and y (·, E).
  void concat(std::size_t n, const int* from, const float* s, const float* c, const float* y,
              float* input) const;
  // The reverse: row i of dinput (n, In) added into row p of ds, dc and dy.
  void split_gradient(std::size_t n, const int* to, const float* dinput, float* ds, float* dc,
                      float* dy) const;
};

class OutputLayer {
 public:
  // tied_table: the parameter (V, O) that serves as W_z (tied embeddings); empty: its own
  // output.W_z.
  OutputLayer(int input_size, int output_size, int vocab_size, std::string tied_table = {});

  // Registers output.W_o, output.b_o, output.W_z (unless tied) and output.b_z.
  void declare(ParameterLayout& layout) const;
  template <class T>
  OutputTensors<T> bind(const ParameterLayout& layout, T* base) const;

  struct Cache {
    int rows = 0;
    std::vector<float> input;      // (N, In) after dropout
    std::vector<float> input_mask; // dropout mask (empty when off)
    std::vector<float> o;          // (N, O) after tanh, before dropout
    std::vector<float> o_dropped;  // (N, O)
    std::vector<float> o_mask;
  };

  // input (N, In) -> logits (N, V)
  void forward(const OutputTensors<const float>& w, int rows, const float* input, float* logits,
               const DropoutContext& dropout, Cache& cache) const;
  // Search only, no dropout: input (N, In) -> logits (N, U) of the gathered columns.
  void forward_columns(const OutputTensors<const float>& w, int rows, const float* input,
                       const OutputColumns& columns, float* logits, Cache& cache) const;
  // dlogits (N, V) -> adds into dinput (N, In) and the weight gradients.
  void backward(const OutputTensors<const float>& w, const OutputTensors<float>& g,
                const Cache& cache, const float* dlogits, float* dinput) const;

  int input_size() const { return input_size_; }
  int vocab_size() const { return vocab_size_; }

 private:
  // input (N, In) -> cache.o_dropped (N, O), the deep output both forwards share.
  void deep_output(const OutputTensors<const float>& w, int rows, const float* input,
                   const DropoutContext& dropout, Cache& cache) const;

  int input_size_, output_size_, vocab_size_;
  std::string tied_table_;
};

}  // namespace nmt
