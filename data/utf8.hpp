// utf8.hpp — UTF-8 validation and repair for text read from users' files.
//
// Strict validation per RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF. Repair replaces each maximal invalid subsequence with U+FFFD. Text quoted in
// a message goes through escape_for_message, so no raw control byte reaches a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nmt::utf8 {

// Byte offset of the first invalid sequence in `text`, or std::string_view::npos.
std::size_t find_invalid(std::string_view text);

inline bool is_valid(std::string_view text) { return find_invalid(text) == std::string_view::npos; }

// `text` with every invalid sequence replaced by U+FFFD (the replacement character).
std::string repair(std::string_view text);

// `text` safe to print in a one-line message: each control character (C0, DEL) and
// each byte of an invalid sequence as \xNN, each C1 control (U+0080..U+009F) as \u00NN;
// valid printable text, backslashes included, unchanged (so escaping twice changes nothing).
std::string escape_for_message(std::string_view text);

// Number of code points in valid UTF-8 `text`.
std::size_t length(std::string_view text);

// The code points of valid UTF-8 `text`, each as its bytes.
std::vector<std::string_view> code_points(std::string_view text);

}  // namespace nmt::utf8
