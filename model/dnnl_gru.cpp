// dnnl_gru.cpp — the GRU layer of dnnl_backend.hpp on oneDNN 2.6's lbr_gru primitive
// (forward with workspace, backward with weight gradients), f32 or bf16 operands.
#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "model/dnnl_backend.hpp"
#include "model/dnnl_runtime.hpp"

namespace nmt {
using namespace dnnl_internal;

// Primitives and layouts of one (batch, steps, precision) shape. In bf16 the sequences
// and weights the primitives read are bf16; gradients, bias and results given back stay f32.
struct GruLayer::Primitives {
  bool bf16 = false;
  dnnl::lbr_gru_forward::primitive_desc forward_pd;
  dnnl::lbr_gru_forward forward;
  dnnl::lbr_gru_backward::primitive_desc backward_pd;
  dnnl::lbr_gru_backward backward;
};

struct GruLayerState {
  std::mutex mutex;
  std::map<std::tuple<int, int, bool>, GruLayer::Primitives> primitives;
};

GruLayer::GruLayer(int input_size, int hidden_size)
    : input_size_(input_size), hidden_size_(hidden_size), state_(std::make_unique<GruLayerState>()) {
  if (input_size <= 0 || hidden_size <= 0) throw std::invalid_argument("GruLayer: empty size");
}
GruLayer::~GruLayer() = default;
GruLayer::GruLayer(GruLayer&&) noexcept = default;
GruLayer& GruLayer::operator=(GruLayer&&) noexcept = default;

namespace {

// The plain layouts nmt stores GRU weights in.
memory::desc weights_x_plain(int input, int hidden) {
  return memory::desc({1, 1, input, 3, hidden}, dt::f32, tag::ldigo);
}
memory::desc weights_h_plain(int hidden) {
  return memory::desc({1, 1, hidden, 3, hidden}, dt::f32, tag::ldigo);
}
memory::desc bias_plain(int hidden) { return memory::desc({1, 1, 4, hidden}, dt::f32, tag::ldgo); }
memory::desc weights_any(int input, int hidden, dt type = dt::f32) {
  return memory::desc({1, 1, input, 3, hidden}, type, tag::any);
}

// `plain` data as a memory in layout (and data type) `wanted`: the user memory itself if
// they agree, else a reordered copy kept in `storage`.
memory as_layout(const memory::desc& plain, const float* data, const memory::desc& wanted,
                 std::vector<float>& storage) {
  Runtime& rt = runtime();
  memory user(plain, rt.engine, const_cast<float*>(data));
  if (plain == wanted) return user;
  storage.resize((wanted.get_size() + sizeof(float) - 1) / sizeof(float));
  memory converted(wanted, rt.engine, storage.data());
  dnnl::reorder(user, converted).execute(rt.stream, user, converted);
  return converted;
}

// Adds a gradient computed in layout `computed` (in `scratch`) to `out` in layout `plain`.
void add_in_layout(const memory::desc& computed, std::vector<float>& scratch,
                   const memory::desc& plain, float* out) {
  Runtime& rt = runtime();
  const std::size_t count = plain.get_size() / sizeof(float);
  const float* source = scratch.data();
  std::vector<float> converted;
  if (!(computed == plain)) {
    converted.resize(count);
    memory from(computed, rt.engine, scratch.data());
    memory to(plain, rt.engine, converted.data());
    dnnl::reorder(from, to).execute(rt.stream, from, to);
    rt.stream.wait();
    source = converted.data();
  }
  for (std::size_t i = 0; i < count; ++i) out[i] += source[i];
}

}  // namespace

GruLayer::Primitives& GruLayer::primitives_for(int batch, int steps) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  const bool bf16 = gemm_precision() == Precision::bf16;  // int8 leaves the GRU layer in f32
  const auto key = std::make_tuple(batch, steps, bf16);
  auto found = state_->primitives.find(key);
  if (found != state_->primitives.end()) return found->second;

  Runtime& rt = runtime();
  const int I = input_size_, H = hidden_size_;
  const dt data = bf16 ? dt::bf16 : dt::f32;
  const auto direction = dnnl::rnn_direction::unidirectional_left2right;
  const auto src = sequence_desc(steps, batch, I, data);
  const auto dst = sequence_desc(steps, batch, H, data);
  const auto diff_src = sequence_desc(steps, batch, I), diff_dst = sequence_desc(steps, batch, H);
  const memory::desc none;  // zero initial state, final state not needed
  const dnnl::lbr_gru_forward::desc forward_desc(
      dnnl::prop_kind::forward_training, direction, src, none, weights_any(I, H, data),
      weights_any(H, H, data), bias_plain(H), dst, none);
  dnnl::lbr_gru_forward::primitive_desc forward_pd(forward_desc, rt.engine);
  const dnnl::lbr_gru_backward::desc backward_desc(
      dnnl::prop_kind::backward, direction, src, none, weights_any(I, H, data), weights_any(H, H, data),
      bias_plain(H), dst, none, diff_src, none, weights_any(I, H), weights_any(H, H), bias_plain(H),
      diff_dst, none);
  dnnl::lbr_gru_backward::primitive_desc backward_pd(backward_desc, rt.engine, forward_pd);
  Primitives p{bf16, forward_pd, dnnl::lbr_gru_forward(forward_pd), backward_pd,
               dnnl::lbr_gru_backward(backward_pd)};
  return state_->primitives.emplace(key, std::move(p)).first->second;
}

