// json_error.hpp — nlohmann-json's exception messages as nmt shows them.
#pragma once

#include <string>

namespace nmt {

// nlohmann's message without its "[json.exception.parse_error.101] " tag.
inline std::string untagged_json_message(const char* what) {
  const std::string text = what;
  const std::size_t tag_end = text.rfind("] ", text.find(' '));
  return tag_end == std::string::npos ? text : text.substr(tag_end + 2);
}

}  // namespace nmt
