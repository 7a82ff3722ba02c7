// test_attention_view.cpp — the one shading rule of attention (attention_shade.hpp): ink
// and steps grow with the weight, and the terminal heatmap and the SVG shade the same
// weights by it, each legend stating it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <sstream>

#include "app/attention_shade.hpp"
#include "app/attention_view.hpp"

namespace nmt {
namespace {

TEST(AttentionShade, InkAndStepGrowWithTheWeight) {
  EXPECT_EQ(attention_ink(0.f), 0.0);
  EXPECT_EQ(attention_ink(1.f), 1.0);
  EXPECT_EQ(attention_ink(-0.5f), 0.0);
  EXPECT_EQ(attention_ink(2.f), 1.0);
  EXPECT_EQ(attention_ink(std::numeric_limits<float>::quiet_NaN()), 0.0);
  EXPECT_EQ(attention_step(0.f), 0);
  EXPECT_EQ(attention_step(1.f), kAttentionSteps - 1);
  double last_ink = -1;
  int last_step = -1;
  for (int i = 0; i <= 1000; ++i) {
    const float w = static_cast<float>(i) / 1000.f;
    EXPECT_GE(attention_ink(w), last_ink) << w;
    EXPECT_GE(attention_step(w), last_step) << w;
    EXPECT_FLOAT_EQ(static_cast<float>(attention_ink(w)), w);
    last_ink = attention_ink(w);
    last_step = attention_step(w);
  }
  // Each step begins at its start, and its cell holds more ink than the one before.
  for (int s = 1; s < kAttentionSteps; ++s) {
    const float start = static_cast<float>(kAttentionStepStarts[static_cast<std::size_t>(s - 1)]);
    EXPECT_EQ(attention_step(start), s);
    EXPECT_EQ(attention_step(std::nextafter(start, 0.f)), s - 1);
  }
  EXPECT_EQ(attention_cell(0), "  ");
  EXPECT_EQ(attention_cell(1), "░░");
  EXPECT_EQ(attention_cell(2), "▒▒");
  EXPECT_EQ(attention_cell(3), "▓▓");
  EXPECT_EQ(attention_cell(4), "██");
  EXPECT_EQ(attention_terminal_legend(),
            "(attention: more attention = more ink; '  ' < 0.1 ≤ ░ < 0.3 ≤ ▒ < 0.5 ≤ ▓ < 0.75 ≤ █)");
}

// Weights spanning every step, in a 3 x 4 matrix.
AttentionMatrix sample_matrix() {
  AttentionMatrix m;
  m.source = {"▁four", "▁hun", "dred", "</s>"};
  m.target = {"▁vier", "hundert", "</s>"};
  m.weights = {{0.02f, 0.15f, 0.35f, 0.48f}, {0.05f, 0.6f, 0.8f, 1.0f}, {0.0f, 0.299f, 0.5f, 0.749f}};
  return m;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(AttentionView, TheHeatmapAndTheSvgShadeTheSameWeightsAlike) {
  const AttentionMatrix m = sample_matrix();
  const std::vector<std::string> heatmap = lines_of(render_heatmap(m));
  const std::string svg = render_svg(m);
  // The terminal: each target row is its label, a space, then one cell per weight.
  const std::size_t header_rows = 5;  // the longest source piece, "▁four", written downwards
  ASSERT_EQ(heatmap.size(), header_rows + m.target.size() + 1) << render_heatmap(m);
  // The SVG: one rect per weight, row by row, with its opacity and its weight.
  const std::regex cell("fill-opacity='([0-9.]+)' stroke='#ccc'><title>[^<]*: ([0-9.]+)</title>");
  std::vector<std::pair<double, double>> svg_cells;  // (opacity, weight)
  for (std::sregex_iterator it(svg.begin(), svg.end(), cell), end; it != end; ++it)
    svg_cells.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  ASSERT_EQ(svg_cells.size(), 12u) << svg;
  for (std::size_t r = 0; r < m.target.size(); ++r) {
    std::string expected_row;
    for (std::size_t c = 0; c < m.source.size(); ++c) {
      const float w = m.weights[r][c];
      expected_row += attention_cell(attention_step(w));
      const auto& [opacity, weight] = svg_cells[r * m.source.size() + c];
      EXPECT_NEAR(opacity, attention_ink(w), 5e-4) << r << "," << c;
      EXPECT_NEAR(weight, w, 5e-4);
      // Agreement: the terminal's step is the step of the SVG cell's ink.
      EXPECT_EQ(attention_step(static_cast<float>(opacity)), attention_step(w)) << r << "," << c;
    }
    const std::string& row = heatmap[header_rows + r];
    ASSERT_GE(row.size(), expected_row.size());
    EXPECT_EQ(row.substr(row.size() - expected_row.size()), expected_row) << row;
  }
  EXPECT_EQ(heatmap.back(), attention_terminal_legend());
  EXPECT_NE(svg.find(std::string(kAttentionRule) + " (darker)"), std::string::npos) << svg;
  // The SVG legend's ramp runs from no ink to full ink.
  EXPECT_NE(svg.find("fill='black' fill-opacity='0.000' stroke='#ccc'/>"), std::string::npos);
  EXPECT_NE(svg.find("fill='black' fill-opacity='1.000' stroke='#ccc'/>"), std::string::npos);
}

}  // namespace
}  // namespace nmt
