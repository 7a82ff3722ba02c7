// adam.hpp — the Adam optimizer over a flat parameter buffer (one loop).
//
// Values, gradients and both moments share the ParameterLayout's layout, so an update
// is one pass over four arrays. Bias correction as in Kingma & Ba (2015).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt {

struct AdamSettings {
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};

class Adam {
 public:
  Adam(std::size_t size, AdamSettings settings);

  // values -= lr · m̂ / (sqrt(v̂) + ε), after folding in `grads`.
  void update(std::vector<float>& values, const std::vector<float>& grads, double lr);

  std::int64_t steps() const { return steps_; }
  std::vector<float>& first_moment() { return m_; }
  std::vector<float>& second_moment() { return v_; }
  void set_steps(std::int64_t steps) { steps_ = steps; }

 private:
  AdamSettings settings_;
  std::vector<float> m_, v_;
  std::int64_t steps_ = 0;
};

// Global L2 norm of a gradient buffer (double accumulation).
double gradient_norm(const std::vector<float>& grads);

}  // namespace nmt
