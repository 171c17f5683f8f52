#include "telsim/analysis/paired.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace telsim::analysis {
namespace {

bool usable(const std::optional<double>& v) {
  return v.has_value() && std::isfinite(*v);
}

struct Moments {
  std::size_t n = 0;
  double mean = 0;
  double variance = 0;  // sample variance (n - 1), 0 when n < 2
};

Moments moments_of(std::span<const std::optional<double>> xs) {
  Moments m;
  double sum = 0;
  for (const auto& x : xs) {
    if (!usable(x)) continue;
    ++m.n;
    sum += *x;
  }
  if (m.n == 0) return m;
  m.mean = sum / static_cast<double>(m.n);
  if (m.n < 2) return m;
  double squares = 0;  // second pass about the mean: no cancellation
  for (const auto& x : xs) {
    if (!usable(x)) continue;
    squares += (*x - m.mean) * (*x - m.mean);
  }
  m.variance = squares / static_cast<double>(m.n - 1);
  return m;
}

}  // namespace

Statistic paired_difference(std::span<const std::optional<double>> alternative,
                            std::span<const std::optional<double>> baseline) {
  const std::size_t size = std::max(alternative.size(), baseline.size());
  std::vector<std::optional<double>> d(size);
  for (std::size_t r = 0; r < size; ++r) {
    if (r < alternative.size() && r < baseline.size() && usable(alternative[r]) &&
        usable(baseline[r])) {
      d[r] = *alternative[r] - *baseline[r];
    }
  }
  return summarize(d);
}

WelchDifference welch_difference(std::span<const std::optional<double>> a,
                                 std::span<const std::optional<double>> b) {
  WelchDifference w;
  const Moments ma = moments_of(a);
  const Moments mb = moments_of(b);
  if (ma.n == 0 || mb.n == 0) return w;
  w.mean = ma.mean - mb.mean;
  if (ma.n < 2 || mb.n < 2) return w;
  const double va = ma.variance / static_cast<double>(ma.n);
  const double vb = mb.variance / static_cast<double>(mb.n);
  const double se2 = va + vb;
  if (se2 <= 0) {
    w.ci95 = 0.0;
    w.degrees_of_freedom = static_cast<double>(ma.n + mb.n - 2);
    return w;
  }
  const double df =
      se2 * se2 /
      (va * va / static_cast<double>(ma.n - 1) + vb * vb / static_cast<double>(mb.n - 1));
  w.degrees_of_freedom = df;
  const int whole_df = std::max(1, static_cast<int>(std::floor(df)));
  w.ci95 = student_t_quantile(0.975, whole_df) * std::sqrt(se2);
  return w;
}

std::optional<double> combined_half_width(const Statistic& a, const Statistic& b) {
  if (!a.ci95 || !b.ci95) return std::nullopt;
  return std::hypot(*a.ci95, *b.ci95);
}

bool excludes_zero(const Statistic& difference) {
  return difference.mean && difference.ci95 && std::abs(*difference.mean) > *difference.ci95;
}

}  // namespace telsim::analysis
