#pragma once
// What telsim-view reads: one results file (SPEC §5), a sweep folder or a compare.json,
// as plain values. No Qt here: the table model and the chart mappers read these.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/histogram.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/analysis/statistic.hpp"

namespace telsim::view {

/// A statistic (SPEC §5): mean ± ci95 over n replications, and the per-replication values
/// (null: no data in that replication). The viewer's name for what analysis computes.
using Estimate = analysis::Statistic;

/// A policy instance of a results file: its name and type.
struct PolicyInfo {
  std::string name;
  std::string type;
};

/// One results document, as `telsim run` writes it.
struct Run {
  std::string name;                 ///< the scenario's name
  nlohmann::ordered_json scenario;  ///< the resolved scenario, keys in file order
  std::size_t replications = 0;
  double duration = 0;
  /// Warm-up in seconds: as configured, or the mean MSER-5 chose with `warmup: auto`.
  double warmup = 0;
  /// Every statistic leaf under trunk_groups, traffic and policies, in document order.
  std::vector<std::pair<std::string, Estimate>> metrics;
  /// Pooled latency histograms by their owner: "traffic.<relation>" or "policies.<name>".
  std::map<std::string, analysis::Histogram> latency_histograms;
  /// Busy circuits over the measured window, by trunk group.
  std::map<std::string, analysis::TimeSeries> busy_circuits;
  std::vector<std::string> trunk_groups;  ///< in document order
  std::vector<std::string> relations;     ///< in document order
  std::vector<PolicyInfo> policies;       ///< in document order

  /// The estimate at a full metric path, or nullopt when the file has no such path. O(paths).
  std::optional<Estimate> metric(std::string_view path) const;
  /// Circuits of a trunk group from the resolved scenario, when it says.
  std::optional<double> circuits(std::string_view trunk_group) const;
};

/// One varied key of a sweep and its values, as written in summary.json.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// One point of a sweep: its value on each axis (as text, axis order) and its results.
struct SweepPoint {
  std::vector<std::string> values;
  Run run;
};

/// A `telsim sweep` folder: summary.json and points/NNNN.json.
struct Sweep {
  std::vector<SweepAxis> axes;
  std::vector<SweepPoint> points;
};

/// A compare.json: the varied key, and one results document per alternative value.
struct Comparison {
  std::string key;
  std::vector<std::string> values;
  std::vector<Run> alternatives;
};

/// A document opened in the viewer.
struct Document {
  std::filesystem::path source;  ///< what was opened (file or folder)
  std::variant<Run, Sweep, Comparison> content;

  bool is_run() const { return std::holds_alternative<Run>(content); }
  bool is_sweep() const { return std::holds_alternative<Sweep>(content); }
  bool is_comparison() const { return std::holds_alternative<Comparison>(content); }
  /// The files whose change should reload the document.
  std::vector<std::filesystem::path> watched_files() const;
};

/// Formats a number for labels and tooltips: 4 significant digits, "n/a" for none.
std::string format_number(const std::optional<double>& value);
/// "mean ± ci95" (or just the mean, or "n/a"), as `telsim run` prints estimates.
std::string format_estimate(const Estimate& estimate);

}  // namespace telsim::view
