// json_number.hpp — numbers for JSON output, rounded as a printf-style format prints them.
//
// nmt's JSON writers (metrics lines, `nmt evaluate --json`, bench_model's JSON line)
// store a measurement as the double that its format's text reads back as — e.g.
// rounded("{:.3f}", 12.3456) == 12.346 — and nlohmann-json prints that double in its
// shortest form ("12.346"; an integral value as "12.0"). Non-finite values pass through
// unchanged (nlohmann writes them as null).
#pragma once

#include <string_view>

namespace nmt {

// `value` printed with the fmt format `spec` ("{:.3f}", "{:.6g}", ...) and read back.
double rounded(std::string_view spec, double value);

}  // namespace nmt
