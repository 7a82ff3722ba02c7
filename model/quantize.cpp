// quantize.cpp — int8 products: symmetric quantization of weights (per output column)
// and sources (per row), the u8 × s8 -> s32 matmul on oneDNN 2.6, and the dequantisation.
#include "model/quantize.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace nmt::dnnl_internal {
namespace {

constexpr int kLargestK = 66000;  // k · 255 · 127 stays below 2^31: the s32 sums are exact
constexpr int kSourceShift = 128;  // u8 source = s8 value + 128

// op(a)(i, p) and op(b)(p, j) of a gemm, whatever the layout.
float a_at(const GemmArgs& g, int i, int p) {
  return g.transpose_a ? g.a[static_cast<std::size_t>(p) * g.lda + i] : g.a[static_cast<std::size_t>(i) * g.lda + p];
}
float b_at(const GemmArgs& g, int p, int j) {
  return g.transpose_b ? g.b[static_cast<std::size_t>(j) * g.ldb + p] : g.b[static_cast<std::size_t>(p) * g.ldb + j];
}

// The `count` values at(0) .. at(count - 1) quantized symmetrically: out[p] = round(at(p)
// / scale) + shift, scale = max |at(p)| / 127 (returned; 0 for all zeros, which quantize
// to 0).
template <class At, class Out>
float quantize_symmetric(int count, At&& at, int shift, Out* out) {
  float largest = 0;
  for (int p = 0; p < count; ++p) largest = std::max(largest, std::fabs(at(p)));
  const float inverse = largest > 0 ? 127.f / largest : 0.f;
  for (int p = 0; p < count; ++p) {
    float q = std::nearbyint(at(p) * inverse);
    if (!(q >= -127.f)) q = -127.f;  // NaN included: never an out-of-range conversion
    if (q > 127.f) q = 127.f;
    out[p] = static_cast<Out>(static_cast<int>(q) + shift);
  }
  return largest / 127.f;
}

memory::desc s8_weights_desc(const GemmArgs& g) {  // values (n, k) seen as op(b), k×n
  return memory::desc({g.k, g.n}, dt::s8, memory::dims{1, g.k});
}

// weights.values in the layout `desc`, reordered once per layout.
memory& packed_weights(QuantizedWeights& weights, const memory::desc& desc, const GemmArgs& g) {
  for (memory& m : weights.packed)
    if (m.get_desc() == desc) return m;
  Runtime& rt = runtime();
  memory plain(s8_weights_desc(g), rt.engine, weights.values.data());
  memory packed(desc, rt.engine);
  dnnl::reorder(plain, packed).execute(rt.stream, plain, packed);
  rt.stream.wait();
  weights.packed.push_back(packed);
  return weights.packed.back();
}

// Rows of op(a) into scratch.a8 (u8, a8 + 128) and scratch.row_scales.
void quantize_rows(const GemmArgs& g, Int8Scratch& scratch) {
  scratch.a8.resize(static_cast<std::size_t>(g.m) * g.k);
  scratch.row_scales.resize(static_cast<std::size_t>(g.m));
  for (int i = 0; i < g.m; ++i)
    scratch.row_scales[static_cast<std::size_t>(i)] = quantize_symmetric(
        g.k, [&](int p) { return a_at(g, i, p); }, kSourceShift, scratch.a8.data() + static_cast<std::size_t>(i) * g.k);
}

// c(i, j) (+)= (sums(i, j) − offsets[j]) · sa[i] · sb[j] [+ bias[j]].
void dequantize(const GemmArgs& g, const QuantizedWeights& weights, const Int8Scratch& scratch) {
  const long elements = static_cast<long>(g.m) * g.n;
#pragma omp parallel for if (elements >= 32768)
  for (int i = 0; i < g.m; ++i) {
    const std::int32_t* sums = scratch.sums.data() + static_cast<std::size_t>(i) * g.n;
    float* c = g.c + static_cast<std::size_t>(i) * g.ldc;
    const float row_scale = scratch.row_scales[static_cast<std::size_t>(i)];
    for (int j = 0; j < g.n; ++j) {
      float value = static_cast<float>(sums[j] - weights.offsets[static_cast<std::size_t>(j)]) *
                    (row_scale * weights.scales[static_cast<std::size_t>(j)]);
      if (g.bias) value += g.bias[j];
      c[j] = g.accumulate ? c[j] + value : value;
    }
  }
}

}  // namespace

QuantizedWeights quantize_weights(const GemmArgs& g) {
  if (g.k > kLargestK)
    throw std::invalid_argument("int8 gemm: k = " + std::to_string(g.k) + " exceeds " + std::to_string(kLargestK) +
                                ", where int32 sums could overflow");
  QuantizedWeights w;
  w.k = g.k, w.n = g.n;
  w.values.resize(static_cast<std::size_t>(g.n) * g.k);
  w.scales.resize(static_cast<std::size_t>(g.n));
  w.offsets.resize(static_cast<std::size_t>(g.n));
  for (int j = 0; j < g.n; ++j) {
    std::int8_t* column = w.values.data() + static_cast<std::size_t>(j) * g.k;
    w.scales[static_cast<std::size_t>(j)] = quantize_symmetric(g.k, [&](int p) { return b_at(g, p, j); }, 0, column);
    std::int32_t sum = 0;
    for (int p = 0; p < g.k; ++p) sum += column[p];
    w.offsets[static_cast<std::size_t>(j)] = kSourceShift * sum;
  }
  return w;
}

Int8Product make_int8_product(const GemmArgs& g) {
  Runtime& rt = runtime();
  const memory::desc a_md({g.m, g.k}, dt::u8, tag::ab);
  const memory::desc b_md({g.k, g.n}, dt::s8, tag::any);  // oneDNN picks its packed layout
  const memory::desc sums_md({g.m, g.n}, dt::s32, tag::ab);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, sums_md), rt.engine);
  Int8Product p;
  p.primitive = dnnl::matmul(pd);
  p.a8 = memory(a_md, rt.engine, nullptr);  // in the scratch, set per call
  p.b8 = memory(pd.weights_desc(), rt.engine, nullptr);
  p.sums = memory(sums_md, rt.engine, nullptr);
  return p;
}

void int8_gemm(const GemmArgs& g, Int8Product& product, QuantizedWeights& weights, Int8Scratch& scratch) {
  quantize_rows(g, scratch);
  scratch.sums.resize(static_cast<std::size_t>(g.m) * g.n);
  product.a8.set_data_handle(scratch.a8.data());
  product.sums.set_data_handle(scratch.sums.data());
  const memory& b8 = packed_weights(weights, product.b8.get_desc(), g);
  Runtime& rt = runtime();
  product.primitive.execute(rt.stream, {{DNNL_ARG_SRC, product.a8}, {DNNL_ARG_WEIGHTS, b8}, {DNNL_ARG_DST, product.sums}});
  rt.stream.wait();
  dequantize(g, weights, scratch);
}

}  // namespace nmt::dnnl_internal
