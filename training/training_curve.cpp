// training_curve.cpp — the SVG training curve: panels, round axis ticks, series.
#include "training/training_curve.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace nmt {
namespace {

using Points = std::vector<std::pair<double, double>>;

constexpr int kMaxXIntervals = 6;  // x labels are wide: at most 7 of them on a 340-px axis
constexpr int kMaxYIntervals = 8;

// Ticks needed to cover [low, high] in steps of `step`.
int intervals(double low, double high, double step) {
  constexpr double kSlack = 1e-9;  // 1500 / 250 is 6 intervals, not 7, whatever the rounding
  return static_cast<int>(std::ceil(high / step - kSlack) - std::floor(low / step + kSlack));
}

// Decimals a multiple of `step` needs: 0 for 250, 1 for 0.5, 2 for 0.05.
int decimals_of(double step) {
  int decimals = 0;
  while (decimals < 12 && std::abs(step - std::round(step)) > 1e-9 * std::max(1.0, step)) {
    step *= 10;
    ++decimals;
  }
  return decimals;
}

// One panel: x/y ranges mapped into a box, with axes, ticks and labelled series.
class Panel {
 public:
  Panel(double left, double top, double width, double height) : x0_(left), y0_(top), w_(width), h_(height) {}
  void set_ranges(double x_min, double x_max, double y_min, double y_max) {
    x_axis_ = round_ticks(x_min, x_max, kMaxXIntervals);
    y_axis_ = round_ticks(y_min, y_max, kMaxYIntervals);
  }
  double x(double v) const { return x0_ + (v - x_axis_.low) / (x_axis_.high - x_axis_.low) * w_; }
  double y(double v) const { return y0_ + h_ - (v - y_axis_.low) / (y_axis_.high - y_axis_.low) * h_; }

  // The box, its title, the axis labels and the ticks of the bottom and left axes.
  std::string frame(const std::string& title, const std::string& x_label, const std::string& y_label,
                    const std::string& y_colour) const {
    std::string svg = fmt::format(
        "<rect x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}' fill='none' stroke='#999'/>\n"
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-weight='bold'>{}</text>\n"
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle'>{}</text>\n"
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle' fill='{}' transform='rotate(-90 {:.1f} {:.1f})'>{}</text>\n",
        x0_, y0_, w_, h_, x0_ + w_ / 2, y0_ - 10, title, x0_ + w_ / 2, y0_ + h_ + 34, x_label,
        x0_ - 42, y0_ + h_ / 2, y_colour, x0_ - 42, y0_ + h_ / 2, y_label);
    for (const double v : x_axis_.ticks())
      svg += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='middle' font-size='10'>{}</text>\n", x(v),
                         y0_ + h_ + 14, tick_label(v, x_axis_.step));
    for (const double v : y_axis_.ticks())
      svg += fmt::format("<text x='{:.1f}' y='{:.1f}' text-anchor='end' font-size='10' fill='{}'>{}</text>\n",
                         x0_ - 4, y(v) + 3, y_colour, tick_label(v, y_axis_.step));
    return svg;
  }

  // The ticks of this panel's y range on the right-hand side, for a second series.
  std::string right_axis(const std::string& label, const std::string& colour) const {
    std::string svg;
    for (const double v : y_axis_.ticks())
      svg += fmt::format("<text x='{:.1f}' y='{:.1f}' font-size='10' fill='{}'>{}</text>\n", x0_ + w_ + 4, y(v) + 3,
                         colour, tick_label(v, y_axis_.step));
    svg += fmt::format(
        "<text x='{:.1f}' y='{:.1f}' text-anchor='middle' fill='{}' transform='rotate(90 {:.1f} {:.1f})'>{}</text>\n",
        x0_ + w_ + 40, y0_ + h_ / 2, colour, x0_ + w_ + 40, y0_ + h_ / 2, label);
    return svg;
  }

  std::string line(const Points& points, const std::string& colour, bool markers) const {
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
  TickAxis x_axis_, y_axis_;
};

// The y range of a series: from 0 (or below) to 5% above its highest point.
std::pair<double, double> range_of(const Points& points) {
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

// The series of the picture, read from the records.
struct Series {
  Points loss, metric_by_step, metric_by_minute;
  double max_step = 1, max_minutes = 1.0 / 60;
};

Series series_of(const std::vector<MetricsRecord>& records, bool exact_match) {
  Series s;
  for (const auto& r : records) {
    s.max_step = std::max(s.max_step, static_cast<double>(r.step));
    s.max_minutes = std::max(s.max_minutes, r.time / 60);
    if (r.type == "train" && std::isfinite(r.loss)) s.loss.emplace_back(r.step, r.loss);
    if (r.type == "valid") {
      const double value = exact_match ? r.exact_match : r.bleu;
      s.metric_by_step.emplace_back(r.step, value);
      s.metric_by_minute.emplace_back(r.time / 60, value);
    }
  }
  return s;
}

}  // namespace

std::vector<double> TickAxis::ticks() const {
  std::vector<double> out;
  const double first = std::round(low / step);
  const int count = static_cast<int>(std::lround((high - low) / step));
  for (int i = 0; i <= count; ++i) out.push_back((first + i) * step);
  return out;
}

TickAxis round_ticks(double low, double high, int max_intervals) {
  if (!(high > low)) high = low + 1;
  const double raw = (high - low) / max_intervals;
  int exponent = static_cast<int>(std::floor(std::log10(raw)));
  for (;; ++exponent) {
    const double power = std::pow(10.0, exponent);
    for (const double mantissa : {1.0, 2.0, 2.5, 5.0}) {
      if (mantissa == 2.5 && exponent < 1) continue;  // 2.5, 0.25: labels with an extra decimal
      const double step = mantissa * power;
      if (intervals(low, high, step) <= max_intervals)
        return TickAxis{std::floor(low / step + 1e-9) * step, std::ceil(high / step - 1e-9) * step, step};
    }
  }
}

std::string tick_label(double value, double step) {
  const int decimals = decimals_of(step);
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (decimals > 0) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

std::string training_curve_svg(const std::vector<MetricsRecord>& records, bool exact_match) {
  const std::string metric = exact_match ? "dev exact match %" : "dev BLEU";
  const Series s = series_of(records, exact_match);
  const auto [loss_low, loss_high] = range_of(s.loss);
  const auto [metric_low, metric_high] = range_of(s.metric_by_step);
  std::string svg =
      "<svg xmlns='http://www.w3.org/2000/svg' width='960' height='380' font-family='sans-serif' "
      "font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  Panel by_step(70, 40, 340, 270), by_time(570, 40, 340, 270);
  by_step.set_ranges(0, s.max_step, loss_low, loss_high);
  svg += by_step.frame("train loss and " + metric + " by step", "update step", "train loss", "#1f77b4");
  svg += by_step.line(s.loss, "#1f77b4", false);
  // the dev metric on the right axis of the same panel
  Panel metric_overlay = by_step;
  metric_overlay.set_ranges(0, s.max_step, metric_low, metric_high);
  svg += metric_overlay.right_axis(metric, "#d62728");
  svg += metric_overlay.line(s.metric_by_step, "#d62728", true);
  by_time.set_ranges(0, s.max_minutes, metric_low, metric_high);
  svg += by_time.frame(metric + " by wall-clock time", "minutes (validation included)", metric, "#d62728");
  svg += by_time.line(s.metric_by_minute, "#d62728", true);
  return svg + "</svg>\n";
}

}  // namespace nmt
