// embedding.cpp — embedding lookup forward and backward; the table's declaration.
#include "model/embedding.hpp"

#include <algorithm>
#include <utility>

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

EmbeddingTable::EmbeddingTable(std::string name, int vocab, int dim, bool output_matrix_init)
    : name_(std::move(name)), vocab_(vocab), dim_(dim), output_matrix_init_(output_matrix_init) {}

void EmbeddingTable::declare(ParameterLayout& layout) const {
  // As an output matrix, N(0, 1) rows would start the softmax at logits of norm ~sqrt(dim).
  if (output_matrix_init_)
    layout.add(name_, {vocab_, dim_}, InitKind::glorot, 1, vocab_, dim_);
  else
    layout.add(name_, {vocab_, dim_}, InitKind::normal_embedding);
}

}  // namespace nmt
