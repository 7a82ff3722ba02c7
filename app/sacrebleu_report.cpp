// sacrebleu_report.cpp — sacreBLEU's text lines and JSON, byte for byte.
#include "app/sacrebleu_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/fields.hpp"
#include "formats/json_number.hpp"

namespace nmt {
namespace {

// f"{score:.{width}f}"
std::string fixed(double score, int width) { return fmt::format("{:.{}f}", score, width); }

// Python's repr of a float: the shortest digits that read back, fixed notation for
// exponents in [-4, 16) with at least one decimal ("40.0"), else "1e-05", "1e+16".
std::string python_float_repr(double value) {
  std::string text = field_text(value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string python_json_value(const nlohmann::ordered_json& value) {
  if (value.is_number_float())
    return std::isfinite(value.get<double>()) ? python_float_repr(value.get<double>()) : "null";
  return value.dump();  // strings escaped as Python escapes them; integers in decimal
}

// print_single_results' JSON: one item alone, several as "[\n" items joined by ",\n" "\n]".
std::string json_document(const std::vector<std::string>& items) {
  if (items.size() == 1) return items.front() + "\n";
  std::string out = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i > 0 ? ",\n" : "") + items[i];
  return out + "\n]\n";
}

}  // namespace

std::string python_json_object(const nlohmann::ordered_json& object) {
  if (object.empty()) return "{}";
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : object.items()) {
    out += first ? "\n " : ",\n ";
    first = false;
    out += nlohmann::json(key).dump() + ": " + python_json_value(value);
  }
  return out + "\n}";
}

std::string sacrebleu_text(const std::vector<MetricReport>& metrics, const ReportStyle& style) {
  std::vector<std::string> lines;
  for (const MetricReport& metric : metrics) {
    if (style.score_only) {
      lines.push_back(fixed(metric.score, style.width));
      continue;
    }
    std::string line = metric.name + "|" + metric.signature.text(style.short_signature) + " = " +
                       fixed(metric.score, style.width);
    if (!metric.verbose.empty()) line += " " + metric.verbose;
    lines.push_back(std::move(line));
  }
  // Several lines are right-aligned at " = " (score-only lines have none).
  std::size_t widest = 0;
  if (!style.score_only && lines.size() > 1)
    for (const std::string& line : lines) widest = std::max(widest, line.find(" = "));
  std::string out;
  for (const std::string& line : lines) {
    const std::size_t at = line.find(" = ");
    if (widest > 0 && at != std::string::npos) out.append(widest - at, ' ');
    out += line + "\n";
  }
  return out;
}

nlohmann::ordered_json sacrebleu_json_entry(const MetricReport& metric, int width) {
  nlohmann::ordered_json entry = {{"name", metric.name},
                                  {"score", rounded(fmt::format("{{:.{}f}}", width), metric.score)},
                                  {"signature", metric.signature.text()}};
  if (!metric.verbose.empty()) entry["verbose_score"] = metric.verbose;
  for (const SignatureEntry& signature_entry : metric.signature.entries) entry[signature_entry.key] = signature_entry.value;
  return entry;
}

std::string sacrebleu_json(const std::vector<nlohmann::ordered_json>& entries) {
  std::vector<std::string> items;
  for (const auto& entry : entries) items.push_back(python_json_object(entry));
  return json_document(items);
}

std::string sacrebleu_json_scores(const std::vector<MetricReport>& metrics, int width) {
  std::vector<std::string> items;
  for (const MetricReport& metric : metrics) items.push_back(fixed(metric.score, width));
  return json_document(items);
}

}  // namespace nmt
