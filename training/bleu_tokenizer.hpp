// bleu_tokenizer.hpp — sacreBLEU 2.6.0's BLEU tokenizers 13a, intl, none and char.
//
// Each turns one line of detokenized text (valid UTF-8) into tokens joined by single
// spaces, as sacreBLEU's tokenizer of that name does before n-grams are counted:
//   13a   mteval-v13a: ASCII punctuation and symbols split off, "." and "," unless next to
//         a digit, "-" after a digit; &quot; &amp; &lt; &gt; unescaped (Tokenizer13a)
//   intl  mteval-v14 international: Unicode punctuation (\p{P}) split off unless it has a
//         digit (\p{N}) on both sides, every symbol (\p{S}) split off (TokenizerV14International;
//         general categories from ICU)
//   none  the line as it is (NoneTokenizer)
//   char  every character that is not whitespace a token (TokenizerChar)
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

namespace nmt {

enum class BleuTokenizer { v13a, intl, none, character };

constexpr auto enum_names(BleuTokenizer) {
  return std::array<std::pair<BleuTokenizer, std::string_view>, 4>{{{BleuTokenizer::v13a, "13a"},
                                                                    {BleuTokenizer::intl, "intl"},
                                                                    {BleuTokenizer::none, "none"},
                                                                    {BleuTokenizer::character, "char"}}};
}

std::string tokenize_13a(std::string_view line);
std::string tokenize_intl(std::string_view line);
std::string tokenize_char(std::string_view line);
// The tokenizer's tokens of `line`, single-space joined (none: `line` unchanged).
std::string tokenize_for_bleu(BleuTokenizer tokenizer, std::string_view line);

}  // namespace nmt
