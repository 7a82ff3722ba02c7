// encoder_state.cpp — selecting decoder rows of an encoded source by index.
#include "model/encoder_state.hpp"

#include <utility>

namespace nmt {

void EncoderState::select_rows(const std::vector<int>& index) {
  std::vector<int> new_lengths(index.size()), new_source_row(index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    new_lengths[i] = lengths[static_cast<std::size_t>(index[i])];
    new_source_row[i] = memory_row(index[i]);
  }
  rows = static_cast<int>(index.size());
  lengths = std::move(new_lengths);
  source_row = std::move(new_source_row);
}

}  // namespace nmt
