// batch.cpp — padding sentence pairs into a Batch.
#include "model/batch.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "model/special_ids.hpp"

namespace nmt {

std::size_t Batch::target_tokens() const {
  return std::accumulate(target_lengths.begin(), target_lengths.end(), std::size_t{0});
}

std::size_t Batch::source_tokens() const {
  return std::accumulate(source_lengths.begin(), source_lengths.end(), std::size_t{0});
}

Batch make_batch(const std::vector<std::vector<int>>& sources,
                 const std::vector<std::vector<int>>& targets) {
  if (sources.empty()) throw std::invalid_argument("make_batch: no sentences");
  if (!targets.empty() && targets.size() != sources.size())
    throw std::invalid_argument("make_batch: " + std::to_string(sources.size()) + " sources but " +
                                std::to_string(targets.size()) + " targets");
  Batch b;
  b.batch = static_cast<int>(sources.size());
  for (const auto& s : sources) {
    if (s.empty()) throw std::invalid_argument("make_batch: empty source sentence");
    b.source_steps = std::max(b.source_steps, static_cast<int>(s.size()));
  }
  for (const auto& t : targets) b.target_steps = std::max(b.target_steps, static_cast<int>(t.size()) + 1);
  const auto B = static_cast<std::size_t>(b.batch);
  b.source.assign(B * b.source_steps, SpecialIds::pad);
  b.source_lengths.resize(B);
  for (std::size_t i = 0; i < B; ++i) {
    std::copy(sources[i].begin(), sources[i].end(), b.source.begin() + i * b.source_steps);
    b.source_lengths[i] = static_cast<int>(sources[i].size());
  }
  if (targets.empty()) return b;
  b.target_input.assign(B * b.target_steps, SpecialIds::pad);
  b.target_output.assign(B * b.target_steps, SpecialIds::pad);
  b.target_lengths.resize(B);
  for (std::size_t i = 0; i < B; ++i) {
    const auto& t = targets[i];
    int* in = b.target_input.data() + i * b.target_steps;
    int* out = b.target_output.data() + i * b.target_steps;
    in[0] = SpecialIds::bos;
    std::copy(t.begin(), t.end(), in + 1);
    std::copy(t.begin(), t.end(), out);
    out[t.size()] = SpecialIds::eos;
    b.target_lengths[i] = static_cast<int>(t.size()) + 1;
  }
  return b;
}

}  // namespace nmt
