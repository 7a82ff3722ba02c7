// python_text.cpp — Unicode whitespace and lowercase as Python sees them.
#include "training/python_text.hpp"

#include <stdexcept>

#include <unicode/bytestream.h>
#include <unicode/casemap.h>

#include "data/utf8.hpp"

namespace nmt {

// Length of the Unicode whitespace character starting at text[i] (as Python's
// str.split() sees whitespace), or 0.
std::size_t python_whitespace_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) {
    return k < text.size() ? static_cast<unsigned char>(text[k]) : 0u;
  };
  const unsigned b0 = byte(i);
  if (b0 == ' ' || (b0 >= 0x09 && b0 <= 0x0D) || (b0 >= 0x1C && b0 <= 0x1F)) return 1;
  if (b0 == 0xC2 && (byte(i + 1) == 0x85 || byte(i + 1) == 0xA0)) return 2;
  if (b0 == 0xE1 && byte(i + 1) == 0x9A && byte(i + 2) == 0x80) return 3;  // U+1680
  if (b0 == 0xE2 && byte(i + 1) == 0x80) {
    const unsigned b2 = byte(i + 2);
    if ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) return 3;
  }
  if (b0 == 0xE2 && byte(i + 1) == 0x81 && byte(i + 2) == 0x9F) return 3;  // U+205F
  if (b0 == 0xE3 && byte(i + 1) == 0x80 && byte(i + 2) == 0x80) return 3;  // U+3000
  return 0;
}

// Python's str.split(): words separated by runs of Unicode whitespace.
std::vector<std::string_view> python_split(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0, start = std::string_view::npos;
  while (i < text.size()) {
    const std::size_t space = python_whitespace_length(text, i);
    if (space > 0) {
      if (start != std::string_view::npos) words.push_back(text.substr(start, i - start));
      start = std::string_view::npos;
      i += space;
    } else {
      if (start == std::string_view::npos) start = i;
      ++i;
    }
  }
  if (start != std::string_view::npos) words.push_back(text.substr(start));
  return words;
}

std::vector<std::string_view> non_whitespace_characters(std::string_view text) {
  std::vector<std::string_view> characters;
  for (const std::string_view word : python_split(text))
    for (const std::string_view character : utf8::code_points(word)) characters.push_back(character);
  return characters;
}

std::string_view python_rstrip(std::string_view text) {
  // Python's rstrip(): trailing Unicode whitespace.
  for (;;) {
    bool stripped = false;
    for (std::size_t width = 1; width <= 3 && width <= text.size(); ++width) {
      if (python_whitespace_length(text, text.size() - width) == width) {
        text.remove_suffix(width);
        stripped = true;
        break;
      }
    }
    if (!stripped) return text;
  }
}

std::string python_lower(std::string_view text) {
  std::string lowered;
  lowered.reserve(text.size());
  icu::StringByteSink<std::string> sink(&lowered);
  UErrorCode status = U_ZERO_ERROR;
  // "" is ICU's root locale: no Turkish, Azeri or Lithuanian rules, as in Python.
  icu::CaseMap::utf8ToLower("", 0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr,
                            status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("lowercasing failed: ") + u_errorName(status));
  return lowered;
}

}  // namespace nmt
