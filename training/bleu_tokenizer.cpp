// bleu_tokenizer.cpp — sacreBLEU's 13a, intl, none and char tokenizers.
#include "training/bleu_tokenizer.hpp"

#include <cstdint>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "training/python_text.hpp"

namespace nmt {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The first regular expression of sacreBLEU's TokenizerRegexp: ASCII punctuation and
// symbols other than ' , - . are set off by spaces (the class also holds the space).
bool is_split_symbol(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 0x7B && u <= 0x7E) || (u >= 0x5B && u <= 0x60) || (u >= 0x20 && u <= 0x26) ||
         (u >= 0x28 && u <= 0x2B) || (u >= 0x3A && u <= 0x40) || c == '/';
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Python's re.sub for a two-character pattern (first)(second) -> replace(out, first,
// second): scans left to right, a match consumes both characters. Text is bytes for 13a
// (neither class can match a UTF-8 continuation byte where it would matter: '.', ',' and
// '-' are ASCII) and code points for intl.
template <class Text, class First, class Second, class Replace>
Text substitute_pairs(const Text& in, First first, Second second, Replace replace) {
  Text out;
  out.reserve(in.size() + in.size() / 4);
  std::size_t i = 0;
  while (i < in.size()) {
    if (i + 1 < in.size() && first(in[i]) && second(in[i + 1])) {
      replace(out, in[i], in[i + 1]);
      i += 2;
    } else {
      out += in[i++];
    }
  }
  return out;
}

// The replacements r'\1 \2 ' and r' \1 \2'.
const auto space_after_each = [](auto& out, auto a, auto b) {
  out += a;
  out += ' ';
  out += b;
  out += ' ';
};
const auto space_before_each = [](auto& out, auto a, auto b) {
  out += ' ';
  out += a;
  out += ' ';
  out += b;
};

// ' '.join(tokens)
std::string joined_by_spaces(const std::vector<std::string_view>& tokens) {
  std::string joined;
  for (const std::string_view token : tokens) {
    if (!joined.empty()) joined += ' ';
    joined += token;
  }
  return joined;
}

// ' '.join(text.split()): Python's whitespace runs become single spaces, none at the ends.
std::string single_spaced(std::string_view text) { return joined_by_spaces(python_split(text)); }

std::u32string code_points(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT_OR_FFFD(bytes, i, length, c);
    out += static_cast<char32_t>(c);
  }
  return out;
}

std::string utf8_of(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : text) {
    std::uint8_t bytes[U8_MAX_LENGTH];
    std::int32_t length = 0;
    U8_APPEND_UNSAFE(bytes, length, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
  }
  return out;
}

// Unicode general categories as Python's `regex` module reads \p{N}, \p{P}, \p{S}.
bool is_number(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0; }
bool is_punctuation(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_P_MASK) != 0; }
bool is_symbol(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_S_MASK) != 0; }

}  // namespace

std::string tokenize_13a(std::string_view line) {
  std::string text(line);
  replace_all(text, "<skipped>", "");
  replace_all(text, "-\n", "");
  replace_all(text, "\n", " ");
  if (text.find('&') != std::string::npos) {
    replace_all(text, "&quot;", "\"");
    replace_all(text, "&amp;", "&");
    replace_all(text, "&lt;", "<");
    replace_all(text, "&gt;", ">");
  }
  text = " " + text + " ";
  std::string spaced;
  spaced.reserve(text.size() * 2);
  for (const char c : text) {
    if (is_split_symbol(c)) {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
    } else {
      spaced += c;
    }
  }
  const auto not_digit = [](char c) { return !is_digit(c); };
  const auto period_or_comma = [](char c) { return c == '.' || c == ','; };
  // Period and comma unless preceded by a digit: "a." -> "a . ".
  spaced = substitute_pairs(spaced, not_digit, period_or_comma, space_after_each);
  // Period and comma unless followed by a digit: "5.a" -> "5 . a".
  spaced = substitute_pairs(spaced, period_or_comma, not_digit, space_before_each);
  // Dash preceded by a digit: "5-" -> "5 - ".
  spaced = substitute_pairs(spaced, is_digit, [](char c) { return c == '-'; }, space_after_each);
  return single_spaced(spaced);
}

std::string tokenize_intl(std::string_view line) {
  std::u32string text = code_points(line);
  const auto not_number = [](char32_t c) { return !is_number(c); };
  // Punctuation preceded by a non-digit: "a," -> "a , ".
  text = substitute_pairs(text, not_number, is_punctuation, space_after_each);
  // Punctuation followed by a non-digit: "¿a" -> " ¿ a".
  text = substitute_pairs(text, is_punctuation, not_number, space_before_each);
  // Every symbol: "$" -> " $ ".
  std::u32string spaced;
  spaced.reserve(text.size() * 2);
  for (const char32_t c : text) {
    if (is_symbol(c)) {
      spaced += U' ';
      spaced += c;
      spaced += U' ';
    } else {
      spaced += c;
    }
  }
  return single_spaced(utf8_of(spaced));
}

std::string tokenize_char(std::string_view line) { return joined_by_spaces(non_whitespace_characters(line)); }

std::string tokenize_for_bleu(BleuTokenizer tokenizer, std::string_view line) {
  switch (tokenizer) {
    case BleuTokenizer::v13a: return tokenize_13a(line);
    case BleuTokenizer::intl: return tokenize_intl(line);
    case BleuTokenizer::character: return tokenize_char(line);
    case BleuTokenizer::none: break;
  }
  return std::string(line);
}

}  // namespace nmt
