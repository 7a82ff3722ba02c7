// column_sums.hpp — out (width) += Σ over rows of a (count, width) row-major matrix.
//
// The gradient of a bias added to every row; shared by every layer that has one.
#pragma once

#include <cstddef>

namespace nmt {

inline void add_column_sums(const float* rows, std::size_t count, int width, float* out) {
  for (std::size_t n = 0; n < count; ++n)
    for (int i = 0; i < width; ++i) out[i] += rows[n * width + i];
}

}  // namespace nmt
