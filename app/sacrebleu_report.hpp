// sacrebleu_report.hpp — scores printed as sacreBLEU 2.6.0's command line prints them.
//
// Text (its -f text): one line per metric, "NAME|SIGNATURE = SCORE VERBOSE", several lines
// right-aligned at " = "; with score_only (-b) each score alone on its line. JSON (-f
// json): per metric an object with name, score (rounded to `width` decimals), signature,
// verbose_score (BLEU only) and then each signature entry as a key of its own, all values
// but the score text; one metric prints its object, several print "[", the objects
// joined by ",", "]" on lines of their own; with score_only the scores take the objects'
// place. Objects are written as Python's json.dumps(indent=1, ensure_ascii=False) writes
// them, numbers as Python's repr: the output equals sacreBLEU's byte for byte.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "training/metric_signature.hpp"

namespace nmt {

struct MetricReport {
  std::string name;  // "BLEU", "chrF2"
  double score = 0;
  MetricSignature signature;
  std::string verbose;  // BLEU's precisions and lengths; empty for chrF
};

struct ReportStyle {
  int width = 1;                 // decimals of the scores (-w)
  bool score_only = false;       // -b
  bool short_signature = false;  // -sh: abbreviated signatures in the text form
};

// The text form: one line per metric, each ending in "\n".
std::string sacrebleu_text(const std::vector<MetricReport>& metrics, const ReportStyle& style);

// One metric's JSON object, keys in sacreBLEU's order.
nlohmann::ordered_json sacrebleu_json_entry(const MetricReport& metric, int width);
// The JSON form of `entries`: metrics' objects, and any further flat objects the caller
// adds; ends in "\n".
std::string sacrebleu_json(const std::vector<nlohmann::ordered_json>& entries);
// The JSON form with -b: the scores in the objects' place.
std::string sacrebleu_json_scores(const std::vector<MetricReport>& metrics, int width);

// A flat JSON object (string, integer and number values) as Python's json.dumps(indent=1)
// writes it: "{\n \"key\": value,\n ...\n}"; numbers as Python's repr ("40.0", "1e-05"),
// non-finite numbers as null.
std::string python_json_object(const nlohmann::ordered_json& object);

}  // namespace nmt
