// loss.hpp — label-smoothed cross-entropy over the real target tokens.
//
// For a row with target y and V classes, with p = softmax(logits) and smoothing ε:
//   loss = -(1-ε) log p_y - (ε/V) Σ_v log p_v        nll = -log p_y
// The gradient with respect to the logits is p - q with q = (1-ε) onehot(y) + ε/V.
#pragma once

#include <cstddef>

namespace nmt {

struct LossSums {
  double loss = 0;  // Σ smoothed loss over rows
  double nll = 0;   // Σ -log p_y (perplexity = exp(nll / rows))
};

// logits (rows, V) are replaced by the probabilities, which backward reads.
LossSums cross_entropy_forward(float* logits_to_probs, const int* targets, std::size_t rows,
                               int vocab, float smoothing);
// dlogits (rows, V) = scale * (p - q) from the probabilities (dlogits may be probs).
void cross_entropy_backward(const float* probs, float* dlogits, const int* targets, std::size_t rows,
                            int vocab, float smoothing, float scale);

// Row-wise log-softmax in place (rows, V): used by search.
void log_softmax_rows(float* logits, std::size_t rows, int vocab);

}  // namespace nmt
