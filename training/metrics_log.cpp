// metrics_log.cpp — metrics.jsonl lines and the SVG training curve.
#include "training/metrics_log.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "data/text_writer.hpp"
#include "formats/json.hpp"

namespace nmt {
namespace {

double member(const Json& json, const char* key) { return json.has(key) ? json.at(key).as_double() : 0.0; }

// One panel: x/y ranges mapped into a box, with axes, ticks and labelled series.
class Panel {
 public:
  Panel(double left, double top, double width, double height) : x0_(left), y0_(top), w_(width), h_(height) {}
  void set_ranges(double x_min, double x_max, double y_min, double y_max) {
    x_min_ = x_min;
    x_max_ = x_max > x_min ? x_max : x_min + 1;
    y_min_ = y_min;
    y_max_ = y_max > y_min ? y_max : y_min + 1;
  }
  double x(double v) const { return x0_ + (v - x_min_) / (x_max_ - x_min_) * w_; }
  double y(double v) const { return y0_ + h_ - (v - y_min_) / (y_max_ - y_min_) * h_; }

  std::string frame(const std::string& title, const std::string& x_label, const std::string& y_label,
                    const std::string& y_colour) const {
    std::string svg = fmt::format(
        "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='none' stroke='#999'/>\n"
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-weight='bold'>{}</text>\n"
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle'>{}</text>\n"
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle' fill='{}' transform='rotate(-90 {:.1f} {:.1f})'>{}</text>\n",
        x0_, y0_, w_, h_, x0_ + w_ / 2, y0_ - 10, title, x0_ + w_ / 2, y0_ + h_ + 34, x_label,
        x0_ - 42, y0_ + h_ / 2, y_colour, x0_ - 42, y0_ + h_ / 2, y_label);
    for (int i = 0; i <= 4; ++i) {
      const double xv = x_min_ + (x_max_ - x_min_) * i / 4, yv = y_min_ + (y_max_ - y_min_) * i / 4;
      svg += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-size='10'>{:.4g}</text>\n",
                         x(xv), y0_ + h_ + 14, xv);
      svg += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='end' font-size='10' fill='{}'>{:.3g}</text>\n",
                         x0_ - 4, y(yv) + 3, y_colour, yv);
    }
    return svg;
  }

  // A right-hand axis for a second series: its own range.
  std::string right_axis(double y_min, double y_max, const std::string& label, const std::string& colour) const {
    std::string svg;
    for (int i = 0; i <= 4; ++i) {
      const double v = y_min + (y_max - y_min) * i / 4;
      svg += fmt::format("<text x='{:.1f}' y='{:.1f}' font-size='10' fill='{}'>{:.3g}</text>\n", x0_ + w_ + 4,
                         y0_ + h_ - h_ * i / 4 + 3, colour, v);
    }
    svg += fmt::format(
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle' fill='{}' transform='rotate(90 {:.1f} {:.1f})'>{}</text>\n",
        x0_ + w_ + 40, y0_ + h_ / 2, colour, x0_ + w_ + 40, y0_ + h_ / 2, label);
    return svg;
  }

  std::string line(const std::vector<std::pair<double, double>>& points, const std::string& colour,
                   bool markers) const {
    if (points.empty()) return "";
    std::string path;
    for (const auto& [px, py] : points) path += fmt::format("{:.1f},{:.1f} ", x(px), y(py));
    std::string svg = fmt::format("<polyline fill='none' stroke='{}' stroke-width='1.5' points='{}'/>\n", colour, path);
    if (markers)
      for (const auto& [px, py] : points)
        svg += fmt::format("<circle cx='{:.1f}' cy='{:.1f}' r='2.5' fill='{}'/>\n", x(px), y(py), colour);
    return svg;
  }

 private:
  double x0_, y0_, w_, h_;
  double x_min_ = 0, x_max_ = 1, y_min_ = 0, y_max_ = 1;
};

std::pair<double, double> range_of(const std::vector<std::pair<double, double>>& points) {
  double low = 0, high = 1;
  if (!points.empty()) {
    low = high = points[0].second;
    for (const auto& p : points) {
      low = std::min(low, p.second);
      high = std::max(high, p.second);
    }
  }
  return {std::min(0.0, low), high > low ? high * 1.05 : low + 1};
}

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

std::string training_curve_svg(const std::vector<MetricsRecord>& records, bool exact_match) {
  const std::string metric = exact_match ? "dev exact match %" : "dev BLEU";
  std::vector<std::pair<double, double>> loss, bleu_by_step, bleu_by_time;
  double max_step = 1, max_minutes = 1.0 / 60;
  for (const auto& r : records) {
    max_step = std::max(max_step, static_cast<double>(r.step));
    max_minutes = std::max(max_minutes, r.time / 60);
    if (r.type == "train" && std::isfinite(r.loss)) loss.emplace_back(r.step, r.loss);
    if (r.type == "valid") {
      const double value = exact_match ? 100 * r.dev_exact_match : r.dev_bleu;
      bleu_by_step.emplace_back(r.step, value);
      bleu_by_time.emplace_back(r.time / 60, value);
    }
  }
  const auto [loss_low, loss_high] = range_of(loss);
  const auto [bleu_low, bleu_high] = range_of(bleu_by_step);
  std::string svg =
      "<svg xmlns='http://www.w3.org/2000/svg' width='960' height='380' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  Panel by_step(70, 40, 340, 270), by_time(570, 40, 340, 270);
  by_step.set_ranges(0, max_step, loss_low, loss_high);
  svg += by_step.frame("train loss and " + metric + " by step", "update step", "train loss", "#1f77b4");
  svg += by_step.line(loss, "#1f77b4", false);
  // dev BLEU on the right axis of the same panel
  Panel bleu_overlay = by_step;
  bleu_overlay.set_ranges(0, max_step, bleu_low, bleu_high);
  svg += bleu_overlay.right_axis(bleu_low, bleu_high, metric, "#d62728");
  svg += bleu_overlay.line(bleu_by_step, "#d62728", true);
  by_time.set_ranges(0, max_minutes, bleu_low, bleu_high);
  svg += by_time.frame(metric + " by wall-clock time", "minutes (validation included)", metric, "#d62728");
  svg += by_time.line(bleu_by_time, "#d62728", true);
  return svg + "</svg>\n";
}

}  // namespace nmt
