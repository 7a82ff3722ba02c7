// python_text.hpp — Python's str.split() and str.rstrip() on UTF-8 text, so metrics
// defined by Python code (sacreBLEU) split text exactly as it does: on runs of Unicode
// whitespace (ASCII space, \t\n\v\f\r, \x1c-\x1f, U+0085, U+00A0, U+1680,
// U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace nmt {

// Bytes of the whitespace character starting at text[i], or 0.
std::size_t python_whitespace_length(std::string_view text, std::size_t i);
std::vector<std::string_view> python_split(std::string_view text);
std::string_view python_rstrip(std::string_view text);

}  // namespace nmt
