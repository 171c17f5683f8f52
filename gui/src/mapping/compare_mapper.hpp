#pragma once
// Policy comparison: for each policy of a results file, or each alternative of a
// compare.json, the completion ratio and the share blocked at the first attempt (left
// axis, fractions) and the mean and p95 completion latency (right axis, seconds), each
// with its 95% CI.
#include <string>

#include "../data/view_data.hpp"
#include "chart_spec.hpp"

namespace telsim::view {

/// The four figures, in series order: "completion ratio", "blocked at first attempt
/// (congestion + busy)" (the two first_attempt_failure fractions added per replication,
/// CI from those sums), "latency mean", "latency p95". Markers sit in each category at
/// offsets -0.24, -0.08, +0.08, +0.24 from its centre.
ChartSpec policy_comparison_chart(const Run& run);

/// The relations a compare.json's chart can show (those of its first alternative).
QStringList comparison_relations(const Comparison& comparison);

/// The same four figures of `relation` in each alternative; categories are the varied
/// values, the title names the varied key.
ChartSpec alternatives_chart(const Comparison& comparison, const std::string& relation);

}  // namespace telsim::view
