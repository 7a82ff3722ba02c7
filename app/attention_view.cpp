// attention_view.cpp — the terminal heatmap and the SVG of attention_view.hpp.
#include "app/attention_view.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "app/attention_shade.hpp"
#include "app/translator.hpp"
#include "data/utf8.hpp"

namespace nmt {
namespace {

constexpr std::size_t kMaxLabel = 24;  // code points of a row label shown

// `label` cut to kMaxLabel code points and padded with spaces to `width`.
std::string padded(const std::string& label, std::size_t width) {
  const auto points = utf8::code_points(label);
  std::string out;
  for (std::size_t i = 0; i < std::min(points.size(), kMaxLabel); ++i) out += points[i];
  for (std::size_t i = std::min(points.size(), kMaxLabel); i < width; ++i) out += ' ';
  return out;
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

float weight_at(const AttentionMatrix& m, std::size_t row, std::size_t column) {
  return row < m.weights.size() && column < m.weights[row].size() ? m.weights[row][column] : 0.f;
}

}  // namespace

std::string render_heatmap(const AttentionMatrix& m) {
  std::size_t label_width = 0;
  for (const auto& t : m.target) label_width = std::max(label_width, std::min(utf8::length(t), kMaxLabel));
  std::vector<std::vector<std::string_view>> columns;
  std::size_t header_rows = 0;
  for (const auto& s : m.source) {
    columns.push_back(utf8::code_points(s));
    header_rows = std::max(header_rows, columns.back().size());
  }
  std::string out;
  for (std::size_t r = 0; r < header_rows; ++r) {  // source pieces, top to bottom
    out += std::string(label_width + 1, ' ');
    for (const auto& points : columns) {
      out += r < points.size() ? std::string(points[r]) : std::string(" ");
      out += ' ';
    }
    out += '\n';
  }
  for (std::size_t row = 0; row < m.target.size(); ++row) {
    out += padded(m.target[row], label_width) + ' ';
    for (std::size_t column = 0; column < m.source.size(); ++column)
      out += attention_cell(attention_step(weight_at(m, row, column)));
    out += '\n';
  }
  out += attention_terminal_legend() + "\n";
  return out;
}

std::string render_svg(const AttentionMatrix& m) {
  constexpr int cell = 28, char_width = 8;
  std::size_t longest_source = 1, longest_target = 1;
  for (const auto& s : m.source) longest_source = std::max(longest_source, utf8::length(s));
  for (const auto& t : m.target) longest_target = std::max(longest_target, utf8::length(t));
  const int left = 16 + char_width * static_cast<int>(longest_target);
  const int top = 16 + static_cast<int>(std::ceil(char_width * 0.75 * static_cast<double>(longest_source)));
  // The legend under the grid: "0", a ramp of swatches from ink 0 to 1, "1", the rule.
  constexpr int swatch = 14, swatches = 11;
  const int legend_top = top + cell * static_cast<int>(m.target.size()) + 16;
  const int ramp_left = 16 + 2 * char_width, ramp_right = ramp_left + swatch * swatches;
  const std::string rule = fmt::format("1   {} (darker)", kAttentionRule);
  const int width = std::max(left + cell * static_cast<int>(m.source.size()),
                             ramp_right + 6 + char_width * static_cast<int>(utf8::length(rule))) + 16;
  const int height = legend_top + swatch + 16;
  std::string svg = fmt::format(
      "<svg xmlns='http://www.w3.org/2000/svg' width='{}' height='{}' font-family='monospace' "
      "font-size='13'>\n<rect width='100%' height='100%' fill='white'/>\n",
      width, height);
  for (std::size_t c = 0; c < m.source.size(); ++c) {
    const int x = left + cell * static_cast<int>(c) + cell / 2;
    svg += fmt::format("<text transform='translate({},{}) rotate(-45)'>{}</text>\n", x, top - 6,
                       xml_escaped(m.source[c]));
  }
  for (std::size_t r = 0; r < m.target.size(); ++r) {
    const int y = top + cell * static_cast<int>(r);
    svg += fmt::format("<text x='{}' y='{}' text-anchor='end'>{}</text>\n", left - 6, y + cell / 2 + 4,
                       xml_escaped(m.target[r]));
    for (std::size_t c = 0; c < m.source.size(); ++c) {
      const float w = weight_at(m, r, c);
      svg += fmt::format(
          "<rect x='{}' y='{}' width='{}' height='{}' fill='black' fill-opacity='{:.3f}' stroke='#ccc'>"
          "<title>{} → {}: {:.3f}</title></rect>\n",
          left + cell * static_cast<int>(c), y, cell, cell, attention_ink(w), xml_escaped(m.source[c]),
          xml_escaped(m.target[r]), w);
    }
  }
  svg += fmt::format("<text x='16' y='{}'>0</text>\n", legend_top + swatch - 2);
  for (int i = 0; i < swatches; ++i)
    svg += fmt::format(
        "<rect x='{}' y='{}' width='{}' height='{}' fill='black' fill-opacity='{:.3f}' stroke='#ccc'/>\n",
        ramp_left + swatch * i, legend_top, swatch, swatch, attention_ink(static_cast<float>(i) / (swatches - 1)));
  svg += fmt::format("<text x='{}' y='{}'>{}</text>\n", ramp_right + 6, legend_top + swatch - 2, xml_escaped(rule));
  svg += "</svg>\n";
  return svg;
}

AttentionMatrix attention_of(const Translator& translator, const Translation& translation) {
  const Candidate& best = translation.nbest.front();
  AttentionMatrix m;
  m.source = translator.source_pieces(translation.source);
  m.target = translator.attention_row_pieces(best);
  m.weights = best.alignment;
  return m;
}

}  // namespace nmt
