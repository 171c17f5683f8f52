#include "telsim/analysis/expect.hpp"

#include <algorithm>
#include <limits>

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
  result.mean = metrics.statistic(check.metric).mean;
  if (!result.mean) {
    result.message = check.metric + " has no data (mean is null)";
    return result;
  }
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

}  // namespace

std::vector<CheckResult> evaluate(const std::vector<ExpectCheck>& checks,
                                  const MetricTable& metrics) {
  std::vector<CheckResult> results;
  results.reserve(checks.size());
  for (const ExpectCheck& check : checks) results.push_back(evaluate_one(check, metrics));
  return results;
}

}  // namespace telsim::analysis
