// random.hpp — the model's random numbers: seeded, counter-based, the same everywhere.
//
// Dropout masks are a pure function of (seed, stream, index), so they do not depend
// on thread count or call order, and a forward pass repeated with the same stream
// draws the same mask (which the gradient checks rely on).
#pragma once

#include <cmath>
#include <cstdint>

namespace nmt {

// splitmix64's finaliser: a good 64-bit mix of one integer.
inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Uniform in [0, 1) from (seed, stream, index).
inline float uniform01(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  const std::uint64_t bits = mix64(mix64(seed ^ mix64(stream)) + index);
  return static_cast<float>(bits >> 40) * (1.0f / 16777216.0f);  // 24 random bits
}

// A sequential generator for initialisation.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(mix64(seed)) {}
  std::uint64_t next() { return mix64(state_++); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double low, double high) { return low + (high - low) * uniform(); }
  double normal() {  // Box–Muller
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::uint64_t state_;
};

}  // namespace nmt
