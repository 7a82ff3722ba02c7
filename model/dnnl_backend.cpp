// dnnl_backend.cpp — GEMMs on oneDNN 2.6's matmul primitive (f32, or bf16 operands, or
// int8 for weights: model/quantize.cpp), threads, precision and the CPU probes; the GRU
// layer is in dnnl_gru.cpp.
#include "model/dnnl_backend.hpp"
#include "model/dnnl_runtime.hpp"
#include "model/quantize.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

namespace nmt {
using namespace dnnl_internal;
namespace {

// ---- GEMM on the matmul primitive ---------------------------------------------------

using GemmKey = std::tuple<int, int, int, int, bool, int, bool, int, bool, bool, Precision>;

Precision& precision_setting() {
  static Precision precision = Precision::fp32;
  return precision;
}

// In bf16, a and b are first reordered into dense bf16 copies (a16, b16) that the
// matmul reads; a and b then describe the caller's f32 operands. In int8 only `int8` is
// made and used.
struct GemmPrimitive {
  dnnl::matmul primitive;
  memory a, b, c, bias;
  dnnl::reorder a_to_bf16, b_to_bf16;
  memory a16, b16;
  Int8Product int8;
};

memory::desc matrix_desc(int rows, int cols, int row_stride, bool transposed, dt type = dt::f32) {
  // A logical rows×cols matrix stored row-major (or column-major when transposed).
  const memory::dims strides = transposed ? memory::dims{1, row_stride} : memory::dims{row_stride, 1};
  return memory::desc({rows, cols}, type, strides);
}

GemmPrimitive make_gemm(const GemmArgs& g, Precision precision) {
  if (precision == Precision::int8) {
    GemmPrimitive p;
    p.int8 = make_int8_product(g);
    return p;
  }
  Runtime& rt = runtime();
  const auto a_md = matrix_desc(g.m, g.k, g.lda, g.transpose_a);
  const auto b_md = matrix_desc(g.k, g.n, g.ldb, g.transpose_b);
  const auto c_md = matrix_desc(g.m, g.n, g.ldc, false);
  const auto bias_md = g.bias ? memory::desc({1, g.n}, dt::f32, tag::ab) : memory::desc();
  dnnl::primitive_attr attr;
  if (g.accumulate) {
    dnnl::post_ops ops;
    ops.append_sum(1.f);
    attr.set_post_ops(ops);
  }
  GemmPrimitive p;
  p.a = memory(a_md, rt.engine, nullptr);
  p.b = memory(b_md, rt.engine, nullptr);
  p.c = memory(c_md, rt.engine, nullptr);
  if (g.bias) p.bias = memory(bias_md, rt.engine, nullptr);
  if (precision == Precision::fp32) {
    p.primitive = dnnl::matmul(
        dnnl::matmul::primitive_desc(dnnl::matmul::desc(a_md, b_md, bias_md, c_md), attr, rt.engine));
    return p;
  }
  // Dense bf16 copies in the operands' own orientation: a plain conversion pass, no transpose.
  const auto a16_md = matrix_desc(g.m, g.k, g.transpose_a ? g.m : g.k, g.transpose_a, dt::bf16);
  const auto b16_md = matrix_desc(g.k, g.n, g.transpose_b ? g.k : g.n, g.transpose_b, dt::bf16);
  p.a16 = memory(a16_md, rt.engine, nullptr);  // in the cache's shared scratch, set per call
  p.b16 = memory(b16_md, rt.engine, nullptr);
  p.a_to_bf16 = dnnl::reorder(p.a, p.a16);
  p.b_to_bf16 = dnnl::reorder(p.b, p.b16);
  p.primitive = dnnl::matmul(
      dnnl::matmul::primitive_desc(dnnl::matmul::desc(a16_md, b16_md, bias_md, c_md), attr, rt.engine));
  return p;
}

// bf16 and int8 copies of b operands inside registered constant buffers, by operand
// address, layout and precision; each remembers the buffer version it was converted at.
using ConvertedKey = std::tuple<const float*, int, int, int, bool, Precision>;  // b, k, n, ldb, transpose_b
struct Converted {
  std::uint64_t version = 0;
  memory b16;           // bf16
  QuantizedWeights b8;  // int8
};
struct ConstantBuffer {
  std::size_t count = 0;
  std::uint64_t version = 0;
};

struct GemmCache {
  std::mutex mutex;
  std::map<GemmKey, GemmPrimitive> primitives;
  std::map<const float*, ConstantBuffer> constants;  // by first element
  std::map<ConvertedKey, Converted> converted;
  // bf16 copies or int8 quantizations of the operands of the call under way (calls run
  // one at a time).
  std::vector<std::uint16_t> a16_scratch, b16_scratch;
  Int8Scratch int8_scratch;
};

// Points `m` at `scratch`, grown to fit its descriptor.
void use_scratch(memory& m, std::vector<std::uint16_t>& scratch) {
  const std::size_t elements = (m.get_desc().get_size() + 1) / sizeof(std::uint16_t);
  if (scratch.size() < elements) scratch.resize(elements);
  m.set_data_handle(scratch.data());
}

GemmCache& gemm_cache() {
  static GemmCache instance;
  return instance;
}

void check_gemm(const GemmArgs& g) {
  if (g.m <= 0 || g.n <= 0 || g.k <= 0)
    throw std::invalid_argument("gemm: empty shape " + std::to_string(g.m) + "x" +
                                std::to_string(g.n) + "x" + std::to_string(g.k));
  const int a_cols = g.transpose_a ? g.m : g.k;
  const int b_cols = g.transpose_b ? g.k : g.n;
  if (g.lda < a_cols || g.ldb < b_cols || g.ldc < g.n)
    throw std::invalid_argument("gemm: leading dimension smaller than the row length");
}

// ---- bf16 and int8 copies of constant operands -----------------------------------------

// The registered constant buffer holding g.b, or nullptr.
const ConstantBuffer* constant_buffer_of(const GemmCache& cache, const float* b) {
  auto after = cache.constants.upper_bound(b);
  if (after == cache.constants.begin()) return nullptr;
  const auto& [begin, buffer] = *std::prev(after);
  return b < begin + buffer.count ? &buffer : nullptr;
}

// The copy of the constant operand g.b in `precision`, made at its buffer's current
// version: made again by `convert` first when the buffer changed since or it is new.
template <class Convert>
Converted& constant_copy(GemmCache& cache, const ConstantBuffer& constant, const GemmArgs& g, Precision precision,
                         Convert&& convert) {
  const auto [found, is_new] =
      cache.converted.try_emplace(ConvertedKey{g.b, g.k, g.n, g.ldb, g.transpose_b, precision});
  Converted& copy = found->second;
  if (is_new || copy.version != constant.version) {
    convert(copy);
    copy.version = constant.version;
  }
  return copy;
}

// p.b as bf16: converted now into p.b16, or for a constant operand the copy made at the
// buffer's current version.
memory converted_b(GemmCache& cache, const GemmArgs& g, const ConstantBuffer* constant, GemmPrimitive& p) {
  if (!constant) {
    use_scratch(p.b16, cache.b16_scratch);
    p.b_to_bf16.execute(runtime().stream, p.b, p.b16);
    return p.b16;
  }
  return constant_copy(cache, *constant, g, Precision::bf16, [&](Converted& copy) {
           if (!copy.b16) copy.b16 = memory(p.b16.get_desc(), runtime().engine);
           p.b_to_bf16.execute(runtime().stream, p.b, copy.b16);
         }).b16;
}

// The precision a call runs in: int8 only where b is a weight (a constant operand);
// products of two activations stay f32.
Precision call_precision(Precision setting, const ConstantBuffer* constant) {
  return setting == Precision::int8 && !constant ? Precision::fp32 : setting;
}

// Drops the bf16 and int8 copies of operands inside [begin, begin + count).
void forget_converted(GemmCache& cache, const float* begin, std::size_t count) {
  for (auto it = cache.converted.begin(); it != cache.converted.end();) {
    const float* b = std::get<0>(it->first);
    it = b >= begin && b < begin + count ? cache.converted.erase(it) : std::next(it);
  }
}

}  // namespace

ConstantOperands::ConstantOperands(const float* begin, std::size_t count) : begin_(begin) {
  GemmCache& cache = gemm_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  cache.constants[begin] = ConstantBuffer{count, 0};
}

ConstantOperands::~ConstantOperands() {
  GemmCache& cache = gemm_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  const auto found = cache.constants.find(begin_);
  if (found == cache.constants.end()) return;
  forget_converted(cache, begin_, found->second.count);
  cache.constants.erase(found);
}

void ConstantOperands::changed() {
  GemmCache& cache = gemm_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  ++cache.constants.at(begin_).version;
}

void gemm(const GemmArgs& g) {
  check_gemm(g);
  GemmCache& cache = gemm_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  const ConstantBuffer* constant = constant_buffer_of(cache, g.b);
  const Precision precision = call_precision(precision_setting(), constant);
  const GemmKey key{g.m, g.n, g.k, g.lda, g.transpose_a, g.ldb, g.transpose_b, g.ldc,
                    g.bias != nullptr, g.accumulate, precision};
  auto found = cache.primitives.find(key);
  if (found == cache.primitives.end()) found = cache.primitives.emplace(key, make_gemm(g, precision)).first;
  GemmPrimitive& p = found->second;
  if (precision == Precision::int8) {
    Converted& weights = constant_copy(cache, *constant, g, precision, [&](Converted& copy) {
      copy.b8 = quantize_weights(g);
    });
    int8_gemm(g, p.int8, weights.b8, cache.int8_scratch);
    return;
  }
  p.a.set_data_handle(const_cast<float*>(g.a));
  p.b.set_data_handle(const_cast<float*>(g.b));
  p.c.set_data_handle(g.c);
  memory a = p.a, b = p.b;  // what the matmul reads: the caller's f32 or bf16 copies
  if (precision == Precision::bf16) {
    use_scratch(p.a16, cache.a16_scratch);
    p.a_to_bf16.execute(runtime().stream, p.a, p.a16);
    a = p.a16;
    b = converted_b(cache, g, constant, p);
  }
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, p.c}};
  if (g.bias) {
    p.bias.set_data_handle(const_cast<float*>(g.bias));
    args.emplace(DNNL_ARG_BIAS, p.bias);
  }
  p.primitive.execute(runtime().stream, args);
  runtime().stream.wait();
}

