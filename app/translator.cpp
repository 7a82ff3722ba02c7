// translator.cpp — cleaning, encoding, greedy search and decoding of lines.
#include "app/translator.hpp"

#include "data/utf8.hpp"
#include "model/beam_search.hpp"
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
                                               std::size_t first_line_number, std::size_t* target_tokens) const {
  std::vector<std::vector<int>> sources;
  sources.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) sources.push_back(encode_line(lines[i], first_line_number + i));
  std::vector<Hypothesis> best;
  if (search_.beam_size > 1) {
    for (auto& nbest : beam_search(*model_.network, model_.parameters.data(), sources, search_))
      best.push_back(std::move(nbest.front()));
  } else {
    best = greedy_search(*model_.network, model_.parameters.data(), sources, search_);
  }
  std::vector<std::string> out;
  out.reserve(lines.size());
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < best.size(); ++i) {
    out.push_back(model_.vocabularies.target.decode(best[i].tokens));
    if (!sources[i].empty()) tokens += best[i].tokens.size() + 1;
  }
  if (target_tokens) *target_tokens = tokens;
  return out;
}

}  // namespace nmt
