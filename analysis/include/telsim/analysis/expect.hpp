#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telsim/analysis/metrics.hpp"

namespace telsim::analysis {

/// One `expect` entry of a scenario: the metric's mean must lie within [min, max].
struct ExpectCheck {
  std::string metric;
  std::optional<double> min;
  std::optional<double> max;
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
  std::string message;
};

/// Evaluates every check against the table's means, in order. A check fails when its metric
/// is unknown, its mean is null (SPEC §4), the mean is outside a bound, or it has neither
/// bound. Numbers print with 6 significant digits, more when needed to show the difference.
std::vector<CheckResult> evaluate(const std::vector<ExpectCheck>& checks,
                                  const MetricTable& metrics);

/// A JUnit XML report: one <testsuite> named `suite_name`, one <testcase> per check (name:
/// the metric and its bounds; classname: the suite), a <failure> with the message for a
/// failed one. Text is XML-escaped; characters XML 1.0 cannot carry (control characters
/// other than tab, LF, CR) become U+FFFD. `wall_seconds` goes in the suites' time attribute.
std::string junit_xml(std::string_view suite_name, const std::vector<CheckResult>& results,
                      double wall_seconds);

}  // namespace telsim::analysis