std::string cpu_isa_name() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

bool cpu_has_bf16() {
  const auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

bool cpu_has_int8() {  // every ISA oneDNN ranks above avx512_core_vnni has VNNI too
  const auto isa = dnnl::get_effective_cpu_isa();
  return isa == dnnl::cpu_isa::avx2_vnni || isa == dnnl::cpu_isa::avx512_core_vnni ||
         isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
}

void set_gemm_precision(Precision precision) {
  if (precision == Precision::bf16 && !cpu_has_bf16())
    throw std::runtime_error("bf16 matrix products need a CPU with bf16 instructions (AVX512_BF16 or AMX); "
                             "oneDNN finds ISA " + cpu_isa_name() + " here");
  if (precision == Precision::int8 && !cpu_has_int8())
    throw std::runtime_error("int8 matrix products need a CPU with int8 dot-product instructions (AVX512_VNNI, "
                             "AVX_VNNI or AMX); oneDNN finds ISA " + cpu_isa_name() + " here");
  precision_setting() = precision;
}

Precision gemm_precision() { return precision_setting(); }

double square_gemm_gflops(int n, int repeats, bool bf16) {
  if (bf16 && !cpu_has_bf16()) return 0;
  Runtime& rt = runtime();
  const memory::dims shape{n, n};
  const memory::desc in_md(shape, bf16 ? dt::bf16 : dt::f32, tag::ab);
  const memory::desc out_md(shape, dt::f32, tag::ab);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(in_md, in_md, out_md), rt.engine);
  const dnnl::matmul matmul(pd);
  memory a(in_md, rt.engine), b(in_md, rt.engine), c(out_md, rt.engine);
  std::memset(a.get_data_handle(), 0, in_md.get_size());
  std::memset(b.get_data_handle(), 0, in_md.get_size());
  const std::unordered_map<int, memory> args{{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}};
  double best = 0;
  for (int i = 0; i <= repeats; ++i) {  // the first run warms up and is not counted
    const auto start = std::chrono::steady_clock::now();
    matmul.execute(rt.stream, args);
    rt.stream.wait();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (i > 0) best = std::max(best, 2.0 * n * n * static_cast<double>(n) / seconds / 1e9);
  }
  return best;
}

