// sorted_batches.hpp — translation batches: non-empty sources sorted by length, cut
// into batches, so little padding is decoded; results go back to input order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace nmt {

// Calls run(batch, indices) for each batch: `batch` holds sources[indices[i]].
template <class Run>
void for_each_sorted_batch(const std::vector<std::vector<int>>& sources, int batch_size, Run run) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < sources.size(); ++i)
    if (!sources[i].empty()) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sources[a].size() < sources[b].size(); });
  const std::size_t size = static_cast<std::size_t>(std::max(1, batch_size));
  for (std::size_t start = 0; start < order.size(); start += size) {
    const std::vector<std::size_t> indices(order.begin() + static_cast<std::ptrdiff_t>(start),
                                           order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + size)));
    std::vector<std::vector<int>> batch;
    batch.reserve(indices.size());
    for (const std::size_t i : indices) batch.push_back(sources[i]);
    run(batch, indices);
  }
}

}  // namespace nmt
