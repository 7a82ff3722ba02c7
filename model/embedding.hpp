// embedding.hpp — table lookup and its gradient (a scatter-add).
#pragma once

#include <cstddef>

namespace nmt {

// out (n, dim) = table[ids[i]] for each of the n ids; table is (vocab, dim).
void embedding_forward(const float* table, int dim, const int* ids, std::size_t n, float* out);
// dtable[ids[i]] += dout[i] for each row (rows with the same id add up).
void embedding_backward(const int* ids, std::size_t n, int dim, const float* dout, float* dtable);

}  // namespace nmt
