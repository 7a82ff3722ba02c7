// gru_cell.cpp — lbr GRU step, element-wise forward and backward.
#include "model/gru_cell.hpp"

#include <cmath>
#include <cstddef>

#include "model/fast_math.hpp"

namespace nmt {
void gru_cell_forward(int batch, int hidden, const float* gx, const float* gh, const float* h_prev,
                      float* h, float* gates, float* hidden_n) {
  const std::size_t D = static_cast<std::size_t>(hidden);
#pragma omp parallel for schedule(static)
  for (int b = 0; b < batch; ++b) {
    const float* x = gx + b * 3 * D;
    const float* y = gh + b * 3 * D;
    float* g = gates + b * 3 * D;
#pragma omp simd
    for (std::size_t i = 0; i < D; ++i) {
      const float u = fast_sigmoid(x[i] + y[i]);
      const float r = fast_sigmoid(x[D + i] + y[D + i]);
      const float n = fast_tanh(x[2 * D + i] + r * y[2 * D + i]);
      g[i] = u;
      g[D + i] = r;
      g[2 * D + i] = n;
      hidden_n[b * D + i] = y[2 * D + i];
      h[b * D + i] = u * h_prev[b * D + i] + (1.f - u) * n;
    }
  }
}

void gru_cell_backward(int batch, int hidden, const float* gates, const float* hidden_n,
                       const float* h_prev, const float* dh, float* dgx, float* dgh,
                       float* dh_prev) {
  const std::size_t D = static_cast<std::size_t>(hidden);
#pragma omp parallel for schedule(static)
  for (int b = 0; b < batch; ++b) {
    const float* g = gates + b * 3 * D;
    float* dx = dgx + b * 3 * D;
    float* dy = dgh + b * 3 * D;
    for (std::size_t i = 0; i < D; ++i) {
      const float u = g[i], r = g[D + i], n = g[2 * D + i];
      const float d = dh[b * D + i];
      const float dn_pre = d * (1.f - u) * (1.f - n * n);     // through n = tanh(·)
      const float du_pre = d * (h_prev[b * D + i] - n) * u * (1.f - u);
      const float dr_pre = dn_pre * hidden_n[b * D + i] * r * (1.f - r);
      dx[i] += du_pre;
      dy[i] += du_pre;
      dx[D + i] += dr_pre;
      dy[D + i] += dr_pre;
      dx[2 * D + i] += dn_pre;
      dy[2 * D + i] += dn_pre * r;
      dh_prev[b * D + i] += d * u;
    }
  }
}

}  // namespace nmt
