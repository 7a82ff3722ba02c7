// metrics_log.cpp — metrics.jsonl lines; the file kept in step with a resumed run.
#include "training/metrics_log.hpp"

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "data/text_writer.hpp"
#include "formats/json.hpp"
#include "training/training_curve.hpp"

namespace nmt {
namespace {

double member(const Json& json, const char* key) { return json.has(key) ? json.at(key).as_double() : 0.0; }

}  // namespace

std::string metrics_json(const MetricsRecord& r) {
  std::string json = fmt::format("{{\"type\":{},\"step\":{},\"epoch\":{},\"time\":{:.3f}", json_quote(r.type),
                                 r.step, r.epoch, r.time);
  if (r.type == "train")
    json += fmt::format(",\"loss\":{:.6g},\"lr\":{:.6g},\"tokens_per_s\":{:.1f},\"grad_norm\":{:.6g}", r.loss,
                        r.lr, r.tokens_per_second, r.grad_norm);
  else if (r.type == "valid")
    json += fmt::format(",\"dev_ppl\":{:.6g},\"dev_bleu\":{:.4f},\"dev_exact_match\":{:.6g},\"lr\":{:.6g}",
                        r.dev_ppl, r.dev_bleu, r.dev_exact_match, r.lr);
  else if (r.type == "test")
    json += fmt::format(",\"test_bleu\":{:.4f},\"exact_match\":{:.6g}", r.test_bleu, r.exact_match);
  return json + "}";
}

MetricsRecord parse_metrics_json(const std::string& line) {
  const Json json = parse_json(line);
  MetricsRecord r;
  r.type = json.at("type").as_string();
  r.step = static_cast<std::int64_t>(member(json, "step"));
  r.epoch = static_cast<int>(member(json, "epoch"));
  r.time = member(json, "time");
  r.loss = member(json, "loss");
  r.lr = member(json, "lr");
  r.tokens_per_second = member(json, "tokens_per_s");
  r.grad_norm = member(json, "grad_norm");
  r.dev_ppl = member(json, "dev_ppl");
  r.dev_bleu = member(json, "dev_bleu");
  r.dev_exact_match = member(json, "dev_exact_match");
  r.test_bleu = member(json, "test_bleu");
  r.exact_match = member(json, "exact_match");
  return r;
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
