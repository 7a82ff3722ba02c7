// metrics_log.cpp — metrics.jsonl: records to JSON lines and back (nlohmann-json), from
// one table of fields; the file kept in step with a resumed run.
#include "training/metrics_log.hpp"

#include <fstream>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "data/text_writer.hpp"
#include "formats/json_number.hpp"
#include "training/training_curve.hpp"

namespace nmt {
namespace {

// Which record types carry a field (a bit per type; kEvery: all, unknown ones too).
enum RecordTypes : unsigned { kTrain = 1u, kValid = 2u, kTest = 4u, kOther = 8u, kEvery = 15u };

unsigned type_bit(const std::string& type) {
  if (type == "train") return kTrain;
  if (type == "valid") return kValid;
  if (type == "test") return kTest;
  return kOther;
}

using Member = std::variant<std::string MetricsRecord::*, std::int64_t MetricsRecord::*, int MetricsRecord::*,
                            double MetricsRecord::*>;

struct MetricsField {
  const char* name;  // the key, after the split's prefix for a held-out score
  Member member;
  unsigned types;
  const char* rounding;  // fmt format a double is rounded through; nullptr for the others
  bool held_out = false;  // a score of the record's split: key "dev_NAME" or "test_NAME"
};

// Every field of a line, in the order written. lr appears twice: after loss in train
// lines, last in valid lines.
const MetricsField kFields[] = {
    {"type", &MetricsRecord::type, kEvery, nullptr},
    {"step", &MetricsRecord::step, kEvery, nullptr},
    {"epoch", &MetricsRecord::epoch, kEvery, nullptr},
    {"time", &MetricsRecord::time, kEvery, "{:.3f}"},
    {"loss", &MetricsRecord::loss, kTrain, "{:.6g}"},
    {"lr", &MetricsRecord::lr, kTrain, "{:.6g}"},
    {"tokens_per_s", &MetricsRecord::tokens_per_second, kTrain, "{:.1f}"},
    {"grad_norm", &MetricsRecord::grad_norm, kTrain, "{:.6g}"},
    {"ppl", &MetricsRecord::ppl, kValid | kTest, "{:.6g}", true},
    {"bleu", &MetricsRecord::bleu, kValid | kTest, "{:.4f}", true},
    {"chrf", &MetricsRecord::chrf, kValid | kTest, "{:.4f}", true},
    {"exact_match", &MetricsRecord::exact_match, kValid | kTest, "{:.4f}", true},
    {"lr", &MetricsRecord::lr, kValid, "{:.6g}"},
};

// The key of `field` in a record of type `type`.
std::string key_of(const MetricsField& field, const std::string& type) {
  if (!field.held_out) return field.name;
  return (type == "test" ? "test_" : "dev_") + std::string(field.name);
}

void write_field(const MetricsField& field, const MetricsRecord& record, nlohmann::ordered_json& line) {
  const std::string key = key_of(field, record.type);
  std::visit(
      [&](auto member) {
        using Value = std::decay_t<decltype(record.*member)>;
        if constexpr (std::is_same_v<Value, double>) line[key] = rounded(field.rounding, record.*member);
        else line[key] = record.*member;
      },
      field.member);
}

// A number (null, as nlohmann writes a non-finite double, reads as NaN) or a string.
void read_field(const MetricsField& field, const nlohmann::json& value, MetricsRecord& record) {
  std::visit(
      [&](auto member) {
        using Value = std::decay_t<decltype(record.*member)>;
        if constexpr (std::is_same_v<Value, double>)
          record.*member = value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>();
        else
          record.*member = value.get<Value>();
      },
      field.member);
}

}  // namespace

std::string metrics_json(const MetricsRecord& record) {
  const unsigned bit = type_bit(record.type);
  nlohmann::ordered_json line = nlohmann::ordered_json::object();
  for (const MetricsField& field : kFields)
    if (field.types & bit) write_field(field, record, line);
  return line.dump();
}

MetricsRecord parse_metrics_json(const std::string& line) {
  try {
    const nlohmann::json json = nlohmann::json::parse(line);
    MetricsRecord record;
    record.type = json.at("type").get<std::string>();
    const unsigned bit = type_bit(record.type);
    for (const MetricsField& field : kFields) {
      const auto found = json.find(key_of(field, record.type));
      if ((field.types & bit) && found != json.end()) read_field(field, *found, record);
    }
    return record;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("bad metrics line '" + line + "': " + e.what());
  }
}

MetricsLog::MetricsLog(std::string run_dir, std::int64_t resume_step) : run_dir_(std::move(run_dir)) {
  const std::string path = run_dir_ + "/metrics.jsonl";
  if (resume_step >= 0) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      try {
        MetricsRecord record = parse_metrics_json(line);
        if (record.step <= resume_step && record.type != "test") records_.push_back(std::move(record));
      } catch (const std::exception&) {
        // a line cut by a crash: dropped
      }
    }
  }
  std::string content;
  for (const auto& record : records_) content += metrics_json(record) + "\n";
  write_file_atomically(path, content);
}

void MetricsLog::append_line(const MetricsRecord& record) const {
  std::ofstream out(run_dir_ + "/metrics.jsonl", std::ios::app);
  out << metrics_json(record) << '\n';
  if (!out) throw std::runtime_error("cannot append to '" + run_dir_ + "/metrics.jsonl'");
}

void MetricsLog::add(const MetricsRecord& record) {
  records_.push_back(record);
  append_line(record);
}

void MetricsLog::plot(bool exact_match) const {
  write_file_atomically(run_dir_ + "/curve.svg", training_curve_svg(records_, exact_match));
}

}  // namespace nmt
