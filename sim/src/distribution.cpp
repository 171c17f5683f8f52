#include "telsim/sim/distribution.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace telsim::sim {
namespace {

void require(bool ok, const char* what) {
  if (!ok) throw std::invalid_argument(what);
}

bool finite_nonnegative(double x) {
  return std::isfinite(x) && x >= 0.0;
}

std::vector<double> checked_cumulative(const std::vector<double>& probs) {
  require(!probs.empty(), "'probs' must not be empty");
  double total = 0.0;
  for (const double p : probs) {
    require(std::isfinite(p) && p >= 0.0, "'probs' must be probabilities in [0, 1]");
    total += p;
  }
  require(std::fabs(total - 1.0) <= 1e-9, "'probs' must sum to 1");
  std::vector<double> cumulative(probs.size());
  double running = 0.0;
  for (std::size_t i = 0; i < probs.size(); ++i) {
    running += probs[i];
    cumulative[i] = running / total;
  }
  cumulative.back() = 1.0;  // so that a draw just below 1 always finds a bucket
  return cumulative;
}

std::size_t pick(const std::vector<double>& cumulative, double u) {
  std::size_t i = 0;
  while (i + 1 < cumulative.size() && u >= cumulative[i]) ++i;
  return i;
}

}  // namespace

Distribution Distribution::deterministic(double value) {
  require(finite_nonnegative(value), "'value' must be a finite number >= 0");
  Distribution d;
  d.kind_ = Kind::deterministic;
  d.a_ = value;
  return d;
}

Distribution Distribution::exponential(double mean) {
  require(std::isfinite(mean) && mean > 0.0, "'mean' must be a finite number > 0");
  Distribution d;
  d.kind_ = Kind::exponential;
  d.a_ = mean;
  return d;
}

Distribution Distribution::uniform(double min, double max) {
  require(finite_nonnegative(min), "'min' must be a finite number >= 0");
  require(std::isfinite(max) && max >= min, "'max' must be a finite number >= 'min'");
  Distribution d;
  d.kind_ = Kind::uniform;
  d.a_ = min;
  d.b_ = max;
  return d;
}

Distribution Distribution::erlang(int k, double mean) {
  require(k >= 1 && k <= 1000, "'k' must be an integer from 1 to 1000");
  require(std::isfinite(mean) && mean > 0.0, "'mean' must be a finite number > 0");
  Distribution d;
  d.kind_ = Kind::erlang;
  d.k_ = k;
  d.a_ = mean;
  return d;
}

Distribution Distribution::lognormal(double mean, double sd) {
  require(std::isfinite(mean) && mean > 0.0, "'mean' must be a finite number > 0");
  require(finite_nonnegative(sd), "'sd' must be a finite number >= 0");
  Distribution d;
  d.kind_ = Kind::lognormal;
  d.a_ = mean;
  d.b_ = sd;
  // Moments of the variable -> parameters of its logarithm.
  const double s2 = std::log1p((sd / mean) * (sd / mean));
  d.sigma_ = std::sqrt(s2);
  d.mu_ = std::log(mean) - 0.5 * s2;
  return d;
}

Distribution Distribution::hyperexponential(std::vector<double> means, std::vector<double> probs) {
  require(means.size() == probs.size(), "'means' and 'probs' must have the same length");
  for (const double m : means) {
    require(std::isfinite(m) && m > 0.0, "'means' must be finite numbers > 0");
  }
  Distribution d;
  d.kind_ = Kind::hyperexponential;
  d.cumulative_ = checked_cumulative(probs);
  d.points_ = std::move(means);
  d.probs_ = std::move(probs);
  return d;
}

Distribution Distribution::empirical(std::vector<double> values, std::vector<double> probs) {
  require(values.size() == probs.size(), "'values' and 'probs' must have the same length");
  for (const double v : values)
    require(finite_nonnegative(v), "'values' must be finite numbers >= 0");
  Distribution d;
  d.kind_ = Kind::empirical;
  d.cumulative_ = checked_cumulative(probs);
  d.points_ = std::move(values);
  d.probs_ = std::move(probs);
  return d;
}

