// dropout.cpp — counter-based inverted dropout.
#include "model/dropout.hpp"

#include <algorithm>

#include "model/random.hpp"

namespace nmt {

void dropout_forward(const DropoutContext& context, std::uint64_t site, const float* x,
                     std::size_t n, float* out, std::vector<float>& mask) {
  if (context.rate <= 0.f) {
    mask.clear();
    if (out != x) std::copy_n(x, n, out);
    return;
  }
  mask.resize(n);
  const float keep_scale = 1.f / (1.f - context.rate);
  const std::uint64_t stream = context.step * 1000003ull + site;
  // Batch 0 keeps the seed, so one batch per update draws the masks it always drew.
  const std::uint64_t seed = context.batch == 0 ? context.seed : mix64(context.seed ^ mix64(~context.batch));
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) {
    mask[i] = uniform01(seed, stream, i) < context.rate ? 0.f : keep_scale;
    out[i] = x[i] * mask[i];
  }
}

void dropout_backward(const std::vector<float>& mask, const float* dout, std::size_t n, float* dx) {
  if (mask.empty()) {
    if (dx != dout) std::copy_n(dout, n, dx);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) dx[i] = dout[i] * mask[i];
}

}  // namespace nmt
