// dropout.cpp — counter-based inverted dropout.
#include "model/dropout.hpp"

#include <algorithm>

#include "model/random.hpp"

namespace nmt {

namespace {

// Batch 0 keeps the seed, so one batch per update draws the masks it always drew.
std::uint64_t batch_seed(const DropoutContext& context) {
  return context.batch == 0 ? context.seed : mix64(context.seed ^ mix64(~context.batch));
}
std::uint64_t site_stream(const DropoutContext& context, std::uint64_t site) {
  return context.step * 1000003ull + site;
}

}  // namespace

void dropout_mask(const DropoutContext& context, std::uint64_t site, std::size_t n,
                  std::vector<float>& mask) {
  if (context.rate <= 0.f) {
    mask.clear();
    return;
  }
  mask.resize(n);
  const float keep_scale = 1.f / (1.f - context.rate);
  const std::uint64_t seed = batch_seed(context), stream = site_stream(context, site);
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) mask[i] = uniform01(seed, stream, i) < context.rate ? 0.f : keep_scale;
}

void dropout_forward(const DropoutContext& context, std::uint64_t site, const float* x,
                     std::size_t n, float* out, std::vector<float>& mask) {
  dropout_mask(context, site, n, mask);
  if (mask.empty()) {
    if (out != x) std::copy_n(x, n, out);
    return;
  }
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) out[i] = x[i] * mask[i];
}

void row_dropout_forward(const DropoutContext& context, std::uint64_t site, float* x,
                         std::size_t rows, std::size_t width, std::vector<float>& mask) {
  if (context.rate <= 0.f) return;
  if (mask.empty()) mask.assign(rows * width, 1.f);
  const float keep_scale = 1.f / (1.f - context.rate);
  const std::uint64_t seed = batch_seed(context), stream = site_stream(context, site);
  for (std::size_t r = 0; r < rows; ++r) {
    const float factor = uniform01(seed, stream, r) < context.rate ? 0.f : keep_scale;
    for (std::size_t i = r * width; i < (r + 1) * width; ++i) {
      x[i] *= factor;
      mask[i] *= factor;
    }
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
