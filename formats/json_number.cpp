// json_number.cpp — rounding a double through its printed text.
#include "formats/json_number.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace nmt {

double rounded(std::string_view spec, double value) {
  if (!std::isfinite(value)) return value;
  const std::string text = fmt::format(fmt::runtime(spec), value);
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace nmt
