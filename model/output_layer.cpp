// output_layer.cpp — deep output + logits, forward and backward, as whole-batch GEMMs.
#include "model/output_layer.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "model/column_sums.hpp"
#include "model/dnnl_backend.hpp"
#include "model/fast_math.hpp"

namespace nmt {
namespace {

constexpr std::uint64_t kDropoutSiteInput = 11, kDropoutSiteOutput = 12;

}  // namespace

void OutputInput::concat(std::size_t n, const int* from, const float* s, const float* c,
                         const float* y, float* input) const {
  const std::size_t D = static_cast<std::size_t>(state_size), C = static_cast<std::size_t>(context_size),
                    E = static_cast<std::size_t>(embed_size);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t p = from ? static_cast<std::size_t>(from[i]) : i;
    float* row = input + i * (D + C + E);
    std::copy_n(s + p * D, D, row);
    std::copy_n(c + p * C, C, row + D);
    std::copy_n(y + p * E, E, row + D + C);
  }
}

void OutputInput::split_gradient(std::size_t n, const int* to, const float* dinput, float* ds,
                                 float* dc, float* dy) const {
  const std::size_t D = static_cast<std::size_t>(state_size), C = static_cast<std::size_t>(context_size),
                    E = static_cast<std::size_t>(embed_size);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t p = to ? static_cast<std::size_t>(to[i]) : i;
    const float* row = dinput + i * (D + C + E);
    for (std::size_t k = 0; k < D; ++k) ds[p * D + k] += row[k];
    for (std::size_t k = 0; k < C; ++k) dc[p * C + k] += row[D + k];
    for (std::size_t k = 0; k < E; ++k) dy[p * E + k] += row[D + C + k];
  }
}

OutputLayer::OutputLayer(int input_size, int output_size, int vocab_size, std::string tied_table)
    : input_size_(input_size),
      output_size_(output_size),
      vocab_size_(vocab_size),
      tied_table_(std::move(tied_table)) {}

void OutputLayer::declare(ParameterLayout& layout) const {
  const int In = input_size_, O = output_size_, V = vocab_size_;
  layout.add("output.W_o", {O, In}, InitKind::glorot, 1, O, In);
  layout.add("output.b_o", {O}, InitKind::zeros);
  if (tied_table_.empty()) layout.add("output.W_z", {V, O}, InitKind::glorot, 1, V, O);
  layout.add("output.b_z", {V}, InitKind::zeros);
}

template <class T>
OutputTensors<T> OutputLayer::bind(const ParameterLayout& layout, T* base) const {
  OutputTensors<T> t;
  t.W_o = tensor_at(layout, base, "output.W_o");
  t.b_o = tensor_at(layout, base, "output.b_o");
  t.W_z = tensor_at(layout, base, tied_table_.empty() ? "output.W_z" : tied_table_);
  t.b_z = tensor_at(layout, base, "output.b_z");
  return t;
}

template OutputTensors<float> OutputLayer::bind(const ParameterLayout&, float*) const;
template OutputTensors<const float> OutputLayer::bind(const ParameterLayout&, const float*) const;

void OutputLayer::deep_output(const OutputTensors<const float>& w, int rows, const float* input,
                              const DropoutContext& dropout, Cache& cache) const {
  const std::size_t N = static_cast<std::size_t>(rows);
  cache.rows = rows;
  cache.input.resize(N * input_size_);
  dropout_forward(dropout, kDropoutSiteInput, input, N * input_size_, cache.input.data(),
                  cache.input_mask);
  cache.o.resize(N * output_size_);
  gemm_a_bt(rows, output_size_, input_size_, cache.input.data(), w.W_o, cache.o.data(), w.b_o);
  for (auto& x : cache.o) x = fast_tanh(x);
  cache.o_dropped.resize(cache.o.size());
  dropout_forward(dropout, kDropoutSiteOutput, cache.o.data(), cache.o.size(),
                  cache.o_dropped.data(), cache.o_mask);
}

void OutputLayer::forward(const OutputTensors<const float>& w, int rows, const float* input,
                          float* logits, const DropoutContext& dropout, Cache& cache) const {
  deep_output(w, rows, input, dropout, cache);
  gemm_a_bt(rows, vocab_size_, output_size_, cache.o_dropped.data(), w.W_z, logits, w.b_z);
}

void OutputLayer::forward_columns(const OutputTensors<const float>& w, int rows, const float* input,
                                  const OutputColumns& columns, float* logits, Cache& cache) const {
  deep_output(w, rows, input, DropoutContext{}, cache);
  gemm_a_bt(rows, columns.count, output_size_, cache.o_dropped.data(), columns.W_z, logits, columns.b_z);
}

void OutputLayer::backward(const OutputTensors<const float>& w, const OutputTensors<float>& g,
                           const Cache& cache, const float* dlogits, float* dinput) const {
  const int N = cache.rows;
  // z = o_d W_zᵀ + b_z
  gemm_at_b(vocab_size_, output_size_, N, dlogits, cache.o_dropped.data(), g.W_z, true);
  add_column_sums(dlogits, static_cast<std::size_t>(N), vocab_size_, g.b_z);
  std::vector<float> d_o(cache.o.size());
  gemm_a_b(N, output_size_, vocab_size_, dlogits, w.W_z, d_o.data());
  // o_d = dropout(o), o = tanh(pre)
  dropout_backward(cache.o_mask, d_o.data(), d_o.size(), d_o.data());
  for (std::size_t i = 0; i < d_o.size(); ++i) d_o[i] *= 1.f - cache.o[i] * cache.o[i];
  // pre = in_d W_oᵀ + b_o
  gemm_at_b(output_size_, input_size_, N, d_o.data(), cache.input.data(), g.W_o, true);
  add_column_sums(d_o.data(), static_cast<std::size_t>(N), output_size_, g.b_o);
  std::vector<float> d_input(cache.input.size());  // (N, In)
  gemm_a_b(N, input_size_, output_size_, d_o.data(), w.W_o, d_input.data());
  // in_d = dropout(input); then added into the caller's gradient.
  dropout_backward(cache.input_mask, d_input.data(), d_input.size(), d_input.data());
  for (std::size_t i = 0; i < d_input.size(); ++i) dinput[i] += d_input[i];
}

}  // namespace nmt