void gemm_a_bt(int m, int n, int k, const float* a, const float* b, float* c, const float* bias,
               bool accumulate) {
  GemmArgs g;
  g.m = m, g.n = n, g.k = k;
  g.a = a, g.lda = k;
  g.b = b, g.ldb = k, g.transpose_b = true;
  g.c = c, g.ldc = n;
  g.bias = bias;
  g.accumulate = accumulate;
  gemm(g);
}

void gemm_a_b(int m, int n, int k, const float* a, const float* b, float* c, bool accumulate,
              const float* bias) {
  GemmArgs g;
  g.m = m, g.n = n, g.k = k;
  g.a = a, g.lda = k;
  g.b = b, g.ldb = n;
  g.c = c, g.ldc = n;
  g.bias = bias;
  g.accumulate = accumulate;
  gemm(g);
}

void gemm_at_b(int m, int n, int k, const float* a, const float* b, float* c, bool accumulate) {
  GemmArgs g;
  g.m = m, g.n = n, g.k = k;
  g.a = a, g.lda = m, g.transpose_a = true;
  g.b = b, g.ldb = n;
  g.c = c, g.ldc = n;
  g.accumulate = accumulate;
  gemm(g);
}

void set_num_threads(int threads) { omp_set_num_threads(std::max(1, threads)); }

}  // namespace nmt