void GruLayer::forward(int batch, int steps, const float* x, const float* w_x, const float* w_h,
                       const float* bias, float* h, Cache& cache) const {
  Primitives& p = primitives_for(batch, steps);
  Runtime& rt = runtime();
  const int I = input_size_, H = hidden_size_;
  std::vector<float> w_x_storage, w_h_storage;
  const memory w_x_mem = as_layout(weights_x_plain(I, H), w_x, p.forward_pd.weights_layer_desc(), w_x_storage);
  const memory w_h_mem = as_layout(weights_h_plain(H), w_h, p.forward_pd.weights_iter_desc(), w_h_storage);
  cache.batch = batch;
  cache.steps = steps;
  cache.workspace.resize(p.forward_pd.workspace_desc().get_size());
  std::vector<float> src_storage, dst_storage;
  const memory src = as_layout(sequence_desc(steps, batch, I), x, p.forward_pd.src_layer_desc(), src_storage);
  memory user_dst(sequence_desc(steps, batch, H), rt.engine, h);
  memory dst = user_dst;
  if (p.bf16) {
    dst_storage.resize((p.forward_pd.dst_layer_desc().get_size() + sizeof(float) - 1) / sizeof(float));
    dst = memory(p.forward_pd.dst_layer_desc(), rt.engine, dst_storage.data());
  }
  memory bias_mem(bias_plain(H), rt.engine, const_cast<float*>(bias));
  memory workspace(p.forward_pd.workspace_desc(), rt.engine, cache.workspace.data());
  p.forward.execute(rt.stream, {{DNNL_ARG_SRC_LAYER, src},
                                {DNNL_ARG_WEIGHTS_LAYER, w_x_mem},
                                {DNNL_ARG_WEIGHTS_ITER, w_h_mem},
                                {DNNL_ARG_BIAS, bias_mem},
                                {DNNL_ARG_DST_LAYER, dst},
                                {DNNL_ARG_WORKSPACE, workspace}});
  if (p.bf16) dnnl::reorder(dst, user_dst).execute(rt.stream, dst, user_dst);
  rt.stream.wait();
}

void GruLayer::backward(const Cache& cache, const float* x, const float* w_x, const float* w_h,
                        const float* bias, const float* h, const float* dh, float* dx, float* dw_x,
                        float* dw_h, float* dbias) const {
  Primitives& p = primitives_for(cache.batch, cache.steps);
  Runtime& rt = runtime();
  const int I = input_size_, H = hidden_size_, B = cache.batch, T = cache.steps;
  const auto& pd = p.backward_pd;
  std::vector<float> w_x_storage, w_h_storage;
  const memory w_x_mem = as_layout(weights_x_plain(I, H), w_x, pd.weights_layer_desc(), w_x_storage);
  const memory w_h_mem = as_layout(weights_h_plain(H), w_h, pd.weights_iter_desc(), w_h_storage);
  // oneDNN adds into its weight gradients: give it zeroed scratch, then add to ours.
  std::vector<float> dw_x_scratch(pd.diff_weights_layer_desc().get_size() / sizeof(float), 0.f);
  std::vector<float> dw_h_scratch(pd.diff_weights_iter_desc().get_size() / sizeof(float), 0.f);
  std::vector<float> dbias_scratch(4 * static_cast<std::size_t>(H), 0.f);
  std::vector<float> src_storage, dst_storage;
  const memory src = as_layout(sequence_desc(T, B, I), x, pd.src_layer_desc(), src_storage);
  const memory dst = as_layout(sequence_desc(T, B, H), h, pd.dst_layer_desc(), dst_storage);
  memory diff_dst(sequence_desc(T, B, H), rt.engine, const_cast<float*>(dh));
  memory diff_src(sequence_desc(T, B, I), rt.engine, dx);
  memory bias_mem(bias_plain(H), rt.engine, const_cast<float*>(bias));
  memory diff_w_x(pd.diff_weights_layer_desc(), rt.engine, dw_x_scratch.data());
  memory diff_w_h(pd.diff_weights_iter_desc(), rt.engine, dw_h_scratch.data());
  memory diff_bias(bias_plain(H), rt.engine, dbias_scratch.data());
  memory workspace(pd.workspace_desc(), rt.engine, const_cast<std::uint8_t*>(cache.workspace.data()));
  p.backward.execute(rt.stream, {{DNNL_ARG_SRC_LAYER, src},
                                 {DNNL_ARG_WEIGHTS_LAYER, w_x_mem},
                                 {DNNL_ARG_WEIGHTS_ITER, w_h_mem},
                                 {DNNL_ARG_BIAS, bias_mem},
                                 {DNNL_ARG_DST_LAYER, dst},
                                 {DNNL_ARG_DIFF_DST_LAYER, diff_dst},
                                 {DNNL_ARG_DIFF_SRC_LAYER, diff_src},
                                 {DNNL_ARG_DIFF_WEIGHTS_LAYER, diff_w_x},
                                 {DNNL_ARG_DIFF_WEIGHTS_ITER, diff_w_h},
                                 {DNNL_ARG_DIFF_BIAS, diff_bias},
                                 {DNNL_ARG_WORKSPACE, workspace}});
  rt.stream.wait();
  add_in_layout(pd.diff_weights_layer_desc(), dw_x_scratch, weights_x_plain(I, H), dw_x);
  add_in_layout(pd.diff_weights_iter_desc(), dw_h_scratch, weights_h_plain(H), dw_h);
  for (std::size_t i = 0; i < dbias_scratch.size(); ++i) dbias[i] += dbias_scratch[i];
}

}  // namespace nmt
