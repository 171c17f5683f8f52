#pragma once

#include <optional>
#include <span>
#include <vector>

namespace telsim::analysis {

/// The p-quantile of an ascending sample, interpolating linearly between order statistics:
/// with h = (n - 1) p, the result is x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]),
/// which is numpy's default method "linear" (Hyndman & Fan type 7).
///
/// Preconditions, checked (std::invalid_argument): `sorted` is non-empty and p is in [0, 1].
/// Sortedness is the caller's promise and is not checked (that would cost O(n)). O(1).
double percentile_sorted(std::span<const double> sorted, double p);

/// Mean and the percentiles SPEC §5 reports for completion latencies.
struct LatencySummary {
  std::optional<double> mean;
  std::optional<double> p50;
  std::optional<double> p90;
  std::optional<double> p95;
  std::optional<double> p99;
};

/// Summarises one replication's latencies; every field is null when `values` is empty.
/// Takes the vector by value because it sorts it. O(n log n).
LatencySummary summarize_latencies(std::vector<double> values);

}  // namespace telsim::analysis
