// dropout.hpp — inverted dropout with masks drawn from (seed, stream, index).
//
// The mask holds 0 or 1/(1-p) per element, so backward is one multiply. A stream
// number names each dropout site and step; the same stream gives the same mask. With
// gradient accumulation (or several processes) an update spans several batches: each
// batch of the update draws its own masks, a function of (seed, step, batch, site).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nmt {

struct DropoutContext {
  float rate = 0.f;          // 0 = off (inference, or a model without dropout)
  std::uint64_t seed = 0;
  std::uint64_t step = 0;    // training step: a fresh mask per update
  std::uint64_t batch = 0;   // the batch's place in its update (0: the masks of one batch per update)
};

// mask (n) = 0 or 1/(1-p) per element, p = context.rate; cleared when the rate is 0.
void dropout_mask(const DropoutContext& context, std::uint64_t site, std::size_t n,
                  std::vector<float>& mask);
// out = x ⊙ mask (in place allowed). Fills `mask` (n) unless rate is 0, when out = x.
void dropout_forward(const DropoutContext& context, std::uint64_t site, const float* x,
                     std::size_t n, float* out, std::vector<float>& mask);
// Token dropout: whole rows of x (rows, width), e.g. embeddings, are zeroed with
// probability context.rate and the others scaled by 1/(1-p), in place; `mask` (rows·width)
// is multiplied by the same factors (filled with ones first when empty), so
// dropout_backward undoes both kinds at once. Nothing happens when the rate is 0.
void row_dropout_forward(const DropoutContext& context, std::uint64_t site, float* x,
                         std::size_t rows, std::size_t width, std::vector<float>& mask);
// dx = dout ⊙ mask (in place allowed); with an empty mask dx = dout.
void dropout_backward(const std::vector<float>& mask, const float* dout, std::size_t n, float* dx);

}  // namespace nmt
