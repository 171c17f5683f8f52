#include "telsim/analysis/equivalent_random.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace telsim::analysis {
namespace {

void check_load(double load, const char* what) {
  if (!std::isfinite(load) || load < 0.0) {
    throw std::invalid_argument(
        fmt::format("{} must be finite and at least 0, not {}", what, load));
  }
}

/// 1 / B(f, A) for 0 <= f < 1 and A > 0: A * integral_0^inf exp(-A t) (1 + t)^f dt
/// = e^A A^-f Gamma(f + 1, A), by the series of the lower incomplete gamma function below
/// A = f + 2 and by its continued fraction (modified Lentz) above.
double inverse_erlang_b_fraction(double f, double a) {
  const double s = f + 1.0;
  constexpr double eps = 1e-15;
  if (a < s + 1.0) {
    // Gamma(s, A) = Gamma(s) - gamma(s, A), gamma(s, A) = e^-A A^s sum_n A^n / (s..(s+n)).
    double term = 1.0 / s, sum = term;
    for (int n = 1; n < 1000 && std::abs(term) > eps * std::abs(sum); ++n) {
      term *= a / (s + n);
      sum += term;
    }
    return std::exp(a) * std::pow(a, -f) * std::tgamma(s) - a * sum;
  }
  // Gamma(s, A) = e^-A A^s h, h the continued fraction 1/(A+1-s- 1(1-s)/(A+3-s- ...)).
  constexpr double tiny = 1e-300;
  double b = a + 1.0 - s, c = 1.0 / tiny, d = 1.0 / b, h = d;
  for (int i = 1; i < 1000; ++i) {
    const double an = -i * (i - s);
    b += 2.0;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1.0) < eps) break;
  }
  return a * h;
}

struct M2 {
  double a = 0, b = 0, c = 0, d = 0;  // [[a, b], [c, d]]
};
M2 inverse(const M2& m) {
  const double det = m.a * m.d - m.b * m.c;
  return {m.d / det, -m.b / det, -m.c / det, m.a / det};
}

}  // namespace

double erlang_b_continued(double circuits, double load_erlangs) {
  if (!std::isfinite(circuits) || circuits < 0.0) {
    throw std::invalid_argument(
        fmt::format("circuits must be finite and at least 0, not {}", circuits));
  }
  check_load(load_erlangs, "the load");
  if (load_erlangs == 0.0) return circuits > 0.0 ? 0.0 : 1.0;
  // The recursion takes one step a circuit: an equivalent random group this large comes
  // only from absurd overloads, and would take minutes (and never end beyond 2^53).
  constexpr double max_circuits = 1e7;
  if (circuits > max_circuits) {
    throw std::domain_error(fmt::format(
        "an equivalent random group of {:.4g} circuits (load {:.4g} Erlang): the traffic is "
        "far beyond what the model can take",
        circuits, load_erlangs));
  }
  const double whole = std::floor(circuits);
  const double f = circuits - whole;
  long double b = f == 0.0 ? 1.0L : 1.0L / inverse_erlang_b_fraction(f, load_erlangs);
  const long double a = load_erlangs;
  for (double k = f + 1.0; k <= circuits + 0.5; k += 1.0) b = a * b / (k + a * b);
  return static_cast<double>(b);
}

PeakedTraffic overflow_moments(double circuits, double load_erlangs) {
  if (load_erlangs == 0.0) return {0.0, 0.0};
  const double m = load_erlangs * erlang_b_continued(circuits, load_erlangs);
  const double v = m * (1.0 - m + load_erlangs / (circuits + 1.0 - load_erlangs + m));
  return {m, std::max(v, m * 1e-12)};
}

EquivalentRandomGroup rapp_equivalent(double mean, double variance) {
  check_load(mean, "the mean");
  check_load(variance, "the variance");
  if (mean == 0.0 || variance <= mean) return {mean, 0.0};
  const double z = variance / mean;
  const double a = variance + 3.0 * z * (z - 1.0);
  const double n = a * (mean + z) / (mean + z - 1.0) - mean - 1.0;
  return {a, std::max(n, 0.0)};
}

double ert_blocking(double mean, double variance, double circuits) {
  if (mean <= 0.0) return erlang_b_continued(circuits, 0.0);
  if (variance <= mean) return erlang_b_continued(circuits, mean);
  const EquivalentRandomGroup g = rapp_equivalent(mean, variance);
  const double front = erlang_b_continued(g.circuits, g.load);
  return front > 0.0 ? erlang_b_continued(g.circuits + circuits, g.load) / front : 0.0;
}

