// number_words.cpp — English and German number words (see number_words.hpp).
#include "data/number_words.hpp"

#include <array>
#include <stdexcept>

namespace nmt {
namespace {

constexpr std::array<const char*, 20> kEnglishSmall = {
    "zero",    "one",     "two",       "three",    "four",     "five",    "six",
    "seven",   "eight",   "nine",      "ten",      "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen",  "seventeen", "eighteen", "nineteen"};
constexpr std::array<const char*, 10> kEnglishTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};

// German 0..19 as a whole word; 1 is "eins" at the end of a number.
constexpr std::array<const char*, 20> kGermanSmall = {
    "null",     "eins",     "zwei",     "drei",      "vier",      "fünf",    "sechs",
    "sieben",   "acht",     "neun",     "zehn",      "elf",       "zwölf",   "dreizehn",
    "vierzehn", "fünfzehn", "sechzehn", "siebzehn",  "achtzehn",  "neunzehn"};
constexpr std::array<const char*, 10> kGermanTens = {
    "", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"};

void check_range(std::uint32_t n) {
  if (n > kMaxNumberWords)
    throw std::out_of_range("number words: " + std::to_string(n) + " exceeds " +
                            std::to_string(kMaxNumberWords));
}

std::string english_below_100(std::uint32_t n) {
  if (n < 20) return kEnglishSmall[n];
  std::string words = kEnglishTens[n / 10];
  if (n % 10) words += std::string("-") + kEnglishSmall[n % 10];
  return words;
}

// 1..999; "and" joins hundreds to a non-zero remainder.
std::string english_below_1000(std::uint32_t n) {
  if (n < 100) return english_below_100(n);
  std::string words = std::string(kEnglishSmall[n / 100]) + " hundred";
  if (n % 100) words += " and " + english_below_100(n % 100);
  return words;
}

// German 1..99; `final` says whether nothing follows (then 1 is "eins", else "ein").
std::string german_below_100(std::uint32_t n, bool final) {
  if (n == 1) return final ? "eins" : "ein";
  if (n < 20) return kGermanSmall[n];
  if (n % 10 == 0) return kGermanTens[n / 10];
  const std::string units = n % 10 == 1 ? "ein" : kGermanSmall[n % 10];
  return units + "und" + kGermanTens[n / 10];
}

std::string german_below_1000(std::uint32_t n, bool final) {
  std::string words;
  if (n >= 100) words = german_below_100(n / 100, /*final=*/false) + "hundert";
  if (n % 100) words += german_below_100(n % 100, final);
  return words;
}

}  // namespace

std::string english_number_words(std::uint32_t n) {
  check_range(n);
  if (n < 1000) return english_below_1000(n);
  std::string words = english_below_1000(n / 1000) + " thousand";
  const std::uint32_t rest = n % 1000;
  if (rest) words += (rest < 100 ? " and " : " ") + english_below_1000(rest);
  return words;
}

std::string german_number_words(std::uint32_t n) {
  check_range(n);
  if (n == 0) return kGermanSmall[0];
  std::string words;
  if (n >= 1000) words = german_below_1000(n / 1000, /*final=*/false) + "tausend";
  if (n % 1000) words += german_below_1000(n % 1000, /*final=*/true);
  return words;
}

}  // namespace nmt
