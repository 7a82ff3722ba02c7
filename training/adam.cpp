// adam.cpp — Adam update and gradient norm.
#include "training/adam.hpp"

#include <cmath>
#include <stdexcept>

namespace nmt {

Adam::Adam(std::size_t size, AdamSettings settings)
    : settings_(settings), m_(size, 0.f), v_(size, 0.f) {}

void Adam::update(std::vector<float>& values, const std::vector<float>& grads, double lr) {
  if (values.size() != m_.size() || grads.size() != m_.size())
    throw std::invalid_argument("Adam::update: buffer sizes differ from the optimizer's");
  ++steps_;
  const double b1 = settings_.beta1, b2 = settings_.beta2;
  const auto step_size = static_cast<float>(lr * std::sqrt(1.0 - std::pow(b2, steps_)) /
                                            (1.0 - std::pow(b1, steps_)));
  const auto epsilon_hat = static_cast<float>(settings_.epsilon * std::sqrt(1.0 - std::pow(b2, steps_)));
  const auto fb1 = static_cast<float>(b1), fb2 = static_cast<float>(b2);
  const std::size_t n = values.size();
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < n; ++i) {
    const float g = grads[i];
    m_[i] = fb1 * m_[i] + (1.f - fb1) * g;
    v_[i] = fb2 * v_[i] + (1.f - fb2) * g * g;
    values[i] -= step_size * m_[i] / (std::sqrt(v_[i]) + epsilon_hat);
  }
}

double gradient_norm(const std::vector<float>& grads) {
  double sum = 0;
  const std::size_t n = grads.size();
#pragma omp parallel for schedule(static) reduction(+ : sum)
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(grads[i]) * grads[i];
  return std::sqrt(sum);
}

}  // namespace nmt