PeakedTraffic ert_overflow(double mean, double variance, double circuits) {
  if (mean <= 0.0) return {0.0, 0.0};
  if (variance <= mean) return overflow_moments(circuits, mean);
  const EquivalentRandomGroup g = rapp_equivalent(mean, variance);
  return overflow_moments(g.circuits + circuits, g.load);
}

double InterruptedPoisson::mean() const {
  const double s = on_to_off + off_to_on;
  return s > 0.0 ? rate * off_to_on / s : 0.0;
}

double InterruptedPoisson::peakedness() const {
  const double s = on_to_off + off_to_on;
  return s > 0.0 ? 1.0 + rate * on_to_off / (s * (1.0 + s)) : 1.0;
}

MixedBlocking mixed_blocking(std::int64_t circuits, std::int64_t reserve, double poisson_load,
                             const InterruptedPoisson& peaked) {
  if (circuits < 0 || reserve < 0 || reserve > circuits) {
    throw std::invalid_argument(fmt::format(
        "circuits {} and reserve {}: need 0 <= reserve <= circuits", circuits, reserve));
  }
  check_load(poisson_load, "the Poisson load");
  check_load(peaked.rate, "the peaked stream's rate");
  if (circuits == 0) return {1.0, 1.0, 0.0};
  // Two-phase birth-death chain: level n busy circuits, phase 0 = on, 1 = off; D(n) = n I
  // (down), U(n) = diag of the up rates, L(n) the level's own block. Block elimination
  // from both ends towards a level m near the mode, each direction where it is stable (it
  // runs where the weights grow, so nothing cancels): below m, pi_n = pi_{n+1} Q_n with
  // Q_n = -(n+1) T_n^-1, T_0 = L(0), T_n = L(n) + Q_{n-1} U(n-1); above m,
  // pi_{n+1} = pi_n R_n with R_n = -U(n) S_{n+1}^-1, S_C = L(C), S_n = L(n) + (n+1) R_n;
  // pi_m (T_m + S_m - L(m)) = 0. The weights fall away from m: no rescaling needed.
  const std::int64_t peaked_limit = circuits - reserve;  // the IPP is admitted below this
  // The highest level the chain reaches: levels above are never occupied.
  const std::int64_t c = poisson_load > 0.0 ? circuits : (peaked.rate > 0.0 ? peaked_limit : 0);
  const double w = peaked.on_to_off, g = peaked.off_to_on;
  auto up_on = [&](std::int64_t n) {
    return n < c ? poisson_load + (n < peaked_limit ? peaked.rate : 0.0) : 0.0;
  };
  auto up_off = [&](std::int64_t n) { return n < c ? poisson_load : 0.0; };
  auto local = [&](std::int64_t n) {
    const double dn = static_cast<double>(n);
    return M2{-(w + up_on(n) + dn), w, g, -(g + up_off(n) + dn)};
  };
  const double on_share = w + g > 0.0 ? g / (w + g) : 1.0;
  const auto m = std::clamp<std::int64_t>(
      static_cast<std::int64_t>(poisson_load + peaked.rate * on_share), 0, c);
  std::vector<M2> q(static_cast<std::size_t>(m)), r(static_cast<std::size_t>(c - m));
  M2 t = local(0);
  for (std::int64_t n = 0; n < m; ++n) {
    const M2 ti = inverse(t);
    const double k = static_cast<double>(n + 1);
    const M2 qn{-k * ti.a, -k * ti.b, -k * ti.c, -k * ti.d};
    q[static_cast<std::size_t>(n)] = qn;
    const M2 l = local(n + 1);
    const double uo = up_on(n), uf = up_off(n);  // Q_n U(n): columns scaled
    t = {l.a + qn.a * uo, l.b + qn.b * uf, l.c + qn.c * uo, l.d + qn.d * uf};
  }
  M2 s = local(c);
  for (std::int64_t n = c - 1; n >= m; --n) {
    const M2 si = inverse(s);
    const double uo = up_on(n), uf = up_off(n);
    const M2 rn{-uo * si.a, -uo * si.b, -uf * si.c, -uf * si.d};
    r[static_cast<std::size_t>(n - m)] = rn;
    const M2 l = local(n);
    const double k = static_cast<double>(n + 1);
    s = {l.a + k * rn.a, l.b + k * rn.b, l.c + k * rn.c, l.d + k * rn.d};
  }
  const M2 lm = local(m);
  const M2 joint{t.a + s.a - lm.a, t.b + s.b - lm.b, t.c + s.c - lm.c, t.d + s.d - lm.d};
  std::array<double, 2> mode{joint.c, -joint.a};  // left null vector of the joint block
  if (!(mode[0] >= 0.0 && mode[1] >= 0.0 && mode[0] + mode[1] > 0.0)) mode = {-joint.d, joint.b};
  if (!(mode[0] >= 0.0 && mode[1] >= 0.0 && mode[0] + mode[1] > 0.0)) mode = {0.0, 1.0};
  std::vector<std::array<double, 2>> pi(static_cast<std::size_t>(c) + 1);
  pi[static_cast<std::size_t>(m)] = mode;
  for (std::int64_t n = m - 1; n >= 0; --n) {
    const auto& x = pi[static_cast<std::size_t>(n) + 1];
    const M2& qn = q[static_cast<std::size_t>(n)];
    pi[static_cast<std::size_t>(n)] = {std::max(0.0, x[0] * qn.a + x[1] * qn.c),
                                       std::max(0.0, x[0] * qn.b + x[1] * qn.d)};
  }
  for (std::int64_t n = m; n < c; ++n) {
    const auto& x = pi[static_cast<std::size_t>(n)];
    const M2& rn = r[static_cast<std::size_t>(n - m)];
    pi[static_cast<std::size_t>(n) + 1] = {std::max(0.0, x[0] * rn.a + x[1] * rn.c),
                                           std::max(0.0, x[0] * rn.b + x[1] * rn.d)};
  }
  double total = 0.0, on = 0.0, on_refused = 0.0, busy = 0.0;
  for (std::int64_t n = 0; n <= c; ++n) {
    const auto& x = pi[static_cast<std::size_t>(n)];
    total += x[0] + x[1];
    on += x[0];
    if (n >= peaked_limit) on_refused += x[0];
    busy += static_cast<double>(n) * (x[0] + x[1]);
  }
  const auto& full = pi[static_cast<std::size_t>(c)];
  MixedBlocking out;
  out.poisson = c == circuits ? (full[0] + full[1]) / total : 0.0;
  out.peaked = on > 0.0 ? on_refused / on : (peaked_limit == 0 ? 1.0 : 0.0);
  out.mean_busy = busy / total;
  return out;
}

