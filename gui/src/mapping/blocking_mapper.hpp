#pragma once
// Blocking charts: per trunk group and per relation for one results file (bars with CI
// whiskers), and a metric against the varied parameter of a sweep, with the Erlang B or
// Engset curve where the scenario matches one.
#include <string>

#include "../data/view_data.hpp"
#include "chart_spec.hpp"

namespace telsim::view {

/// Which figures the run blocking chart shows.
struct BlockingChoice {
  /// Trunk-group metric: "call_blocking" or "time_congestion".
  std::string group_metric = "call_blocking";
  /// Relation metric below traffic.<relation>: by default the fraction of calls whose
  /// first attempt met congestion.
  std::string relation_metric = "first_attempt_failure.congestion";
};

/// Categories: every trunk group, then every relation. Two bar series (groups, relations)
/// with whiskers, and the loss model's value as a marker on its group when the scenario
/// matches one.
ChartSpec blocking_chart(const Run& run, const BlockingChoice& choice = {});

/// The metrics a sweep chart can plot: every path of the first point; trunk groups'
/// call_blocking first.
QStringList sweep_metric_paths(const Sweep& sweep);

/// `metric_path` against the first axis of the sweep (one series per combination of the
/// other axes' values), each point with its CI whisker, and the analytic curve where the
/// scenario matches a loss model and the metric is a trunk group's call_blocking or
/// time_congestion. A non-numeric first axis is drawn as categories.
ChartSpec sweep_chart(const Sweep& sweep, const std::string& metric_path);

}  // namespace telsim::view
