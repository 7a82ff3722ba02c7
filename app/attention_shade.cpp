// attention_shade.cpp — the shading rule of attention_shade.hpp.
#include "app/attention_shade.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace nmt {
namespace {

constexpr std::array<std::string_view, kAttentionSteps> kGlyphs = {" ", "░", "▒", "▓", "█"};

}  // namespace

double attention_ink(float weight) {
  if (!(weight > 0.f)) return 0.0;  // NaN too
  return weight < 1.f ? static_cast<double>(weight) : 1.0;
}

int attention_step(float weight) {
  const double ink = attention_ink(weight);
  int step = 0;
  for (const double start : kAttentionStepStarts) step += ink >= start ? 1 : 0;
  return step;
}

std::string attention_cell(int step) {
  const std::string_view glyph = kGlyphs[static_cast<std::size_t>(std::clamp(step, 0, kAttentionSteps - 1))];
  return std::string(glyph) + std::string(glyph);
}

std::string attention_terminal_legend() {
  std::string out = fmt::format("(attention: {}; '{}'", kAttentionRule, attention_cell(0));
  for (std::size_t s = 1; s < kGlyphs.size(); ++s)
    out += fmt::format(" < {} ≤ {}", kAttentionStepStarts[s - 1], kGlyphs[s]);
  return out + ")";
}

}  // namespace nmt
