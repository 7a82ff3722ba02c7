// quantize.hpp — the int8 matrix product (Precision::int8), internal to model/: gemm()
// (dnnl_backend.cpp) runs it for every b operand inside a registered constant buffer,
// i.e. for products with a weight matrix, and keeps the quantized weights in its cache of
// constant-operand copies (one per weight, layout and buffer version, as bf16's).
//
//   weights    op(b) (k×n) to s8 once, one scale per output column j:
//              b(p, j) ≈ b8(p, j) · sb[j], sb[j] = max_p |b(p, j)| / 127 (symmetric)
//   sources    op(a) (m×k) on every call, one scale per row i, so a row's result never
//              depends on the other rows: a(i, p) ≈ a8(i, p) · sa[i], sa[i] = max_p |a(i, p)| / 127
//   sums       Σ_p a8(i, p) · b8(p, j) exactly, in s32, on oneDNN 2.6's int8 matmul
//   result     c(i, j) (+)= sum · sa[i] · sb[j] [+ bias[j]], our own dequantisation in f32
//
// Sources are handed to oneDNN as u8, a8 + 128: VNNI's dot-product instruction (vpdpbusd)
// multiplies unsigned by signed bytes, so s8 sources would make oneDNN shift them to u8
// and subtract a compensation it derives from the weights inside every call; the shift
// done here costs one add per source element, and its effect on the sums, 128 · Σ_p b8(p, j),
// is a constant of the weights, computed once with them and taken off in the
// dequantisation. Exact in s32 while k · 255 · 127 < 2^31 (k ≤ 66,000; checked).
#pragma once

#include <cstdint>
#include <vector>

#include "model/dnnl_backend.hpp"
#include "model/dnnl_runtime.hpp"

namespace nmt::dnnl_internal {

// op(b) of one gemm layout quantized (see above).
struct QuantizedWeights {
  int k = 0, n = 0;
  std::vector<std::int8_t> values;    // (n, k): row j is column j of op(b), b8(·, j)
  std::vector<float> scales;          // (n) sb
  std::vector<std::int32_t> offsets;  // (n) 128 · Σ_p b8(p, j), what the u8 shift adds to column j's sums
  std::vector<memory> packed;         // values reordered into the layouts the int8 matmuls asked for
};
QuantizedWeights quantize_weights(const GemmArgs& g);

// The int8 matmul of one gemm shape: u8 (m×k, dense) · s8 (k×n, the layout oneDNN
// prefers) -> s32 (m×n, dense).
struct Int8Product {
  dnnl::matmul primitive;
  memory a8, b8, sums;
};
Int8Product make_int8_product(const GemmArgs& g);

// What one call quantizes and sums into, reused from call to call (calls run one at a time).
struct Int8Scratch {
  std::vector<std::uint8_t> a8;     // (m, k) a8 + 128
  std::vector<float> row_scales;    // (m) sa
  std::vector<std::int32_t> sums;   // (m, n)
};

// c (m×n, row stride ldc) (+)= the int8 product of op(a) and the quantized op(b) [+ bias].
void int8_gemm(const GemmArgs& g, Int8Product& product, QuantizedWeights& weights, Int8Scratch& scratch);

}  // namespace nmt::dnnl_internal
