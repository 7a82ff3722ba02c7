// encoder.hpp — the bidirectional GRU encoder, stacked, with padding kept out.
//
//   →h_j = GRU_fwd(x_j, →h_{j-1})    ←h_j = GRU_bwd(x_j, ←h_{j+1})    h_j = [→h_j ; ←h_j]
//
// Sentences are padded at the end. The forward direction runs on the batch as it is:
// padding comes after each sentence's last token, so no real state sees it. The
// backward direction runs left to right on each sentence reversed within its own length
// (padding still at the end) and its output is reversed back, so ←h_j starts at the
// sentence's own last token. Outputs at padded positions are defined but meaningless;
// the attention masks them and their gradients are zero. Layer l+1 reads layer l's h.
//
// Shapes: B sentences, S positions, I input size, H hidden size per direction.
#pragma once

#include <vector>

#include "model/dnnl_backend.hpp"
#include "model/parameters.hpp"

namespace nmt {

template <class T>
struct GruTensors {
  T* w_x;   // (I, 3, H)  gates u, r, n (oneDNN ldigo)
  T* w_h;   // (H, 3, H)
  T* bias;  // (4, H)     b_u, b_r, b_n, c_n
};

template <class T>
struct BiGruTensors {
  GruTensors<T> forward, backward;
};

class BiGruEncoder {
 public:
  BiGruEncoder(int input_size, int hidden_size, int layers);

  // Registers encoder.L.{fwd,bwd}.{w_x, w_h, bias} for each layer L, in that order.
  void declare(ParameterLayout& layout) const;
  template <class T>
  std::vector<BiGruTensors<T>> bind(const ParameterLayout& layout, T* base) const;

  struct LayerCache {
    std::vector<float> input_reversed;  // (B, S, I_l)
    std::vector<float> h_forward;       // (B, S, H)
    std::vector<float> h_backward_rev;  // (B, S, H), in reversed order
    GruLayer::Cache forward, backward;
  };
  struct Cache {
    int batch = 0, steps = 0;
    std::vector<LayerCache> layers;
    std::vector<std::vector<float>> outputs;  // per layer (B, S, 2H); the last is the result
  };

  // x (B, S, I) -> cache.outputs.back() (B, S, 2H)
  void forward(const std::vector<BiGruTensors<const float>>& weights, int batch, int steps,
               const int* lengths, const float* x, Cache& cache) const;
  // dh (B, S, 2H) -> adds into dx (B, S, I) and the weight gradients.
  void backward(const std::vector<BiGruTensors<const float>>& weights,
                const std::vector<BiGruTensors<float>>& grads, const Cache& cache,
                const int* lengths, const float* x, const float* dh, float* dx) const;

  int output_size() const { return 2 * hidden_size_; }

 private:
  int hidden_size_;
  std::vector<GruLayer> forward_layers_, backward_layers_;
};

// out[b, j] = in[b, len_b − 1 − j] for j < len_b, in[b, j] otherwise. An involution.
void reverse_within_lengths(const float* in, int batch, int steps, int channels,
                            const int* lengths, float* out);

}  // namespace nmt
