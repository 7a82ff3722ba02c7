// reference_gru.hpp — a plain, double-precision GRU (linear-before-reset) for tests.
//
// Same weight layout as nmt's GRU layers: w_x (I, 3, H), w_h (H, 3, H), gates (u, r, n),
// bias (4, H) = b_u, b_r, b_n, c_n. Written for clarity, not speed; nothing else in nmt
// shares its code, so agreeing with it means something.
#pragma once

#include <cmath>
#include <vector>

namespace nmt::test {

struct ReferenceGru {
  int input, hidden;
  std::vector<double> w_x, w_h, bias;

  // One step: h_prev (H), x (I) -> h (H).
  std::vector<double> step(const double* x, const std::vector<double>& h_prev) const {
    const int H = hidden;
    std::vector<double> gx(3 * H, 0.0), gh(3 * H, 0.0), h(H);
    for (int i = 0; i < input; ++i)
      for (int g = 0; g < 3 * H; ++g) gx[g] += x[i] * w_x[i * 3 * H + g];
    for (int k = 0; k < H; ++k)
      for (int g = 0; g < 3 * H; ++g) gh[g] += h_prev[k] * w_h[k * 3 * H + g];
    for (int o = 0; o < H; ++o) {
      const double u = 1 / (1 + std::exp(-(gx[o] + gh[o] + bias[o])));
      const double r = 1 / (1 + std::exp(-(gx[H + o] + gh[H + o] + bias[H + o])));
      const double n = std::tanh(gx[2 * H + o] + bias[2 * H + o] + r * (gh[2 * H + o] + bias[3 * H + o]));
      h[o] = u * h_prev[o] + (1 - u) * n;
    }
    return h;
  }

  // x (B, T, I) -> h (B, T, H), each sentence from a zero state, left to right.
  std::vector<double> sequence(int batch, int steps, const std::vector<double>& x) const {
    std::vector<double> out(static_cast<std::size_t>(batch) * steps * hidden);
    for (int b = 0; b < batch; ++b) {
      std::vector<double> h(hidden, 0.0);
      for (int t = 0; t < steps; ++t) {
        h = step(&x[(static_cast<std::size_t>(b) * steps + t) * input], h);
        std::copy(h.begin(), h.end(), out.begin() + (static_cast<std::size_t>(b) * steps + t) * hidden);
      }
    }
    return out;
  }
};

}  // namespace nmt::test
