// metric_signature.cpp — a signature's text, full or abbreviated.
#include "training/metric_signature.hpp"

namespace nmt {

std::string MetricSignature::text(bool abbreviated) const {
  std::string out;
  for (const SignatureEntry& entry : entries) {
    if (!out.empty()) out += '|';
    out += (abbreviated ? entry.abbreviation : entry.key) + ":" + entry.value;
  }
  return out;
}

}  // namespace nmt
