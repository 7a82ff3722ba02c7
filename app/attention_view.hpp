// attention_view.hpp — an attention matrix drawn for people: a heatmap in the terminal
// (source pieces across, written top to bottom; target pieces down; one shaded cell per
// weight) or an SVG file.
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

// Text heatmap. Without colour, cells are shade characters (' ', '░', '▒', '▓', '█' for
// weights below 0.1, 0.3, 0.5, 0.75 and above), readable in any file or pipe; with
// colour, 256-colour grey backgrounds. Ends with a legend line.
std::string render_heatmap(const AttentionMatrix& matrix, bool colour);

// A standalone SVG document: one square per weight, its darkness the weight, labelled.
std::string render_svg(const AttentionMatrix& matrix);

}  // namespace nmt
