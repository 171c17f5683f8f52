#pragma once
// Completion-latency distribution of one relation or policy: the pooled histogram (left
// axis, completed calls per bin) and its cumulative distribution (right axis), with the
// per-replication percentile estimates marked on the CDF.
#include <string>

#include "../data/view_data.hpp"
#include "chart_spec.hpp"

namespace telsim::view {

/// The owners a latency chart can show: "traffic.<relation>" for every relation, then
/// "policies.<name>" for every policy, in document order.
QStringList latency_owners(const Run& run);

/// `owner` is "traffic.<relation>" or "policies.<name>". Series: "histogram" (a step line
/// through the bins), "CDF" (through (edge, fraction of calls at or below it)), and
/// "percentiles" (p50, p90, p95, p99 means at heights 0.5 ... 0.99, each with its CI in the
/// tooltip). With no completed call, empty_reason says so.
ChartSpec latency_chart(const Run& run, const std::string& owner);

}  // namespace telsim::view
