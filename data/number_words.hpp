// number_words.hpp — cardinal numbers 0..999,999 written out in English and German.
//
// English in the British style with "and" ("four hundred and twenty-one"); German as
// one word with units before tens ("vierhunderteinundzwanzig"), "ein" in compounds
// and "eins" at the end ("einhunderteins"), "einhundert"/"eintausend" for 100/1000.
// These pairs make the quickstart task: translating them needs attention to reorder.
#pragma once

#include <cstdint>
#include <string>

namespace nmt {

constexpr std::uint32_t kMaxNumberWords = 999999;

// Throw std::out_of_range for n > kMaxNumberWords.
std::string english_number_words(std::uint32_t n);
std::string german_number_words(std::uint32_t n);

}  // namespace nmt
