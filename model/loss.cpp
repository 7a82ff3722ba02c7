// loss.cpp — softmax cross-entropy with label smoothing, forward and backward.
#include "model/loss.hpp"

#include <algorithm>
#include <cmath>

#include "model/fast_math.hpp"

namespace nmt {
namespace {

// Returns log Σ exp(row) with the max subtracted for stability.
double log_sum_exp(const float* row, int vocab) {
  const float max = *std::max_element(row, row + vocab);
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int v = 0; v < vocab; ++v) sum += static_cast<double>(fast_exp(row[v] - max));
  return max + std::log(sum);
}

}  // namespace

LossSums cross_entropy_forward(float* logits, const int* targets, std::size_t rows, int vocab,
                               float smoothing) {
  double loss = 0, nll = 0;
#pragma omp parallel for schedule(static) reduction(+ : loss, nll)
  for (std::size_t i = 0; i < rows; ++i) {
    float* row = logits + i * vocab;
    const float max = *std::max_element(row, row + vocab);
    const float target_logit = row[targets[i]];
    double sum_logits = 0, sum_exp = 0;
#pragma omp simd reduction(+ : sum_logits, sum_exp)
    for (int v = 0; v < vocab; ++v) {  // each exp once: the logits become exp(z - max)
      sum_logits += row[v];
      row[v] = fast_exp(row[v] - max);
      sum_exp += static_cast<double>(row[v]);
    }
    const double lse = max + std::log(sum_exp);
    const double target_nll = lse - target_logit;
    const double mean_nll = lse - sum_logits / vocab;  // -(1/V) Σ log p_v
    nll += target_nll;
    loss += (1.0 - smoothing) * target_nll + smoothing * mean_nll;
    const auto inverse = static_cast<float>(1.0 / sum_exp);
    for (int v = 0; v < vocab; ++v) row[v] *= inverse;
  }
  return {loss, nll};
}

void cross_entropy_backward(const float* probs, float* dlogits, const int* targets, std::size_t rows,
                            int vocab, float smoothing, float scale) {
  const float uniform = smoothing / static_cast<float>(vocab);
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < rows; ++i) {
    const float* p = probs + i * vocab;
    float* d = dlogits + i * vocab;
    for (int v = 0; v < vocab; ++v) d[v] = scale * (p[v] - uniform);
    d[targets[i]] -= scale * (1.f - smoothing);
  }
}

void log_softmax_rows(float* logits, std::size_t rows, int vocab) {
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < rows; ++i) {
    float* row = logits + i * vocab;
    const auto lse = static_cast<float>(log_sum_exp(row, vocab));
    for (int v = 0; v < vocab; ++v) row[v] -= lse;
  }
}

}  // namespace nmt
