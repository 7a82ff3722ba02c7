// attention_view.hpp — an attention matrix drawn for people: a heatmap in the terminal
// (source pieces across, written top to bottom; target pieces down; one shaded cell per
// weight) or an SVG file. Both shade by the one rule of attention_shade.hpp: more
// attention = more ink.
#pragma once

#include <string>
#include <vector>

namespace nmt {

class Translator;
struct Translation;

struct AttentionMatrix {
  std::vector<std::string> source;          // column labels: source pieces
  std::vector<std::string> target;          // row labels: output pieces (and "</s>")
  std::vector<std::vector<float>> weights;  // (target.size(), source.size()), rows sum to 1
};

// The best candidate's attention (kept on request): its source pieces, its output pieces
// and "</s>" when it ended with one, one row of weights per output piece.
AttentionMatrix attention_of(const Translator& translator, const Translation& translation);

// Text heatmap: each cell the glyph of its weight's step (attention_cell), readable on
// dark and light terminals and in any file or pipe. Ends with the legend line.
std::string render_heatmap(const AttentionMatrix& matrix);

// A standalone SVG document: one labelled square per weight, black at the opacity of its
// ink on white, each with a tooltip of its weight; under the grid, the legend (a ramp
// from 0 to 1 and the rule).
std::string render_svg(const AttentionMatrix& matrix);

}  // namespace nmt
