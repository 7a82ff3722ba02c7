// translator.cpp — cleaning, encoding, greedy search and decoding of lines.
#include "app/translator.hpp"

#include "data/utf8.hpp"
#include "model/greedy_search.hpp"
#include "training/log.hpp"

namespace nmt {

Translator::Translator(LoadedModel model, SearchConfig search) : model_(std::move(model)), search_(search) {}

std::vector<int> Translator::encode_line(const std::string& line, std::size_t line_number) const {
  std::vector<int> ids;
  if (utf8::is_valid(line)) {
    ids = model_.vocabularies.source.encode(line);
  } else {
    log::warn("translate", "line {}: invalid UTF-8 replaced by U+FFFD", line_number);
    ids = model_.vocabularies.source.encode(utf8::repair(line));
  }
  if (static_cast<int>(ids.size()) > kMaxSourcePieces) {
    log::warn("translate", "line {}: {} source pieces, cut to the first {}", line_number, ids.size(),
              kMaxSourcePieces);
    ids.resize(kMaxSourcePieces);
  }
  return ids;
}

std::vector<std::string> Translator::translate(const std::vector<std::string>& lines,
                                               std::size_t first_line_number) const {
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) sources.push_back(encode_line(lines[i], first_line_number + i));
  const std::vector<Hypothesis> hypotheses =
      greedy_search(*model_.network, model_.parameters.data(), sources, search_);
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const auto& h : hypotheses) out.push_back(model_.vocabularies.target.decode(h.tokens));
  return out;
}

}  // namespace nmt
