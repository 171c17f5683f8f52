#pragma once
// Blocking charts: per trunk group and per relation for one results file (bars with CI
// whiskers), and a metric against the varied parameter of a sweep, with the Erlang B or
// Engset curve where the scenario matches one.
#include <optional>
#include <string>

#include "../data/view_data.hpp"
#include "chart_spec.hpp"

namespace telsim::view {

/// How the user looks at blocking: a log y axis (small blocking probabilities apart
/// instead of squashed near 0), and a grade-of-service line.
struct BlockingView {
  bool log_scale = false;
  /// The target line's value: nullopt = the scenario's `expect` bound on the metric, when
  /// it has one; a value <= 0 = no line.
  std::optional<double> target;
};

/// Which figures the run blocking chart shows.
struct BlockingChoice {
  /// Trunk-group metric: "call_blocking" or "time_congestion".
  std::string group_metric = "call_blocking";
  /// Relation metric below traffic.<relation>: by default the fraction of calls whose
  /// first attempt met congestion.
  std::string relation_metric = "first_attempt_failure.congestion";
  BlockingView view;
};

/// Categories: every trunk group, then every relation. Two bar series (groups, relations)
/// with whiskers, and the loss model's value as a marker on its group when the scenario
/// matches one. On a log scale the bars become markers (a bar has no foot on a log axis)
/// and figures of 0 are left out. The target line: the view's, or the smallest `max` of
/// the scenario's expect checks on a trunk group's `group_metric`.
ChartSpec blocking_chart(const Run& run, const BlockingChoice& choice = {});

/// The metrics a sweep chart can plot: every path of the first point; trunk groups'
/// call_blocking first.
QStringList sweep_metric_paths(const Sweep& sweep);

/// `metric_path` against the first axis of the sweep (one series per combination of the
/// other axes' values, named by their short keys), each point with its CI whisker, and the
/// analytic curve where the scenario matches a loss model and the metric is a trunk
/// group's call_blocking or time_congestion. A non-numeric first axis is drawn as
/// categories. When the axis is a relation's Poisson rate, x is that relation's offered
/// traffic in Erlangs (rate x mean holding time); numeric axes have ticks on round values.
/// The target line: the view's, or the scenario's expect bound on `metric_path`.
ChartSpec sweep_chart(const Sweep& sweep, const std::string& metric_path,
                      const BlockingView& view = {});

}  // namespace telsim::view
