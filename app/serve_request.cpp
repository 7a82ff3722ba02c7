// serve_request.cpp — reading and checking a POST /translate body.
#include "app/serve_request.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/nearest_name.hpp"
#include "app/option_schema.hpp"
#include "formats/json_error.hpp"

namespace nmt {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kFields = {"q", "beam", "nbest", "alpha", "shortlist", "attention", "source",
                                          "target", "format", "api_key"};

RequestError bad(const std::string& field, const std::string& problem) {
  return RequestError(400, field, field + ": " + problem);
}

Json parse_body(const std::string& body) {
  try {
    return Json::parse(body);
  } catch (const Json::parse_error& e) {
    // nlohmann counts the bytes read, the offending one included: its offset is one less
    // (the body's length when the body ends too soon).
    const std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    throw RequestError(400, "", fmt::format("invalid JSON at byte offset {}: {}", offset,
                                            untagged_json_message(e.what())),
                       offset);
  } catch (const Json::exception& e) {  // e.g. a number too large for a double
    throw RequestError(400, "", "invalid JSON: " + untagged_json_message(e.what()));
  }
}

// A whole number as an int; one outside int's range is saturated (the range check refuses it).
int whole_number(const Json& value, const std::string& field) {
  if (value.is_number_unsigned())
    return static_cast<int>(std::min<std::uint64_t>(value.get<std::uint64_t>(), std::numeric_limits<int>::max()));
  if (!value.is_number_integer()) throw bad(field, option_type_problem<int>());
  const std::int64_t v = value.get<std::int64_t>();
  return static_cast<int>(std::clamp<std::int64_t>(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

std::string text(const Json& value, const std::string& field) {
  if (!value.is_string()) throw bad(field, "must be a string");
  return value.get<std::string>();
}

// The lines of q, checked against the rules.
std::vector<std::string> lines_of(const Json& q, const RequestRules& rules) {
  std::vector<std::string> lines;
  if (q.is_string()) {
    lines.push_back(q.get<std::string>());
  } else if (q.is_array()) {
    if (q.empty()) throw bad("q", "must hold at least one line");
    if (q.size() > rules.max_lines)
      throw RequestError(413, "q", fmt::format("q: {} lines, more than serve.max_lines ({})", q.size(),
                                               rules.max_lines));
    for (std::size_t i = 0; i < q.size(); ++i) lines.push_back(text(q[i], fmt::format("q[{}]", i)));
  } else {
    throw bad("q", "must be a string or a list of strings");
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string field = q.is_string() ? "q" : fmt::format("q[{}]", i);
    if (lines[i].size() > rules.max_line_bytes)
      throw RequestError(413, field, fmt::format("{}: {} bytes, more than serve.max_line_bytes ({})", field,
                                                 lines[i].size(), rules.max_line_bytes));
    if (lines[i].find_first_of("\r\n") != std::string::npos)
      throw bad(field, "holds a line break: send each line as an item of a list");
  }
  return lines;
}

void check_language(const Json& value, const std::string& field, const std::string& expected,
                    const LanguagePair& languages) {
  const std::string code = text(value, field);
  if (!languages.known() || code == expected || (field == "source" && code == "auto")) return;
  throw bad(field, fmt::format("'{}': the model translates {}", code, languages.describe()));
}

// The request's search settings: the defaults with its options, under the search rules.
SearchConfig search_of(const Json& request, const SearchConfig& defaults, const RequestRules& rules) {
  SearchConfig search = defaults;
  const auto option = [&](const char* field) { return request.find(field); };
  if (const auto it = option("beam"); it != request.end()) search.beam_size = whole_number(*it, "beam");
  if (const auto it = option("nbest"); it != request.end()) search.nbest = whole_number(*it, "nbest");
  if (const auto it = option("alpha"); it != request.end()) {
    if (!it->is_number()) throw bad("alpha", option_type_problem<double>());
    search.length_penalty = it->get<double>();
  }
  if (const auto it = option("shortlist"); it != request.end()) {
    if (!it->is_boolean()) throw bad("shortlist", option_type_problem<bool>());
    search.shortlist = it->get<bool>();
    if (search.shortlist && !rules.has_shortlist) throw bad("shortlist", "the model has no shortlist");
  }
  const std::string problem = search_problem(search);
  if (problem.empty()) return search;
  // The field the search rule names ("search.nbest: ...", "search.beam_size = 0: ...").
  for (const auto& [key, field] : {std::pair<const char*, const char*>{"search.beam_size", "beam"},
                                   {"search.nbest", "nbest"},
                                   {"search.length_penalty", "alpha"}})
    if (problem.rfind(key, 0) == 0) throw bad(field, problem);
  throw RequestError(400, "", problem);
}

}  // namespace

TranslateRequest parse_translate_request(const std::string& body, const SearchConfig& defaults,
                                         const RequestRules& rules) {
  const Json request = parse_body(body);
  if (!request.is_object()) throw RequestError(400, "", "the request must be a JSON object");
  for (const auto& [name, value] : request.items()) {
    if (std::find(kFields.begin(), kFields.end(), name) != kFields.end()) continue;
    const std::string near = nearest_name(name, kFields);
    throw bad(name, near.empty() ? "unknown field" : "unknown field (did you mean '" + near + "'?)");
  }
  TranslateRequest out;
  const auto q = request.find("q");
  if (q == request.end()) throw bad("q", "missing: the text to translate");
  out.single = q->is_string();
  out.lines = lines_of(*q, rules);
  out.search = search_of(request, defaults, rules);
  if (const auto it = request.find("attention"); it != request.end()) {
    if (!it->is_boolean()) throw bad("attention", option_type_problem<bool>());
    out.attention = it->get<bool>();
  }
  if (const auto it = request.find("format"); it != request.end()) {
    const std::string format = text(*it, "format");
    if (format == "html") throw bad("format", "html is not supported: only text");
    if (format != "text") throw bad("format", "must be text");
  }
  if (const auto it = request.find("source"); it != request.end())
    check_language(*it, "source", rules.languages.source, rules.languages);
  if (const auto it = request.find("target"); it != request.end())
    check_language(*it, "target", rules.languages.target, rules.languages);
  if (const auto it = request.find("api_key"); it != request.end()) out.api_key = text(*it, "api_key");
  return out;
}

}  // namespace nmt
