#pragma once
// Small statistics for the sampler and random-stream tests. Seeds are fixed,
// so every check below is deterministic; the thresholds are set at about
// 1e-4 significance so that a correct sampler passes with a wide margin
// while a wrong one (a mean read as a rate, a lognormal built from the mean
// of the logarithm) misses by orders of magnitude.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace telsim::sim::test {

/// Sample moments with the standard errors needed to judge them.
struct Moments {
  double mean = 0.0;
  double variance = 0.0;     ///< unbiased sample variance
  double mean_se = 0.0;      ///< standard error of the mean
  double variance_se = 0.0;  ///< standard error of the sample variance, from m4
};

inline Moments moments(const std::vector<double>& xs) {
  const auto n = static_cast<double>(xs.size());
  Moments m;
  // Two passes: the sums of centred powers are exact enough for n ~ 1e5.
  double sum = 0.0;
  for (const double x : xs) sum += x;
  m.mean = sum / n;
  double m2 = 0.0;
  double m4 = 0.0;
  for (const double x : xs) {
    const double d = (x - m.mean) * (x - m.mean);
    m2 += d;
    m4 += d * d;
  }
  m.variance = m2 / (n - 1.0);
  m2 /= n;
  m4 /= n;
  m.mean_se = std::sqrt(m2 / n);
  // Var(s^2) ~ (mu4 - sigma^4) / n for large n.
  m.variance_se = std::sqrt(std::max(m4 - m2 * m2, 0.0) / n);
  return m;
}

/// Upper quantile of chi-square with `df` degrees of freedom at standard
/// normal score `z` (Wilson-Hilferty; within a few percent for df >= 1,
/// conservative enough for a threshold). z = 3.719 is the 1e-4 tail.
inline double chi_square_critical(double df, double z = 3.719) {
  const double c = 2.0 / (9.0 * df);
  const double cube = 1.0 - c + z * std::sqrt(c);
  return df * cube * cube * cube;
}

/// Pearson's statistic of observed counts against expected probabilities.
inline double chi_square(const std::vector<std::uint64_t>& observed,
                         const std::vector<double>& probs) {
  double total = 0.0;
  for (const auto o : observed) total += static_cast<double>(o);
  double stat = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double expected = total * probs[i];
    const double d = static_cast<double>(observed[i]) - expected;
    stat += d * d / expected;
  }
  return stat;
}

/// Kolmogorov-Smirnov distance between the sample and a continuous CDF.
inline double ks_distance(std::vector<double> xs, const std::function<double(double)>& cdf) {
  std::sort(xs.begin(), xs.end());
  const auto n = static_cast<double>(xs.size());
  double d = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max(d, std::max(static_cast<double>(i + 1) / n - f, f - static_cast<double>(i) / n));
  }
  return d;
}

/// KS critical distance at significance `alpha` (asymptotic, large n).
inline double ks_critical(std::size_t n, double alpha = 1e-4) {
  return std::sqrt(-0.5 * std::log(alpha / 2.0)) / std::sqrt(static_cast<double>(n));
}

}  // namespace telsim::sim::test
