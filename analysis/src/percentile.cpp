#include "telsim/analysis/percentile.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace telsim::analysis {

double percentile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) throw std::invalid_argument("percentile_sorted: the sample is empty");
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument("percentile_sorted: p must be in [0, 1], got " + std::to_string(p));
  }
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  const double fraction = h - static_cast<double>(below);
  // Written as a + f (b - a) like numpy, and exact when a == b.
  return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

LatencySummary summarize_latencies(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  long double sum = 0.0L;
  for (double value : values) sum += value;
  LatencySummary summary;
  summary.mean = static_cast<double>(sum / static_cast<long double>(values.size()));
  summary.p50 = percentile_sorted(values, 0.50);
  summary.p90 = percentile_sorted(values, 0.90);
  summary.p95 = percentile_sorted(values, 0.95);
  summary.p99 = percentile_sorted(values, 0.99);
  return summary;
}

}  // namespace telsim::analysis
