// fields.hpp — a struct's fields declared once: key, member, help text and check.
//
// Every config section, the training state and similar records list their fields in one
// static member template beside the members themselves:
//
//   template <class Self, class Visit>
//   static void fields(Self& self, Visit&& visit) {
//     visit(FieldSpec{"embed_dim", "E: embedding size"}, self.embed_dim, in_range(1, 8192));
//     ...
//   }
//
// Self is the struct or the const struct, so the one list serves readers and writers:
// app/ maps it onto Boost.ProgramOptions (flag, INI key, --help, --dump-config),
// formats/ reads and writes it as metadata key/value pairs, training/ stores its state
// in checkpoints through it. Cross-field checks go in a second template, `relations`,
// calling report(key, problem) with problem "" when the values agree.
//
// Values are written as text by field_text and read back by parse_field_text: integers
// in decimal, floating point in the shortest form that reads back exactly, bools as
// true/false, enums by the names of their enum_names(E) (found by argument-dependent
// lookup). Nothing here depends on any other room.
#pragma once

#include <charconv>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace nmt {

// The name and help text of one field; `required` fields have no default. An
// `input_path` names a file (or a corpus prefix) to read: the option schema takes a
// relative one given in a config file from that file's directory, one given on the
// command line from the working directory (app/option_schema).
struct FieldSpec {
  const char* key;
  const char* help;
  bool required = false;
  bool input_path = false;
};

// A value check: "" if the value is acceptable, else what is wrong.
template <class T>
using FieldCheck = std::function<std::string(const T&)>;

// A value as it appears in an INI file, in --help and in metadata.
template <class T>
std::string field_text(const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_enum_v<T>) {
    for (const auto& [item, name] : enum_names(T{}))
      if (item == value) return std::string(name);
    return "?";
  } else if constexpr (std::is_integral_v<T>) {
    return std::to_string(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    // Shortest round-trip digits; fixed notation for exponents in [-4, 16), as {fmt}'s "{}".
    if (!std::isfinite(value)) return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    char buffer[64];
    const auto scientific = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    const std::string text(buffer, scientific.ptr);
    const int exponent = std::stoi(text.substr(text.find('e') + 1));
    if (exponent < -4 || exponent >= 16) return text;
    const auto fixed = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, fixed.ptr);
  } else {
    return std::string(value);
  }
}

// Reads `text` into `value`; false (value untouched) when the text is not of its type.
template <class T>
bool parse_field_text(std::string_view text, T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    if (text != "true" && text != "false") return false;
    value = text == "true";
    return true;
  } else if constexpr (std::is_enum_v<T>) {
    for (const auto& [item, name] : enum_names(T{}))
      if (name == text) {
        value = item;
        return true;
      }
    return false;
  } else if constexpr (std::is_arithmetic_v<T>) {
    T parsed{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error != std::errc() || end != text.data() + text.size()) return false;
    value = parsed;
    return true;
  } else {
    value = T(text);
    return true;
  }
}

// The names of an enum's values, "a, b, c", for help texts and errors.
template <class E>
std::string enum_choices() {
  std::string out;
  for (const auto& [item, name] : enum_names(E{})) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

// The first problem of a struct's values, "SECTION.KEY = VALUE: what is wrong" (or
// "SECTION.KEY: what is wrong" for a cross-field check), or "" when all is well: the
// same checks the option schema runs, for values that come from elsewhere.
template <class Config>
std::string field_problem(const std::string& section, const Config& config) {
  std::string found;
  Config::fields(config, [&](const FieldSpec& spec, const auto& member, const auto& check) {
    if (!found.empty() || !check) return;
    const std::string problem = check(member);
    if (!problem.empty()) found = section + "." + spec.key + " = " + field_text(member) + ": " + problem;
  });
  Config::relations(config, [&](const std::string& key, const std::string& problem) {
    if (found.empty() && !problem.empty()) found = section + "." + key + ": " + problem;
  });
  return found;
}

// Common checks.
template <class T>
FieldCheck<T> at_least(T minimum) {
  return [minimum](const T& v) {
    return v >= minimum ? std::string() : "must be at least " + field_text(minimum);
  };
}
template <class T>
FieldCheck<T> in_range(T low, T high) {
  return [low, high](const T& v) {
    return v >= low && v <= high ? std::string()
                                 : "must be in [" + field_text(low) + ", " + field_text(high) + "]";
  };
}
template <class T>
FieldCheck<T> positive() {
  return [](const T& v) { return v > T{} ? std::string() : std::string("must be greater than 0"); };
}
inline FieldCheck<std::string> not_empty() {
  return [](const std::string& v) { return v.empty() ? std::string("must not be empty") : std::string(); };
}
// No check: every value of the type is acceptable.
template <class T>
FieldCheck<T> any_value() {
  return {};
}

}  // namespace nmt
