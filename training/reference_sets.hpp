// reference_sets.hpp — several references per hypothesis, as BLEU and chrF take them.
//
// reference_sets[k][i] is the k-th reference of hypothesis i: one set per reference
// file, each line-aligned with the hypotheses (sacreBLEU's `refs` argument).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace nmt {

using ReferenceSets = std::vector<std::vector<std::string>>;

// Throws std::invalid_argument naming `metric` unless there is at least one set and
// every set holds one reference per hypothesis.
inline void expect_reference_sets(std::string_view metric, std::size_t hypotheses, const ReferenceSets& sets) {
  if (sets.empty()) throw std::invalid_argument(fmt::format("{} needs at least one reference", metric));
  for (const auto& references : sets)
    if (references.size() != hypotheses)
      throw std::invalid_argument(
          fmt::format("{} needs as many hypotheses as references ({} vs {})", metric, hypotheses, references.size()));
}

// The references of hypothesis i, one from each set.
inline std::vector<std::string_view> references_of(const ReferenceSets& sets, std::size_t i) {
  std::vector<std::string_view> references;
  references.reserve(sets.size());
  for (const auto& set : sets) references.push_back(set[i]);
  return references;
}

}  // namespace nmt
