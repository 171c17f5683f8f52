#pragma once
/// Differences between two alternatives run over the same replications.
///
/// With common random numbers (SPEC §3 "Random streams") replication r of every
/// alternative sees the same offered traffic, so x_r(alt) and x_r(base) are positively
/// correlated and the per-replication difference d_r = x_r(alt) - x_r(base) varies much
/// less than either: its Student-t interval is the right (and narrow) one. The unpaired
/// Welch interval is here for comparison only.
#include <cstddef>
#include <optional>
#include <span>

#include "telsim/analysis/statistic.hpp"

namespace telsim::analysis {

/// The paired difference `alternative - baseline`, replication by replication.
///
/// values[r] = alternative[r] - baseline[r] where both are present and finite, else null;
/// values has max(alternative.size(), baseline.size()) entries (a replication missing from
/// the shorter span counts as null). mean, ci95 (95% Student-t with n - 1 degrees of
/// freedom) and n are those of summarize(values). O(replications).
Statistic paired_difference(std::span<const std::optional<double>> alternative,
                            std::span<const std::optional<double>> baseline);

/// An unpaired estimate of `a - b` from two independent samples.
struct WelchDifference {
  std::optional<double> mean;  ///< mean(a) - mean(b); null unless both have data
  /// Half-width of the 95% Welch interval: t(0.975, floor(df)) sqrt(s_a^2/n_a + s_b^2/n_b),
  /// with the Welch-Satterthwaite df (floored: conservative); null unless both n >= 2.
  std::optional<double> ci95;
  double degrees_of_freedom = 0;  ///< 0 when ci95 is null
};

/// The two-sample Welch interval of mean(a) - mean(b), ignoring any pairing. Null and
/// non-finite entries count as no data. When both variances are 0 the half-width is 0.
/// O(replications).
WelchDifference welch_difference(std::span<const std::optional<double>> a,
                                 std::span<const std::optional<double>> b);

/// sqrt(h_a^2 + h_b^2): the crude unpaired half-width from two statistics' own ci95;
/// null unless both have one.
std::optional<double> combined_half_width(const Statistic& a, const Statistic& b);

/// True when the difference's 95% interval excludes 0: a ci95 exists and |mean| > ci95.
/// (With a zero-variance nonzero difference the interval is a point and excludes 0.)
bool excludes_zero(const Statistic& difference);

}  // namespace telsim::analysis
