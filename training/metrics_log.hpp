// metrics_log.hpp — the run's metrics file (JSON lines); it also redraws the training
// curve (training/training_curve.hpp).
//
// RUN_DIR/metrics.jsonl holds one object per line:
//   {"type":"train","step":..,"epoch":..,"time":..,"loss":..,"lr":..,"tokens_per_s":..,"grad_norm":..}
//   {"type":"valid","step":..,"epoch":..,"time":..,"dev_ppl":..,"dev_bleu":..,"dev_chrf":..,
//    "dev_exact_match":..,"lr":..}
//   {"type":"test","step":..,"epoch":..,"time":..,"test_ppl":..,"test_bleu":..,"test_chrf":..,
//    "test_exact_match":..}
// One naming scheme: a score of a held-out split is SPLIT_METRIC (dev_ in valid records,
// test_ in the test record), a quantity of training is its plain name; BLEU, chrF and
// exact match are on one scale, 0..100. The fields, their order and rounding are one
// table in metrics_log.cpp. "time" is wall-clock seconds of training (validation
// included) since the run began, summed over resumed sessions; a test record carries the
// step, epoch and time of the run's last record. RUN_DIR/curve.svg is redrawn after each
// validation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nmt {

struct MetricsRecord {
  std::string type;  // train | valid | test
  std::int64_t step = 0;
  int epoch = 0;
  double time = 0;
  // train (lr in valid records too)
  double loss = 0, lr = 0, tokens_per_second = 0, grad_norm = 0;
  // valid and test: the held-out split's scores (dev_* or test_* in the file)
  double ppl = 0, bleu = 0, chrf = 0, exact_match = 0;  // bleu, chrf, exact_match: 0..100
};

class MetricsLog {
 public:
  // Opens RUN_DIR/metrics.jsonl. Records after `resume_step` (written by a session that
  // was stopped after its last checkpoint) are dropped, so a resumed run's file reads
  // as if it had never stopped; resume_step < 0 starts a new file.
  MetricsLog(std::string run_dir, std::int64_t resume_step);

  void add(const MetricsRecord& record);
  const std::vector<MetricsRecord>& records() const { return records_; }
  // Writes RUN_DIR/curve.svg from the records (atomically): training_curve_svg.
  void plot(bool exact_match) const;

 private:
  void append_line(const MetricsRecord& record) const;
  std::string run_dir_;
  std::vector<MetricsRecord> records_;
};

// One record as its JSON line (without the newline), and back; parse_metrics_json throws
// std::runtime_error on a line that is not JSON or lacks "type". Missing fields read as 0.
std::string metrics_json(const MetricsRecord& record);
MetricsRecord parse_metrics_json(const std::string& line);

}  // namespace nmt
