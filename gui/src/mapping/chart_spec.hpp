#pragma once
// What a chart shows, as plain values: the mappers fill it from view_data, the chart
// builder draws it. Every number a chart displays is decided here, so tests can compare
// the drawn chart with the spec and the spec with the results file.
#include <cstddef>
#include <optional>
#include <utility>

#include <QList>
#include <QString>
#include <QStringList>

namespace telsim::view {

enum class SeriesKind {
  bars,     ///< one bar per category (points' x is the category index)
  line,     ///< a polyline through the points in order
  scatter,  ///< markers only
};

enum class AxisSide { left, right };

struct ChartPoint {
  double x = 0;
  double y = 0;
  std::optional<double> ci95;  ///< half-width of the 95% CI of y, drawn as a whisker
  std::size_t n = 0;           ///< replications behind the estimate (0: not an estimate)
  QString label;               ///< tooltip text; empty: "<series>: y ± ci95 (n = ...)"
};

struct SeriesSpec {
  SeriesSpec() = default;
  SeriesSpec(QString name_, SeriesKind kind_, AxisSide axis_ = AxisSide::left)
      : name(std::move(name_)), kind(kind_), axis(axis_) {}

  QString name;
  SeriesKind kind = SeriesKind::line;
  AxisSide axis = AxisSide::left;
  QList<ChartPoint> points;
  bool whiskers = false;  ///< draw each point's ci95 as an error bar
  bool dashed = false;
  /// Draw in the colour the chart gave the series of this name (e.g. a group's capacity
  /// line in its occupancy line's colour); empty: a colour of its own.
  QString same_colour_as;
  /// An analytic reference (Erlang B, Engset), not a measured figure: it does not size a
  /// log axis, and points outside the axis are left out.
  bool reference = false;
  /// No legend entry (a capacity line in its group's colour: the tooltip names it).
  bool no_legend = false;
};

struct AxisSpec {
  QString title;  ///< with the unit, e.g. "time (s)"
  double min = 0;
  double max = 1;
  int ticks = 0;               ///< number of tick marks; 0 = the chart's default
  bool whole_numbers = false;  ///< label ticks without decimals (circuits, sources)
  /// > 0: ticks at the multiples of this round step (1, 2, 2.5 or 5 x 10^k), see
  /// nice_step; 0: as `ticks` says.
  double tick_interval = 0;
  /// A logarithmic axis (base 10); min and max are then powers of ten above 0.
  bool log = false;
};

struct ChartSpec {
  QString title;
  QStringList categories;  ///< non-empty: the x axis is these categories, at x = 0, 1, ...
  AxisSpec x;
  AxisSpec y;
  std::optional<AxisSpec> y_right;
  QList<SeriesSpec> series;
  /// Why there is nothing to draw (no trunk groups, no completed calls, ...); empty
  /// when the chart has data.
  QString empty_reason;
  /// A grade-of-service line across the chart at this y (left axis), e.g. the
  /// scenario's expect bound on the metric, named target_label in the legend.
  std::optional<double> target;
  QString target_label;
  /// The x range the target line spans, when only part of the chart is measured against
  /// it (a results file's trunk groups, not its relations); nullopt: the whole x range.
  std::optional<std::pair<double, double>> target_span;
};

/// The upper end of a value axis showing values up to `top`: the next "nice" number
/// (1, 2, 2.5, 5 x 10^k) at or above top x 1.05; 1 when top <= 0.
double nice_ceiling(double top);

/// A round tick step (1, 2, 2.5 or 5 x 10^k) giving about `ticks` intervals over span.
double nice_step(double span, int ticks = 6);

/// For a log axis showing values in [low, high] (low > 0): the powers of ten around them.
std::pair<double, double> log_range(double low, double high);

}  // namespace telsim::view
