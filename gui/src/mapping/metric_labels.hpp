#pragma once
// Words and units for metric paths, for titles, legends and axes.
#include <string>

#include <QString>

namespace telsim::view {

/// The last components of a path in words: "trunk_groups.AB.call_blocking" -> "call
/// blocking"; "traffic.x.completion_latency.p95" -> "completion latency p95".
QString metric_words(const std::string& path);
/// The unit of a metric's values: "s" for latencies, "Erlang" for carried traffic, "calls"
/// for counts, "fraction" for ratios and probabilities.
QString metric_unit(const std::string& path);
/// "<words> (<unit>)", for an axis title.
QString axis_title(const std::string& path);

}  // namespace telsim::view
