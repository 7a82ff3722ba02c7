// embedding.cpp — embedding lookup forward and backward.
#include "model/embedding.hpp"

#include <algorithm>

namespace nmt {

void embedding_forward(const float* table, int dim, const int* ids, std::size_t n, float* out) {
  for (std::size_t i = 0; i < n; ++i)
    std::copy_n(table + static_cast<std::size_t>(ids[i]) * dim, dim, out + i * dim);
}

void embedding_backward(const int* ids, std::size_t n, int dim, const float* dout, float* dtable) {
  for (std::size_t i = 0; i < n; ++i) {
    float* row = dtable + static_cast<std::size_t>(ids[i]) * dim;
    const float* g = dout + i * dim;
    for (int k = 0; k < dim; ++k) row[k] += g[k];
  }
}

}  // namespace nmt
