// encoder.cpp — bidirectional stacked GRU encoder on oneDNN's GRU layer.
#include "model/encoder.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

namespace nmt {

void reverse_within_lengths(const float* in, int batch, int steps, int channels,
                            const int* lengths, float* out) {
  const std::size_t C = static_cast<std::size_t>(channels);
  for (int b = 0; b < batch; ++b) {
    const int length = lengths[b];
    for (int j = 0; j < steps; ++j) {
      const int from = j < length ? length - 1 - j : j;
      std::copy_n(in + (static_cast<std::size_t>(b) * steps + from) * C, C,
                  out + (static_cast<std::size_t>(b) * steps + j) * C);
    }
  }
}

BiGruEncoder::BiGruEncoder(int input_size, int hidden_size, int layers)
    : hidden_size_(hidden_size) {
  for (int l = 0; l < layers; ++l) {
    const int in = l == 0 ? input_size : 2 * hidden_size;
    forward_layers_.emplace_back(in, hidden_size);
    backward_layers_.emplace_back(in, hidden_size);
  }
}

void BiGruEncoder::declare(ParameterLayout& layout) const {
  const int H = hidden_size_;
  for (std::size_t l = 0; l < forward_layers_.size(); ++l) {
    const int I = forward_layers_[l].input_size();
    for (const char* direction : {"fwd", "bwd"}) {
      const std::string prefix = "encoder." + std::to_string(l) + "." + direction + ".";
      layout.add(prefix + "w_x", {I, 3, H}, InitKind::glorot, 1, H, I);
      layout.add(prefix + "w_h", {H, 3, H}, InitKind::orthogonal, 3, H, H);
      layout.add(prefix + "bias", {4, H}, InitKind::zeros);
    }
  }
}

template <class T>
std::vector<BiGruTensors<T>> BiGruEncoder::bind(const ParameterLayout& layout, T* base) const {
  std::vector<BiGruTensors<T>> layers;
  for (std::size_t l = 0; l < forward_layers_.size(); ++l) {
    const std::string prefix = "encoder." + std::to_string(l) + ".";
    const auto direction = [&](const std::string& d) {
      return GruTensors<T>{tensor_at(layout, base, prefix + d + ".w_x"),
                           tensor_at(layout, base, prefix + d + ".w_h"),
                           tensor_at(layout, base, prefix + d + ".bias")};
    };
    layers.push_back({direction("fwd"), direction("bwd")});
  }
  return layers;
}

template std::vector<BiGruTensors<float>> BiGruEncoder::bind(const ParameterLayout&, float*) const;
template std::vector<BiGruTensors<const float>> BiGruEncoder::bind(const ParameterLayout&,
                                                                   const float*) const;

void BiGruEncoder::forward(const std::vector<BiGruTensors<const float>>& weights, int batch,
                           int steps, const int* lengths, const float* x, Cache& cache) const {
  const std::size_t layers = forward_layers_.size();
  const std::size_t H = static_cast<std::size_t>(hidden_size_);
  const std::size_t positions = static_cast<std::size_t>(batch) * steps;
  cache.batch = batch;
  cache.steps = steps;
  cache.layers.resize(layers);
  cache.outputs.resize(layers);
  for (std::size_t l = 0; l < layers; ++l) {
    const int in_size = forward_layers_[l].input_size();
    const float* input = l == 0 ? x : cache.outputs[l - 1].data();
    LayerCache& lc = cache.layers[l];
    lc.h_forward.resize(positions * H);
    lc.h_backward_rev.resize(positions * H);
    lc.input_reversed.resize(positions * in_size);
    const auto& w = weights[l];
    forward_layers_[l].forward(batch, steps, input, w.forward.w_x, w.forward.w_h, w.forward.bias,
                               lc.h_forward.data(), lc.forward);
    reverse_within_lengths(input, batch, steps, in_size, lengths, lc.input_reversed.data());
    backward_layers_[l].forward(batch, steps, lc.input_reversed.data(), w.backward.w_x,
                                w.backward.w_h, w.backward.bias, lc.h_backward_rev.data(),
                                lc.backward);
    // h (B, S, 2H) = [→h ; ←h], ←h reversed back into sentence order.
    std::vector<float> h_backward(positions * H);
    reverse_within_lengths(lc.h_backward_rev.data(), batch, steps, hidden_size_, lengths,
                           h_backward.data());
    auto& out = cache.outputs[l];
    out.resize(positions * 2 * H);
    for (std::size_t p = 0; p < positions; ++p) {
      std::copy_n(lc.h_forward.data() + p * H, H, out.data() + p * 2 * H);
      std::copy_n(h_backward.data() + p * H, H, out.data() + p * 2 * H + H);
    }
  }
}

void BiGruEncoder::backward(const std::vector<BiGruTensors<const float>>& weights,
                            const std::vector<BiGruTensors<float>>& grads, const Cache& cache,
                            const int* lengths, const float* x, const float* dh, float* dx) const {
  const int batch = cache.batch, steps = cache.steps;
  const std::size_t H = static_cast<std::size_t>(hidden_size_);
  const std::size_t positions = static_cast<std::size_t>(batch) * steps;
  std::vector<float> d_output(dh, dh + positions * 2 * H);  // gradient w.r.t. this layer's h
  std::vector<float> dh_forward(positions * H), dh_backward(positions * H),
      dh_backward_rev(positions * H);
  for (std::size_t l = forward_layers_.size(); l-- > 0;) {
    const int in_size = forward_layers_[l].input_size();
    const float* input = l == 0 ? x : cache.outputs[l - 1].data();
    const LayerCache& lc = cache.layers[l];
    for (std::size_t p = 0; p < positions; ++p) {
      std::copy_n(d_output.data() + p * 2 * H, H, dh_forward.data() + p * H);
      std::copy_n(d_output.data() + p * 2 * H + H, H, dh_backward.data() + p * H);
    }
    reverse_within_lengths(dh_backward.data(), batch, steps, hidden_size_, lengths,
                           dh_backward_rev.data());
    std::vector<float> dx_forward(positions * in_size), dx_reversed(positions * in_size);
    const auto& w = weights[l];
    const auto& g = grads[l];
    forward_layers_[l].backward(lc.forward, input, w.forward.w_x, w.forward.w_h, w.forward.bias,
                                lc.h_forward.data(), dh_forward.data(), dx_forward.data(),
                                g.forward.w_x, g.forward.w_h, g.forward.bias);
    backward_layers_[l].backward(lc.backward, lc.input_reversed.data(), w.backward.w_x,
                                 w.backward.w_h, w.backward.bias, lc.h_backward_rev.data(),
                                 dh_backward_rev.data(), dx_reversed.data(), g.backward.w_x,
                                 g.backward.w_h, g.backward.bias);
    // ∂/∂input = dx_reversed put back in sentence order + dx_forward: the layer below's
    // d_output, or (layer 0) added into the caller's dx.
    std::vector<float> d_input(positions * in_size);
    reverse_within_lengths(dx_reversed.data(), batch, steps, in_size, lengths, d_input.data());
    for (std::size_t i = 0; i < d_input.size(); ++i) d_input[i] += dx_forward[i];
    if (l > 0)
      d_output = std::move(d_input);
    else
      for (std::size_t i = 0; i < d_input.size(); ++i) dx[i] += d_input[i];
  }
}

}  // namespace nmt
