// dnnl_backend.hpp — the one place in nmt that knows oneDNN (v2.6 API).
//
// Two services: a row-major GEMM on oneDNN's matmul primitive, and one direction of a
// GRU layer (linear-before-reset form) on oneDNN's RNN primitive, forward for training
// and backward. Primitives are created once per shape and cached. Everything else in
// nmt sees plain float pointers in row-major, batch-major layout.
//
// Both run in f32 or, process-wide, with bf16 inputs and f32 results and gradients
// (set_gemm_precision); for translation, gemm() runs products with a weight operand in
// int8 (model/quantize.hpp, which also knows oneDNN). Threads: oneDNN uses OpenMP
// (set_num_threads / OMP_NUM_THREADS).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/precision.hpp"

namespace nmt {

// c (m×n, row stride ldc) = op(a) · op(b) [+ bias] [+ c]
//   op(a) is m×k: a stored m×k (row stride lda), or k×m if transpose_a.
//   op(b) is k×n: b stored k×n (row stride ldb), or n×k if transpose_b.
//   bias, if given, has n elements and is added to every row.
//   With accumulate, the product is added to c instead of overwriting it.
struct GemmArgs {
  int m = 0, n = 0, k = 0;
  const float* a = nullptr;
  int lda = 0;
  bool transpose_a = false;
  const float* b = nullptr;
  int ldb = 0;
  bool transpose_b = false;
  float* c = nullptr;
  int ldc = 0;
  const float* bias = nullptr;
  bool accumulate = false;
};
void gemm(const GemmArgs& args);

// Shorthands for dense operands (leading dimensions from the shapes):
// c (m×n) (+)= a (m×k) · bᵀ where b is n×k — the layout nmt stores weights in (out × in).
void gemm_a_bt(int m, int n, int k, const float* a, const float* b, float* c,
               const float* bias = nullptr, bool accumulate = false);
// c (m×n) (+)= a (m×k) · b (k×n) [+ bias]
void gemm_a_b(int m, int n, int k, const float* a, const float* b, float* c, bool accumulate = false,
              const float* bias = nullptr);
// c (m×n) (+)= aᵀ · b where a is k×m and b is k×n — weight gradients: dW = dYᵀ · X
void gemm_at_b(int m, int n, int k, const float* a, const float* b, float* c, bool accumulate = false);

// Sets the number of compute threads (OpenMP) used by oneDNN and nmt's own loops.
void set_num_threads(int threads);

// Precision of every gemm() and GruLayer in the process: f32, or bf16 — operands (for the
// GRU layer: its input and output sequences and weights) rounded to bf16 on the way in,
// products accumulated and written in f32, gradients f32 (bias and accumulate stay f32) —
// or int8, for inference only: a gemm() whose b lies in a registered ConstantOperands
// buffer (a weight) runs on int8 values with int32 sums and f32 results (model/quantize.hpp);
// every other gemm() and the GRU layer stay f32.
// Callers keep f32 everywhere; only the matrix products lose precision.
// Throws std::runtime_error naming the CPU's ISA when bf16 or int8 is asked of a CPU
// without the instructions.
void set_gemm_precision(Precision precision);
Precision gemm_precision();

// Weights converted once: while registered, a buffer's values are gemm() b operands
// that change only when changed() says so. In bf16, a b operand inside a registered
// buffer is converted to bf16 once per change and reused, not converted on every call;
// in int8 it is quantized once per change (and only such operands run in int8).
// Register a model's parameter buffer for as long as it lives at that address.
class ConstantOperands {
 public:
  ConstantOperands(const float* begin, std::size_t count);
  ~ConstantOperands();
  ConstantOperands(const ConstantOperands&) = delete;
  ConstantOperands& operator=(const ConstantOperands&) = delete;
  void changed();  // the values were updated: their bf16 and int8 copies are made again on next use

 private:
  const float* begin_;
};

// The instruction set oneDNN's kernels use on this CPU, by oneDNN's name (e.g. "avx2",
// "avx512_core_bf16"), and whether it has bf16, or int8 (VNNI or AMX), dot-product
// instructions.
std::string cpu_isa_name();
bool cpu_has_bf16();
bool cpu_has_int8();

// Throughput probe: GFLOP/s of the fastest of `repeats` n×n×n matmuls whose operands are
// f32, or bf16 (f32 results) with `bf16`; 0 when bf16 is asked of a CPU without it.
double square_gemm_gflops(int n, int repeats, bool bf16);

// One direction (left to right) of one GRU layer on oneDNN's lbr_gru primitive, over a
// batch-major sequence. Weights in oneDNN's plain "ldigo" layout with gates (u, r, n):
//   w_x  (I, 3, H)   input weights        w_h (H, 3, H) recurrent weights
//   bias (4, H)      b_u, b_r, b_n (input side), c_n (inside the reset product)
// The initial state is zero. There are no per-sentence lengths: callers arrange
// sentences so that padding comes after each sentence's last token.
class GruLayer {
 public:
  GruLayer(int input_size, int hidden_size);
  ~GruLayer();
  GruLayer(GruLayer&&) noexcept;
  GruLayer& operator=(GruLayer&&) noexcept;

  // What a forward pass leaves for its backward pass (oneDNN's workspace).
  struct Cache {
    int batch = 0, steps = 0;
    std::vector<std::uint8_t> workspace;
  };

  // x (B, T, I) -> h (B, T, H)
  void forward(int batch, int steps, const float* x, const float* w_x, const float* w_h,
               const float* bias, float* h, Cache& cache) const;
  // Given dh (B, T, H): dx (B, T, I) is overwritten; dw_x, dw_h, dbias are accumulated.
  void backward(const Cache& cache, const float* x, const float* w_x, const float* w_h,
                const float* bias, const float* h, const float* dh, float* dx, float* dw_x,
                float* dw_h, float* dbias) const;

  int input_size() const { return input_size_; }
  int hidden_size() const { return hidden_size_; }

  struct Primitives;  // oneDNN objects of one (batch, steps) shape, defined in the .cpp

 private:
  Primitives& primitives_for(int batch, int steps) const;

  int input_size_, hidden_size_;
  std::unique_ptr<struct GruLayerState> state_;
};

}  // namespace nmt
