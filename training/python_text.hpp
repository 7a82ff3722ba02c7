// python_text.hpp — Python's str.split(), str.rstrip() and str.lower() on UTF-8 text, so
// metrics defined by Python code (sacreBLEU) see text exactly as it does. split and
// rstrip work on runs of Unicode whitespace (ASCII space, \t\n\v\f\r, \x1c-\x1f, U+0085,
// U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

// Bytes of the whitespace character starting at text[i], or 0.
std::size_t python_whitespace_length(std::string_view text, std::size_t i);
std::vector<std::string_view> python_split(std::string_view text);
std::string_view python_rstrip(std::string_view text);
// The code points of ''.join(text.split()), each as its bytes: every character of valid
// UTF-8 `text` that is not whitespace.
std::vector<std::string_view> non_whitespace_characters(std::string_view text);
// Python's str.lower() of valid UTF-8 text: the full Unicode lowercase mappings
// (U+0130 İ becomes "i" + U+0307, not a Turkish i) and Greek final sigma (Σ becomes ς
// at the end of a word). ICU's root-locale lowercase; it equals Python 3.11's on every
// code point and applies the same Final_Sigma context.
std::string python_lower(std::string_view text);

}  // namespace nmt
