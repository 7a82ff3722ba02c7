// serve_request.hpp — a POST /translate body read into a typed request, or refused.
//
// The body is a JSON object:
//   q          a line, or a list of lines (required; at most serve.max_lines, each at most
//              serve.max_line_bytes bytes, no line breaks)
//   beam       search.beam_size for this request (1 = greedy)
//   nbest      search.nbest: the alternatives returned besides the best translation
//   alpha      search.length_penalty
//   attention  true: the best translation's attention weights too
//   source, target   LibreTranslate's language codes, checked against the model's pair
//              (source may be "auto")
//   format     "text" (LibreTranslate's "html" is refused)
//   api_key    checked when the server has keys
// Options left out take the server's [search] values; the search rules are those of
// `nmt translate` (search_problem), with its messages. Anything else is refused naming
// the field: a field not listed, a value of the wrong type or out of range; malformed
// JSON (invalid UTF-8 included) by the byte offset where it breaks.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/utf8.hpp"
#include "decoding/search_config.hpp"
#include "formats/language_pair.hpp"

namespace nmt {

// A request answered with an error: its HTTP status (400, 413, ...), the message (escaped:
// a control byte or invalid UTF-8 it quotes shows as \xNN), and the
// field it is about ("q[2]", "beam"; "" for the body as a whole) or the byte offset
// where its JSON breaks.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, std::string field, const std::string& message,
               std::optional<std::size_t> offset = std::nullopt)
      : std::runtime_error(utf8::escape_for_message(message)), status_(status), field_(std::move(field)), offset_(offset) {}
  int status() const { return status_; }
  const std::string& field() const { return field_; }
  std::optional<std::size_t> offset() const { return offset_; }

 private:
  int status_;
  std::string field_;
  std::optional<std::size_t> offset_;
};

struct TranslateRequest {
  std::vector<std::string> lines;
  bool single = false;  // q was one string: answered with one string, not a list
  SearchConfig search;
  bool attention = false;
  std::optional<std::string> api_key;
};

// What a request is checked against besides the search rules.
struct RequestRules {
  std::size_t max_lines = 256;
  std::size_t max_line_bytes = 4096;
  LanguagePair languages;  // the model's; source and target are not checked when unknown
  bool has_shortlist = false;  // the model's file has one: "shortlist": true is allowed
};

// Throws RequestError (400, or 413 for too many or too long lines).
TranslateRequest parse_translate_request(const std::string& body, const SearchConfig& defaults,
                                         const RequestRules& rules);

}  // namespace nmt
