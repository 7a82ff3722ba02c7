// fuzz_utf8.cpp — fuzz target: UTF-8 validation, repair and message escaping.
//
// Properties: repair gives valid UTF-8 and leaves valid text unchanged; find_invalid
// agrees with is_valid; escape_for_message gives valid UTF-8 without control bytes and
// is idempotent; code points concatenate back to the text and count as length().
#include <cstdint>
#include <string>

#include "data/utf8.hpp"
#include "fuzz/fuzz_support.hpp"

using nmt::fuzz::require;
namespace utf8 = nmt::utf8;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = nmt::fuzz::as_text(data, size);
  const bool valid = utf8::is_valid(text);
  const std::string repaired = utf8::repair(text);
  require(utf8::is_valid(repaired), "repair gives valid UTF-8");
  require(!valid || repaired == text, "repair leaves valid text unchanged");
  const std::size_t invalid_at = utf8::find_invalid(text);
  require(valid == (invalid_at == std::string_view::npos), "find_invalid agrees with is_valid");
  if (!valid) require(utf8::is_valid(text.substr(0, invalid_at)), "the text before the first invalid byte is valid");

  const std::string escaped = utf8::escape_for_message(text);
  require(utf8::is_valid(escaped), "escaped text is valid UTF-8");
  for (const unsigned char c : escaped) require(c >= 0x20 && c != 0x7f, "escaped text holds no control byte");
  require(utf8::escape_for_message(escaped) == escaped, "escaping twice changes nothing");

  std::string joined;
  const auto points = utf8::code_points(repaired);
  for (const auto point : points) joined += point;
  require(joined == repaired, "code points concatenate to the text");
  require(points.size() == utf8::length(repaired), "length counts the code points");
  return 0;
}
