// model_average.hpp — checkpoint averaging: one model whose weights are the element-wise
// mean of several models' weights.
//
// The last few checkpoints of a run lie around the same optimum; their mean usually
// translates better than any one of them (the averaging of Marian, OpenNMT and fairseq,
// which docs/model.md's recipe allows). Every input must hold the same network (config,
// vocabulary sizes), byte-identical tokenizers and the same language pair, or it is
// refused by name; a file that records no pair (older than the pair's keys) matches any.
#pragma once

#include <string>
#include <vector>

#include "formats/model_file.hpp"

namespace nmt {

// Loads each path (model files or checkpoints) and returns the first one's model with
// the mean of all parameters, accumulated in double, and the pair the inputs record. Throws FileFormatError for an
// unreadable file and std::runtime_error for an input that does not match the first.
// The shortlist is kept when every input has the same one (or none); otherwise the result
// has none and *dropped_shortlist (if given) is set.
LoadedModel average_models(const std::vector<std::string>& paths, bool* dropped_shortlist = nullptr);

}  // namespace nmt
