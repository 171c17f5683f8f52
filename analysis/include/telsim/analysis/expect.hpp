#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telsim/analysis/metrics.hpp"

namespace telsim::analysis {

/// What of a metric's statistic an `expect` check holds within its bounds (SPEC §2 `bound`).
enum class ExpectBound {
  mean,  ///< the mean (the default)
  ci,    ///< the whole 95% interval [mean - ci95, mean + ci95]
};

/// The scenario's spelling of a bound: "mean" or "ci".
std::string_view to_string(ExpectBound bound);

/// One `expect` entry of a scenario: the metric's mean (or, with ExpectBound::ci, its whole
/// 95% interval) must lie within [min, max].
struct ExpectCheck {
  std::string metric;
  std::optional<double> min;
  std::optional<double> max;
  ExpectBound bound = ExpectBound::mean;
};

/// The verdict on one check.
struct CheckResult {
  ExpectCheck check;
  bool passed = false;
  /// The metric's mean; null when the metric is unknown or has no data.
  std::optional<double> mean;
  /// One line for a person, e.g. "trunk_groups.AB.call_blocking mean 0.0132 > max 0.01",
  /// "trunk_groups.AB.call_blocking has no data (mean is null)",
  /// "trunk_groups.XY.call_blocking: unknown metric (did you mean
  /// 'trunk_groups.AB.call_blocking'?)", or for a pass "... mean 0.0042 <= max 0.01".
  /// With ExpectBound::ci the line names the interval: "trunk_groups.AB.call_blocking 95% CI
  /// [0.0072, 0.0112] (mean 0.0092 ± 0.002): upper end 0.0112 > max 0.01".
  std::string message;
};

/// Evaluates every check against the table's statistics, in order. A check fails when its
/// metric is unknown, its mean is null (SPEC §4), it has neither bound, or the mean (with
/// ExpectBound::ci: either end of the 95% interval) is outside a bound. A `ci` check also
/// fails when the interval is unknown (ci95 null: fewer than 2 replications with data),
/// saying so: an interval that cannot be computed is not shown to lie within the bounds.
/// Numbers print with 6 significant digits, more when needed to show the difference.
std::vector<CheckResult> evaluate(const std::vector<ExpectCheck>& checks,
                                  const MetricTable& metrics);

/// A JUnit XML report: one <testsuite> named `suite_name`, one <testcase> per check (name:
/// the metric and its bounds, then "(95% CI)" for a `bound: ci` check; classname: the suite), a
/// <failure> with the message for a failed one. Text is XML-escaped; characters XML 1.0 cannot
/// carry (control characters other than tab, LF, CR) become U+FFFD. `wall_seconds` goes in the
/// suites' time attribute.
std::string junit_xml(std::string_view suite_name, const std::vector<CheckResult>& results,
                      double wall_seconds);

}  // namespace telsim::analysis
