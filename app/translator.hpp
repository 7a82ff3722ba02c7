// translator.hpp — a loaded model that turns lines of text into translations.
//
// Lines are cleaned before encoding: invalid UTF-8 is replaced (U+FFFD) with a warning
// naming the line; a line of more than max_source_pieces pieces is cut to that length
// with a warning. An empty (or all-space) line translates to an empty line. Search is
// greedy for beam_size 1, else beam search (the best hypothesis).
#pragma once

#include <string>
#include <vector>

#include "model/model_file.hpp"
#include "model/search_config.hpp"

namespace nmt {

class Translator {
 public:
  static constexpr int kMaxSourcePieces = 250;

  Translator(LoadedModel model, SearchConfig search);

  // Translations of `lines` (in order); `first_line_number` names lines in warnings.
  // `target_tokens`, if given, receives the number of target pieces produced (eos included).
  std::vector<std::string> translate(const std::vector<std::string>& lines, std::size_t first_line_number = 1,
                                     std::size_t* target_tokens = nullptr) const;

  const LoadedModel& model() const { return model_; }

 private:
  std::vector<int> encode_line(const std::string& line, std::size_t line_number) const;

  LoadedModel model_;
  SearchConfig search_;
};

}  // namespace nmt