namespace {

InterruptedPoisson ipp_with_on_probability(double mean, double peakedness, double p) {
  // Mean M and peakedness Z fix the switching speed s = on_to_off + off_to_on for a given
  // on-probability p: Z - 1 = M (1 - p) / (p (1 + s)).
  const double s = mean * (1.0 - p) / (p * (peakedness - 1.0)) - 1.0;
  return {mean / p, (1.0 - p) * s, p * s};
}

}  // namespace

InterruptedPoisson fit_interrupted_poisson(double mean, double peakedness, std::int64_t circuits,
                                           double target, double poisson_load) {
  if (!(mean > 0.0) || !(peakedness > 1.0)) {
    throw std::invalid_argument(fmt::format(
        "an IPP needs a positive mean and a peakedness above 1, not {} and {}", mean, peakedness));
  }
  const double p_max = mean / (mean + peakedness - 1.0);  // s = 0: switching stops
  auto blocking = [&](double u) {
    const MixedBlocking m = mixed_blocking(circuits, 0, poisson_load,
                                           ipp_with_on_probability(mean, peakedness, u * p_max));
    return (poisson_load * m.poisson + mean * m.peaked) / (poisson_load + mean);
  };
  // u in (0, 1): from very short bursts (u -> 0) to very slow switching (u -> 1).
  double lo = 1e-6, hi = 1.0 - 1e-6;
  const double b_lo = blocking(lo), b_hi = blocking(hi);
  if (circuits == 0 || !(std::min(b_lo, b_hi) < target && target < std::max(b_lo, b_hi))) {
    const double u = std::abs(b_lo - target) < std::abs(b_hi - target) ? lo : hi;
    return ipp_with_on_probability(mean, peakedness, u * p_max);
  }
  const bool rising = b_hi > b_lo;
  for (int i = 0; i < 60; ++i) {
    const double mid = std::sqrt(lo * hi);  // geometric: u spans six decades
    if ((blocking(mid) < target) == rising) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return ipp_with_on_probability(mean, peakedness, std::sqrt(lo * hi) * p_max);
}

InterruptedPoisson ert_interrupted_poisson(double mean, double variance, std::int64_t circuits,
                                           double poisson_load) {
  check_load(poisson_load, "the Poisson load");
  const double total = mean + poisson_load;
  return fit_interrupted_poisson(
      mean, variance / mean, circuits,
      ert_blocking(total, variance + poisson_load, static_cast<double>(circuits)), poisson_load);
}

}  // namespace telsim::analysis
