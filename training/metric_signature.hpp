// metric_signature.hpp — a sacreBLEU signature: the settings a score was computed with.
//
// sacreBLEU 2.6.0 prints it after the metric's name ("BLEU|nrefs:1|case:mixed|eff:no|
// tok:13a|smooth:exp|version:2.6.0"), abbreviated with --short ("#:1|c:mixed|..."), and
// in its JSON both whole and as one key per entry. The entries are in sacreBLEU's order,
// the version last.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nmt {

// The sacreBLEU release whose metrics training/bleu and training/chrf reproduce.
inline constexpr std::string_view kSacreBleuVersion = "2.6.0";

struct SignatureEntry {
  std::string key, abbreviation, value;
};

struct MetricSignature {
  std::vector<SignatureEntry> entries;
  // "key:value|key:value|..." (abbreviated: "abbreviation:value|...").
  std::string text(bool abbreviated = false) const;
};

}  // namespace nmt
