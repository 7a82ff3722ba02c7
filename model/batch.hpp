// batch.hpp — a padded batch of sentence pairs as the model reads it.
//
// Batch-major: source (B, S), targets (B, T). Sentences are left-aligned and padded
// with SpecialIds::pad at the end. target_input starts with bos, target_output ends with
// eos: for a target sentence y_1..y_n, input = bos y_1..y_n and output = y_1..y_n eos.
#pragma once

#include <cstddef>
#include <vector>

namespace nmt {

struct Batch {
  int batch = 0;             // B
  int source_steps = 0;      // S = longest source length
  int target_steps = 0;      // T = longest target length (+1 for bos/eos)
  std::vector<int> source;          // (B, S)
  std::vector<int> source_lengths;  // (B)
  std::vector<int> target_input;    // (B, T)
  std::vector<int> target_output;   // (B, T)
  std::vector<int> target_lengths;  // (B), n + 1 for a target of n pieces

  std::size_t target_tokens() const;  // real target positions (eos included)
  std::size_t source_tokens() const;
};

// Builds a batch from token ids (without bos/eos; they are added here). Targets may be
// empty (a source-only batch for translation). Throws std::invalid_argument on an
// empty source sentence or mismatched sizes.
Batch make_batch(const std::vector<std::vector<int>>& sources,
                 const std::vector<std::vector<int>>& targets);

}  // namespace nmt
