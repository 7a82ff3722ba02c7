// dropout.hpp — inverted dropout with masks drawn from (seed, stream, index).
//
// The mask holds 0 or 1/(1-p) per element, so backward is one multiply. A stream
// number names each dropout site and step; the same stream gives the same mask.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt {

struct DropoutContext {
  float rate = 0.f;          // 0 = off (inference, or a model without dropout)
  std::uint64_t seed = 0;
  std::uint64_t step = 0;    // training step: a fresh mask per update
};

// out = x ⊙ mask (in place allowed). Fills `mask` (n) unless rate is 0, when out = x.
void dropout_forward(const DropoutContext& context, std::uint64_t site, const float* x,
                     std::size_t n, float* out, std::vector<float>& mask);
// dx = dout ⊙ mask (in place allowed); with an empty mask dx = dout.
void dropout_backward(const std::vector<float>& mask, const float* dout, std::size_t n, float* dx);

}  // namespace nmt
