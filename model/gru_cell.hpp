// gru_cell.hpp — the element-wise part of one GRU step (linear-before-reset form).
//
// The matrix products are done by the caller (they can be batched over time on the
// input side); this is what remains per step. Gates in oneDNN's order (u, r, n):
//   u = σ(gx_u + gh_u)    r = σ(gx_r + gh_r)    n = tanh(gx_n + r ⊙ gh_n)
//   h = u ⊙ h_prev + (1 − u) ⊙ n
// where gx = W x + b (input side) and gh = U h_prev + c (hidden side), each (B, 3, D).
#pragma once

namespace nmt {

// Writes h (B, D), the activated gates (B, 3, D) and gh_n (B, D) for backward.
void gru_cell_forward(int batch, int hidden, const float* gx, const float* gh, const float* h_prev,
                      float* h, float* gates, float* hidden_n);

// Given dh (B, D): adds into dgx and dgh (B, 3, D), and adds u ⊙ dh into dh_prev (B, D)
// (the caller adds dgh · Uᵀ there).
void gru_cell_backward(int batch, int hidden, const float* gates, const float* hidden_n,
                       const float* h_prev, const float* dh, float* dgx, float* dgh,
                       float* dh_prev);

}  // namespace nmt