double Distribution::sample_other(RandomStream& rng) const {
  switch (kind_) {
    case Kind::deterministic:
      return a_;
    case Kind::exponential:
      return -a_ * std::log(rng.uniform_open0());
    case Kind::uniform:
      return a_ + (b_ - a_) * rng.uniform01();
    case Kind::erlang: {
      // Sum of logs rather than log of a product: a product of many
      // uniforms underflows.
      double sum = 0.0;
      for (int i = 0; i < k_; ++i) sum -= std::log(rng.uniform_open0());
      return a_ / k_ * sum;
    }
    case Kind::lognormal: {
      if (sigma_ == 0.0) return a_;
      const double u = rng.uniform_open0();
      // uniform_open0 can return exactly 1, whose quantile is +inf: use the
      // largest double below 1 instead (1 - 2^-54 would round back to 1).
      const double z = normal_quantile(u < 1.0 ? u : std::nextafter(1.0, 0.0));
      return std::exp(mu_ + sigma_ * z);
    }
    case Kind::hyperexponential: {
      const std::size_t phase = pick(cumulative_, rng.uniform01());
      return -points_[phase] * std::log(rng.uniform_open0());
    }
    case Kind::empirical:
      return points_[pick(cumulative_, rng.uniform01())];
  }
  return a_;
}

double Distribution::mean() const {
  switch (kind_) {
    case Kind::deterministic:
    case Kind::exponential:
    case Kind::erlang:
    case Kind::lognormal:
      return a_;
    case Kind::uniform:
      return 0.5 * (a_ + b_);
    case Kind::hyperexponential:
    case Kind::empirical:
      return std::inner_product(points_.begin(), points_.end(), probs_.begin(), 0.0);
  }
  return a_;
}

double Distribution::variance() const {
  switch (kind_) {
    case Kind::deterministic:
      return 0.0;
    case Kind::exponential:
      return a_ * a_;
    case Kind::uniform:
      return (b_ - a_) * (b_ - a_) / 12.0;
    case Kind::erlang:
      return a_ * a_ / k_;
    case Kind::lognormal:
      return b_ * b_;
    case Kind::hyperexponential: {
      double second = 0.0;
      for (std::size_t i = 0; i < points_.size(); ++i)
        second += probs_[i] * 2.0 * points_[i] * points_[i];
      const double m = mean();
      return second - m * m;
    }
    case Kind::empirical: {
      const double m = mean();
      double v = 0.0;
      for (std::size_t i = 0; i < points_.size(); ++i)
        v += probs_[i] * (points_[i] - m) * (points_[i] - m);
      return v;
    }
  }
  return 0.0;
}

const char* Distribution::kind_name(Kind k) {
  switch (k) {
    case Kind::deterministic:
      return "deterministic";
    case Kind::exponential:
      return "exponential";
    case Kind::uniform:
      return "uniform";
    case Kind::erlang:
      return "erlang";
    case Kind::lognormal:
      return "lognormal";
    case Kind::hyperexponential:
      return "hyperexponential";
    case Kind::empirical:
      return "empirical";
  }
  return "?";
}

double normal_quantile(double p) {
  // Wichura (1988), Algorithm AS 241, PPND16.
  if (!(p > 0.0 && p < 1.0)) {
    if (p == 0.0) return -std::numeric_limits<double>::infinity();
    if (p == 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    return q *
           (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) *
                    r +
                45921.953931549871457) *
                   r +
               13731.693765509461125) *
                  r +
              1971.5909503065514427) *
                 r +
             133.14166789178437745) *
                r +
            3.387132872796366608) /
           (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) *
                    r +
                21213.794301586595867) *
                   r +
               5394.1960214247511077) *
                  r +
              687.1870074920579083) *
                 r +
             42.313330701600911252) *
                r +
            1.0);
  }
  double r = q < 0.0 ? p : 1.0 - p;
  r = std::sqrt(-std::log(r));
  double value;
  if (r <= 5.0) {
    r -= 1.6;
    value = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r +
                  0.24178072517745061177) *
                     r +
                 1.27045825245236838258) *
                    r +
                3.64784832476320460504) *
                   r +
               5.7694972214606914055) *
                  r +
              4.6303378461565452959) *
                 r +
             1.42343711074968357734) /
            (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r +
                  0.0151986665636164571966) *
                     r +
                 0.14810397642748007459) *
                    r +
                0.68976733498510000455) *
                   r +
               1.6763848301838038494) *
                  r +
              2.05319162663775882187) *
                 r +
             1.0);
  } else {
    r -= 5.0;
    value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r +
                  0.0012426609473880784386) *
                     r +
                 0.026532189526576123093) *
                    r +
                0.29656057182850489123) *
                   r +
               1.7848265399172913358) *
                  r +
              5.4637849111641143699) *
                 r +
             6.6579046435011037772) /
            (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r +
                  1.8463183175100546818e-5) *
                     r +
                 7.868691311456132591e-4) *
                    r +
                0.0148753612908506148525) *
                   r +
               0.13692988092273580531) *
                  r +
              0.59983220655588793769) *
                 r +
             1.0);
  }
  return q < 0.0 ? -value : value;
}

}  // namespace telsim::sim
