#include "telsim/analysis/expect.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>

namespace telsim::analysis {
namespace {

// Levenshtein distance, for "did you mean" on a misspelt metric path.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string unknown_metric_message(const std::string& metric, const MetricTable& metrics) {
  std::string message = metric + ": unknown metric";
  std::size_t best = std::numeric_limits<std::size_t>::max();
  std::optional<std::string> suggestion;
  for (const std::string& path : metrics.paths()) {
    const std::size_t distance = edit_distance(metric, path);
    if (distance < best) {
      best = distance;
      suggestion = path;
    }
  }
  // Only a near miss is worth suggesting: at most a third of the path differs.
  if (suggestion && best * 3 <= metric.size()) {
    message += " (did you mean '" + *suggestion + "'?)";
  }
  return message;
}

// Two numbers for a comparison message: 6 significant digits, unless that makes them look
// equal ("0.01 > max 0.01"), then the shortest exact forms.
std::pair<std::string, std::string> format_pair(double mean, double bound) {
  std::string a = fmt::format("{:.6g}", mean);
  std::string b = fmt::format("{:.6g}", bound);
  if (a == b && mean != bound) return {fmt::format("{}", mean), fmt::format("{}", bound)};
  return {a, b};
}

// A check on the mean: it must lie within [min, max].
CheckResult evaluate_mean(CheckResult result) {
  const ExpectCheck& check = result.check;
  const double mean = *result.mean;
  if (check.max && mean > *check.max) {
    const auto [m, b] = format_pair(mean, *check.max);
    result.message = fmt::format("{} mean {} > max {}", check.metric, m, b);
    return result;
  }
  if (check.min && mean < *check.min) {
    const auto [m, b] = format_pair(mean, *check.min);
    result.message = fmt::format("{} mean {} < min {}", check.metric, m, b);
    return result;
  }
  result.passed = true;
  std::string within;
  if (check.min) {
    const auto [m, b] = format_pair(mean, *check.min);
    within = fmt::format("{} mean {} >= min {}", check.metric, m, b);
  }
  if (check.max) {
    const auto [m, b] = format_pair(mean, *check.max);
    within += within.empty() ? fmt::format("{} mean {} <= max {}", check.metric, m, b)
                             : fmt::format(", <= max {}", b);
  }
  result.message = within;
  return result;
}

// A check on the interval: both ends of [mean - ci95, mean + ci95] must lie within
// [min, max]. The message names the interval, then the end that decides.
CheckResult evaluate_interval(CheckResult result, std::optional<double> ci95, std::size_t n) {
  const ExpectCheck& check = result.check;
  const double mean = *result.mean;
  if (!ci95) {
    // SPEC §5: ci95 is null with fewer than 2 replications with data. The interval is
    // unknown, so it is not shown to lie within the bounds.
    result.message = fmt::format(
        "{} 95% CI is unknown (ci95 is null with {} replication{} with data; bound: ci needs "
        "at least 2), mean {:.6g}",
        check.metric, n, n == 1 ? "" : "s", mean);
    return result;
  }
  const double low = mean - *ci95;
  const double high = mean + *ci95;
  const std::string interval = fmt::format("{} 95% CI [{:.6g}, {:.6g}] (mean {:.6g} ± {:.6g})",
                                           check.metric, low, high, mean, *ci95);
  if (check.max && high > *check.max) {
    const auto [h, b] = format_pair(high, *check.max);
    result.message = fmt::format("{}: upper end {} > max {}", interval, h, b);
    return result;
  }
  if (check.min && low < *check.min) {
    const auto [l, b] = format_pair(low, *check.min);
    result.message = fmt::format("{}: lower end {} < min {}", interval, l, b);
    return result;
  }
  result.passed = true;
  std::string within;
  if (check.min) {
    const auto [l, b] = format_pair(low, *check.min);
    within = fmt::format("lower end {} >= min {}", l, b);
  }
  if (check.max) {
    const auto [h, b] = format_pair(high, *check.max);
    within += fmt::format("{}upper end {} <= max {}", within.empty() ? "" : ", ", h, b);
  }
  result.message = interval + ": " + within;
  return result;
}

CheckResult evaluate_one(const ExpectCheck& check, const MetricTable& metrics) {
  CheckResult result{check, false, std::nullopt, {}};
  if (!check.min && !check.max) {
    result.message = check.metric + ": the check has neither min nor max";
    return result;
  }
  if (!metrics.contains(check.metric)) {
    result.message = unknown_metric_message(check.metric, metrics);
    return result;
  }
  const Statistic statistic = metrics.statistic(check.metric);
  result.mean = statistic.mean;
  if (!result.mean) {
    result.message = check.metric + " has no data (mean is null)";
    return result;
  }
  if (check.bound == ExpectBound::ci) {
    return evaluate_interval(std::move(result), statistic.ci95, statistic.n);
  }
  return evaluate_mean(std::move(result));
}

}  // namespace

std::string_view to_string(ExpectBound bound) {
  return bound == ExpectBound::ci ? "ci" : "mean";
}

std::vector<CheckResult> evaluate(const std::vector<ExpectCheck>& checks,
                                  const MetricTable& metrics) {
  std::vector<CheckResult> results;
  results.reserve(checks.size());
  for (const ExpectCheck& check : checks) results.push_back(evaluate_one(check, metrics));
  return results;
}

}  // namespace telsim::analysis
