// encoder_state.hpp — the encoded source that the decoder attends to: h and the keys.
//
// Shapes: M encoded sentences, S source positions (after padding), C = 2H context size,
// K key size; N decoder rows (sentences in training, hypotheses in search).
#pragma once

#include <cstddef>
#include <vector>

namespace nmt {

// The encoded source, ready for decoding; rows can be reordered (beam search).
// Decoder row n reads encoder row memory_row(n) of h and keys: selecting rows (beams
// expanding, sentences finishing) composes this index instead of copying h and keys.
struct EncoderState {
  int rows = 0, steps = 0;
  std::vector<int> lengths;     // (N) source length of each decoder row
  std::vector<float> h;         // (M, S, C), M encoded sentences
  std::vector<float> keys;      // (M, S, K)
  std::vector<int> source_row;  // (N) row of h/keys per decoder row; empty: row n is n
  int memory_row(int n) const { return source_row.empty() ? n : source_row[static_cast<std::size_t>(n)]; }
  // Keeps decoder rows index[0], index[1], ... (repeats allowed).
  void select_rows(const std::vector<int>& index);
};

}  // namespace nmt
