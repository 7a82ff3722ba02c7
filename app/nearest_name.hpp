// nearest_name.hpp — the known name nearest to a mistyped one, for "did you mean" hints
// (unknown commands, flags and config keys).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nmt {

// Levenshtein distance: insertions, deletions and substitutions, one byte each.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate nearest to `given` by edit distance, if it is at most `max_distance`
// away (the first of equally near ones); "" when none is that near.
std::string nearest_name(const std::string& given, const std::vector<std::string>& candidates,
                         std::size_t max_distance = 2);

}  // namespace nmt
