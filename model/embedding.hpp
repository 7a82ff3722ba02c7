// embedding.hpp — table lookup and its gradient (a scatter-add), and the table as a
// parameter of the model.
#pragma once

#include <cstddef>
#include <string>

#include "model/parameters.hpp"

namespace nmt {

// out (n, dim) = table[ids[i]] for each of the n ids; table is (vocab, dim).
void embedding_forward(const float* table, int dim, const int* ids, std::size_t n, float* out);
// dtable[ids[i]] += dout[i] for each row (rows with the same id add up).
void embedding_backward(const int* ids, std::size_t n, int dim, const float* dout, float* dtable);

// One (vocab, dim) table registered as `name`: rows from N(0, 1), or Glorot-initialised
// as an output matrix (vocab, dim) would be when it also serves as one (tied embeddings).
class EmbeddingTable {
 public:
  EmbeddingTable(std::string name, int vocab, int dim, bool output_matrix_init);

  void declare(ParameterLayout& layout) const;
  template <class T>
  T* bind(const ParameterLayout& layout, T* base) const { return tensor_at(layout, base, name_); }  // (vocab, dim)

 private:
  std::string name_;
  int vocab_, dim_;
  bool output_matrix_init_;
};

}  // namespace nmt
