// json.hpp — the little JSON nmt reads and writes: safetensors headers and metrics lines.
//
// A parsed value is a tree of Json nodes; numbers are kept as doubles and as their
// source text (so 64-bit offsets survive exactly). Writing is by hand with json_quote.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nmt {

struct Json {
  enum class Type { null, boolean, number, string, array, object } type = Type::null;
  bool boolean = false;
  double number = 0;
  std::string text;  // the string, or a number's source text
  std::vector<Json> items;
  std::map<std::string, Json> members;

  // Throws std::runtime_error (naming the key) when a member is missing or has another type.
  const Json& at(const std::string& key) const;
  bool has(const std::string& key) const { return members.count(key) > 0; }
  const std::string& as_string() const;
  std::uint64_t as_uint() const;
  double as_double() const;
};

// Parses a whole JSON text. Throws std::runtime_error with the byte offset on bad input.
Json parse_json(std::string_view text);

// "text" with JSON escapes.
std::string json_quote(std::string_view text);

}  // namespace nmt
