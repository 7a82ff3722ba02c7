// attention_shade.hpp — the one rule by which every view shades an attention weight.
//
// More attention = more ink. A weight w (clamped to [0, 1]) is drawn with ink w:
// - the SVG fills its cell black at opacity w on white: darker = more;
// - the terminal fills its cell with a glyph of w's step on a five-step density ramp
//   ("  " below 0.1, ░ below 0.3, ▒ below 0.5, ▓ below 0.75, █ from 0.75): more of the
//   text colour = more, which reads alike on dark and light backgrounds;
// - the page of `nmt serve` (app/page/index.html, attentionInk) fills its cells black at
//   opacity w on white too; the two must agree (and, where it draws steps, use these).
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace nmt {

// The phrase every legend states the rule with.
inline constexpr std::string_view kAttentionRule = "more attention = more ink";

inline constexpr int kAttentionSteps = 5;
// Where each step above the first begins: step s covers [threshold s-1, threshold s).
inline constexpr std::array<double, kAttentionSteps - 1> kAttentionStepStarts = {0.1, 0.3, 0.5, 0.75};

// The ink of a weight: the weight clamped to [0, 1]; 0 for NaN.
double attention_ink(float weight);

// The weight's step, 0 (no ink) to kAttentionSteps - 1 (full): how many step starts its
// ink has reached.
int attention_step(float weight);

// A terminal cell of a step: two columns of its glyph ("  ", "░░", "▒▒", "▓▓", "██").
std::string attention_cell(int step);

// The terminal legend: the rule, then each step's glyph between its bounds,
// "(attention: more attention = more ink; '  ' < 0.1 ≤ ░ < 0.3 ≤ ▒ < 0.5 ≤ ▓ < 0.75 ≤ █)".
std::string attention_terminal_legend();

}  // namespace nmt
