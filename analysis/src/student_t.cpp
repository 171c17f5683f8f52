// Student-t quantiles by safeguarded Newton iteration on an accurate upper-tail probability.
//
// Why not a published closed approximation (Hill 1970, Cornish-Fisher): none reaches 1e-9
// for small degrees of freedom. Why not std::lgamma: glibc's writes the global `signgam`,
// which races when replications summarise in threads; the one gamma ratio we need is
// computed here instead.

#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "telsim/analysis/statistic.hpp"

namespace telsim::analysis {
namespace {

// Stirling's series remainder for ln Gamma(z): ln Gamma(z) = (z - 1/2) ln z - z + ln(2 pi)/2 +
// S(z).
long double stirling_remainder(long double z) {
  const long double r = 1.0L / z;
  const long double r2 = r * r;
  return r * (1.0L / 12 +
              r2 * (-1.0L / 360 +
                    r2 * (1.0L / 1260 +
                          r2 * (-1.0L / 1680 + r2 * (1.0L / 1188 + r2 * (-691.0L / 360360 +
                                                                         r2 * (1.0L / 156)))))));
}

// ln Gamma(a + 1/2) - ln Gamma(a) for a > 0, without forming either (they are huge for large a).
long double log_gamma_half_ratio(long double a) {
  // Shift up until Stirling's series is accurate to ~1e-19, then undo the shift with
  // Gamma(z + 1) = z Gamma(z).
  long double correction = 0.0L;
  while (a < 20.0L) {
    correction -= std::log1p(0.5L / a);
    a += 1.0L;
  }
  return correction + a * std::log1p(0.5L / a) - 0.5L + 0.5L * std::log(a) +
         stirling_remainder(a + 0.5L) - stirling_remainder(a);
}

// Continued fraction of the regularised incomplete beta function (modified Lentz).
long double beta_continued_fraction(long double a, long double b, long double x) {
  constexpr long double tiny = 1e-4000L;
  constexpr long double epsilon = 4 * LDBL_EPSILON;
  constexpr int max_iterations = 1'000'000;
  const long double sum = a + b;
  long double c = 1.0L;
  long double d = 1.0L - sum * x / (a + 1.0L);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0L / d;
  long double h = d;
  for (int m = 1; m <= max_iterations; ++m) {
    const long double m2 = 2.0L * m;
    long double coefficient = m * (b - m) * x / ((a - 1.0L + m2) * (a + m2));
    d = 1.0L + coefficient * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0L + coefficient / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0L / d;
    h *= d * c;
    coefficient = -(a + m) * (sum + m) * x / ((a + m2) * (a + 1.0L + m2));
    d = 1.0L + coefficient * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0L + coefficient / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0L / d;
    const long double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0L) < epsilon) break;
  }
  return h;
}

// Everything about t with nu degrees of freedom that the iteration needs.
class StudentT {
 public:
  explicit StudentT(long double nu)
      : nu_(nu),
        a_(nu / 2),
        log_gamma_ratio_(log_gamma_half_ratio(nu / 2)),
        log_beta_(0.5L * std::log(std::numbers::pi_v<long double>) - log_gamma_ratio_) {}

  // P(T > t) for t >= 0, i.e. I_x(nu/2, 1/2) / 2 with x = nu / (nu + t^2). 1 - x is formed
  // directly so that small tails keep their relative precision.
  long double upper_tail(long double t) const {
    const long double t2 = t * t;
    const long double x = nu_ / (nu_ + t2);
    const long double one_minus_x = t2 / (nu_ + t2);
    if (one_minus_x == 0.0L) return 0.5L;
    const long double log_front = a_ * std::log(x) + 0.5L * std::log(one_minus_x) - log_beta_;
    const long double front = std::exp(log_front);
    long double incomplete;
    if (x < (a_ + 1.0L) / (a_ + 2.5L)) {
      incomplete = front * beta_continued_fraction(a_, 0.5L, x) / a_;
    } else {
      incomplete = 1.0L - front * beta_continued_fraction(0.5L, a_, one_minus_x) / 0.5L;
    }
    return 0.5L * incomplete;
  }

  long double density(long double t) const {
    return std::exp(log_gamma_ratio_ - 0.5L * std::log(nu_ * std::numbers::pi_v<long double>) -
                    (nu_ + 1.0L) / 2 * std::log1p(t * t / nu_));
  }

  // A starting point: the normal quantile (Abramowitz & Stegun 26.2.23, |error| < 4.5e-4)
  // corrected by the Cornish-Fisher expansion in 1/nu.
  long double initial_guess(long double tail) const {
    const long double w = std::sqrt(-2.0L * std::log(tail));
    const long double z = w - (2.515517L + w * (0.802853L + w * 0.010328L)) /
                                  (1.0L + w * (1.432788L + w * (0.189269L + w * 0.001308L)));
    const long double z2 = z * z;
    const long double g1 = (z2 + 1) * z / 4;
    const long double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    const long double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    const long double guess = z + (g1 + (g2 + g3 / nu_) / nu_) / nu_;
    return guess > 0 ? guess : 0.5L;
  }

 private:
  long double nu_;
  long double a_;
  long double log_gamma_ratio_;
  long double log_beta_;
};

// The t > 0 with P(T > t) = tail, for 0 < tail < 1/2.
long double upper_quantile(long double tail, int degrees_of_freedom) {
  const StudentT distribution(degrees_of_freedom);
  long double low = 0.0L;  // upper_tail(low) >= tail
  long double high = distribution.initial_guess(tail);
  while (distribution.upper_tail(high) > tail) {
    low = high;
    high *= 2;
  }
  // Newton's method inside the bracket [low, high]; a step that leaves it bisects instead.
  long double t = (low + high) / 2;
  const long double guess = distribution.initial_guess(tail);
  if (guess > low && guess < high) t = guess;
  for (int iteration = 0; iteration < 400; ++iteration) {
    const long double excess = distribution.upper_tail(t) - tail;
    if (excess == 0.0L) return t;
    if (excess > 0) {
      low = t;
    } else {
      high = t;
    }
    long double next = t + excess / distribution.density(t);
    if (!(next > low && next < high)) next = (low + high) / 2;
    const long double step = std::fabs(next - t);
    t = next;
    if (step <= 1e-16L * t || high - low <= 1e-16L * t) break;
  }
  return t;
}

}  // namespace

double student_t_quantile(double p, int degrees_of_freedom) {
  if (!(p > 0.0 && p < 1.0)) {
    throw std::invalid_argument("student_t_quantile: p must be in (0, 1), got " +
                                std::to_string(p));
  }
  if (degrees_of_freedom < 1) {
    throw std::invalid_argument("student_t_quantile: degrees_of_freedom must be at least 1, got " +
                                std::to_string(degrees_of_freedom));
  }
  if (p == 0.5) return 0.0;
  // By symmetry work with the smaller tail; 1 - p is exact for p >= 1/2 (Sterbenz).
  const bool upper = p > 0.5;
  const long double tail = upper ? 1.0L - p : p;
  long double t;
  if (degrees_of_freedom == 1) {
    t = 1.0L / std::tan(std::numbers::pi_v<long double> * tail);  // Cauchy
  } else if (degrees_of_freedom == 2) {
    t = (1.0L - 2.0L * tail) / std::sqrt(2.0L * tail * (1.0L - tail));
  } else {
    t = upper_quantile(tail, degrees_of_freedom);
  }
  return static_cast<double>(upper ? t : -t);
}

}  // namespace telsim::analysis
