// The retrial queue solved level by level (orbit size = level). Arrivals join the orbit only
// from the all-busy state, so the rate matrices of the level-dependent QBD have rank one and
// each level reduces to a birth-death chain with one extra row and column, eliminated in O(w)
// by GTH state reduction (Grassmann, Taksar and Heyman 1985): no subtraction anywhere, so tiny
// probabilities keep their relative accuracy.

#include "telsim/analysis/retrial.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

using Real = long double;

constexpr std::int64_t first_orbit_limit = 32;
// The orbit truncation is accepted once the estimated mass and orbit beyond K are this small
// relative to P(orbit > 0) and E[orbit]: below double's resolution of every figure, so the
// answer does not jump when K doubles.
constexpr Real orbit_tail_tolerance = 1e-14L;
// Busy counts whose probability in the loss system is this far below its mode (in nats) are
// left out of the window; e^-92 ~ 1e-40.
constexpr Real window_tail_nats = 92.0L;
// The window is widened if the solution puts more than this at its lower edge.
constexpr Real window_edge_tolerance = 1e-30L;
// Total work (levels x window states) refused beyond this: tens of seconds.
constexpr std::int64_t max_work = 4'000'000'000;
// Orbit sizes refused beyond this (48 bytes each).
constexpr std::int64_t max_levels = std::int64_t{1} << 22;

void require_positive(const char* argument, double value) {
  if (!(std::isfinite(value) && value > 0.0)) {
    throw std::invalid_argument(
        fmt::format("retrial_queue: {} must be a finite number > 0, got {}", argument, value));
  }
}

// A sum of exponentials kept as a logarithm, so that terms far outside long double's range
// (P(all busy) ~ 1e-6000 on a lightly loaded big group) still add up.
class LogSum {
 public:
  void add(Real log_term) {
    if (log_term == -std::numeric_limits<Real>::infinity()) return;
    if (log_term > top_) {
      sum_ = sum_ * std::exp(top_ - log_term) + 1.0L;
      top_ = log_term;
    } else {
      sum_ += std::exp(log_term - top_);
    }
  }
  Real log() const { return top_ + std::log(sum_); }

 private:
  Real top_ = -std::numeric_limits<Real>::infinity();
  Real sum_ = 0;
};

// The lowest busy count kept: the loss system's busy count (Poisson(A) truncated at c) is
// stochastically smaller than the retrial queue's, whose orbit only adds attempts, so counts
// e^-92 below its mode are negligible here too (and checked afterwards).
std::int64_t window_bottom(std::int64_t c, Real load, Real nats) {
  const std::int64_t mode = std::min<std::int64_t>(c, static_cast<std::int64_t>(load));
  const auto log_pmf = [&](std::int64_t k) {
    return static_cast<Real>(k) * std::log(load) - std::lgamma(static_cast<Real>(k) + 1.0L);
  };
  const Real top = log_pmf(mode);
  std::int64_t k = mode;
  while (k > 0 && top - log_pmf(k - 1) < nats) --k;
  return k;
}

// One level's chain on busy counts bottom..c (index i = k - bottom, last index w = all busy):
// births at lambda, deaths at k mu (none below the window), leaving the level downwards at
// `kill` from every state below w (a retrial that succeeds), and from w an excursion upwards
// at `up` that comes back to state i with probability back[i].
struct LevelChain {
  Real lambda, mu, kill, up;
  std::int64_t bottom;
};

// The stationary distribution, up to a factor, of that chain with every downward exit
// restarting at w: proportional to the expected time spent in each state per visit to the
// level started at w. F is double where every probability of interest fits its range (twice
// as fast), long double where P(all busy) may be as small as 1e-4000.
template <typename F>
class LevelSolver {
 public:
  explicit LevelSolver(std::size_t w) : pi_(w + 1), out_time_(w), from_top_(w), back_(w + 1) {}

  void solve(const LevelChain& chain) {
    const std::size_t w = pi_.size() - 1;
    const F lambda = static_cast<F>(chain.lambda), kill = static_cast<F>(chain.kill);
    const F mu = static_cast<F>(chain.mu), up = static_cast<F>(chain.up);
    const auto death = [&](std::size_t i) {
      return static_cast<F>(chain.bottom + static_cast<std::int64_t>(i)) * mu;
    };
    // Rates from w into i, and from i into w (the restart plus what eliminated states passed
    // on): GTH elimination of 0, 1, ..., w - 1 keeps that shape.
    F to_top = kill;
    for (std::size_t i = 0; i < w; ++i) from_top_[i] = up * back_[i];
    from_top_[w - 1] += death(w);
    for (std::size_t i = 0; i < w; ++i) {
      // State i leaves to i + 1 at lambda and to w at to_top; its death (into the eliminated
      // i - 1) has already been folded into to_top.
      const F mean_stay = 1 / (lambda + to_top);
      out_time_[i] = mean_stay;
      if (i + 1 < w) {
        from_top_[i + 1] += from_top_[i] * lambda * mean_stay;
        to_top = kill + death(i + 1) * to_top * mean_stay;
      }
    }
    pi_[w] = 1;
    pi_[w - 1] = from_top_[w - 1] * out_time_[w - 1];
    for (std::size_t i = w - 1; i-- > 0;) {
      pi_[i] = (pi_[i + 1] * death(i + 1) + pi_[w] * from_top_[i]) * out_time_[i];
      if (pi_[i] > rescale_above) {
        for (std::size_t j = i; j <= w; ++j) pi_[j] /= rescale_above;
      }
    }
  }

  // Sums of the solution: below w, in all, weighted by the busy count.
  struct Sums {
    Real below_top = 0, all = 0, busy = 0;
  };
  Sums sums(std::int64_t bottom) const {
    const std::size_t w = pi_.size() - 1;
    F below = 0, busy = 0;
    for (std::size_t i = 0; i < w; ++i) {
      below += pi_[i];
      busy += pi_[i] * static_cast<F>(i);
    }
    const Real all = static_cast<Real>(below) + static_cast<Real>(pi_[w]);
    return {static_cast<Real>(below), all,
            static_cast<Real>(busy) + static_cast<Real>(pi_[w]) * static_cast<Real>(w) +
                all * static_cast<Real>(bottom)};
  }
  Real top() const { return static_cast<Real>(pi_.back()); }
  Real bottom_state() const { return static_cast<Real>(pi_.front()); }

  // The level below is entered at (i + 1) from (i) at the kill rate: its return distribution.
  void pass_down(Real below_top) {
    const std::size_t w = pi_.size() - 1;
    const F scale = static_cast<F>(1.0L / below_top);
    back_[0] = 0;
    for (std::size_t i = 0; i < w; ++i) back_[i + 1] = pi_[i] * scale;
  }

 private:
  static constexpr F rescale_above = std::numeric_limits<F>::max_exponent10 > 1000
                                         ? static_cast<F>(1e2000L)
                                         : static_cast<F>(1e250);
  std::vector<F> pi_, out_time_, from_top_, back_;
};

// Logs of the unnormalised sums over the levels of the truncated chain.
struct LevelFigures {
  Real log_total = 0;      // sum of P(level)
  Real log_all_busy = 0;   // sum of P(level, all busy)
  Real log_orbit = 0;      // sum of level x P(level)
  Real log_bottom = 0;     // sum of P(level, bottom of the window)
  Real log_busy = 0;       // sum of E[busy; level]
  Real log_in_orbit = 0;   // sum of P(level) over levels >= 1
  Real log_top_level = 0;  // P(orbit_limit)
  Real log_half = 0;       // P(orbit_limit / 2)
};

// Levels 0..orbit_limit of the chain truncated at orbit_limit (first attempts blocked at the
// top level are lost), on the busy-count window [bottom, c].
template <typename F>
LevelFigures solve_levels(std::int64_t c, Real lambda, Real mu, Real theta,
                          std::int64_t orbit_limit, std::int64_t bottom) {
  const std::size_t w = static_cast<std::size_t>(c - bottom);
  const std::size_t levels = static_cast<std::size_t>(orbit_limit) + 1;
  LevelSolver<F> solver(w);
  // Per level L >= 1, from the top down, the logs of the expected times per entry (at all
  // busy, from level L - 1): at all busy, in the level, at the window's bottom, and weighted by
  // the busy count.
  std::vector<Real> log_r_top(levels), log_r_sum(levels), log_r_bottom(levels), log_r_busy(levels);
  for (std::int64_t level = orbit_limit; level >= 1; --level) {
    const LevelChain chain{lambda, mu, static_cast<Real>(level) * theta,
                           level < orbit_limit ? lambda : 0.0L, bottom};
    solver.solve(chain);
    const auto sums = solver.sums(bottom);
    // One downward exit per entry: dividing by the exit rate gives expected times.
    const Real log_exits = std::log(sums.below_top * chain.kill);
    const auto l = static_cast<std::size_t>(level);
    log_r_top[l] = std::log(solver.top()) - log_exits;
    log_r_sum[l] = std::log(sums.all) - log_exits;
    log_r_bottom[l] = std::log(solver.bottom_state()) - log_exits;
    log_r_busy[l] = std::log(sums.busy) - log_exits;
    solver.pass_down(sums.below_top);
  }
  // Level 0 has no downward exit: its stationary distribution (up to a factor) is pi itself.
  solver.solve(LevelChain{lambda, mu, 0.0L, orbit_limit > 0 ? lambda : 0.0L, bottom});
  const auto sums = solver.sums(bottom);
  LogSum total, in_orbit, all_busy, orbit, at_bottom, busy;
  Real log_all_busy = std::log(solver.top());
  Real log_mass = std::log(sums.all), log_half = log_mass;
  total.add(log_mass);
  all_busy.add(log_all_busy);
  at_bottom.add(std::log(solver.bottom_state()));
  busy.add(std::log(sums.busy));
  const Real log_lambda = std::log(lambda);
  for (std::size_t l = 1; l < levels; ++l) {
    // Entries into level L happen at rate lambda P(L - 1, all busy).
    const Real entries = log_lambda + log_all_busy;
    log_mass = entries + log_r_sum[l];
    if (l == levels / 2) log_half = log_mass;
    log_all_busy = entries + log_r_top[l];
    total.add(log_mass);
    in_orbit.add(log_mass);
    all_busy.add(log_all_busy);
    orbit.add(log_mass + std::log(static_cast<Real>(l)));
    at_bottom.add(entries + log_r_bottom[l]);
    busy.add(entries + log_r_busy[l]);
  }
  return {total.log(), all_busy.log(), orbit.log(), at_bottom.log(),
          busy.log(),  in_orbit.log(), log_mass,    log_half};
}

}  // namespace

Retrial retrial_queue(std::int64_t circuits, double arrival_rate, double mean_holding,
                      double mean_retrial) {
  if (circuits < 1) {
    throw std::invalid_argument(
        fmt::format("retrial_queue: circuits must be at least 1, got {}", circuits));
  }
  if (!(std::isfinite(arrival_rate) && arrival_rate >= 0.0)) {
    throw std::invalid_argument(fmt::format(
        "retrial_queue: arrival_rate must be a finite number >= 0, got {}", arrival_rate));
  }
  require_positive("mean_holding", mean_holding);
  require_positive("mean_retrial", mean_retrial);
  const double load = arrival_rate * mean_holding;
  if (!(load < static_cast<double>(circuits))) {
    throw std::invalid_argument(fmt::format(
        "retrial_queue: the offered load arrival_rate x mean_holding = {} must be below circuits "
        "= {}, or the orbit grows without bound",
        load, circuits));
  }
  if (arrival_rate == 0.0) return {0.0, 0.0, std::numeric_limits<double>::quiet_NaN(), 0.0};

  const std::int64_t c = circuits;
  const Real lambda = arrival_rate;
  const Real mu = 1.0L / static_cast<Real>(mean_holding);
  const Real theta = 1.0L / static_cast<Real>(mean_retrial);
  Real window_nats = window_tail_nats;
  std::int64_t bottom = window_bottom(c, static_cast<Real>(load), window_nats);
  // E[orbit] >= lambda B(c, A) mean_retrial (retrials only add blocking, and a blocked caller
  // waits at least one retrial delay): start the truncation a few times above it.
  const double orbit_lower_bound = arrival_rate * erlang_b(c, load) * mean_retrial;
  std::int64_t orbit_limit = first_orbit_limit;
  // double's range suffices unless all-busy states are rarer than ~1e-250.
  const bool narrow = erlang_b(c, load) > 1e-250;
  while (static_cast<double>(orbit_limit) < 4.0 * orbit_lower_bound && orbit_limit < max_levels) {
    orbit_limit *= 2;
  }
  for (;;) {
    if (orbit_limit + 1 > max_levels || (c - bottom + 1) > max_work / (orbit_limit + 1)) {
      throw std::invalid_argument(fmt::format(
          "retrial_queue: {} busy counts x {} orbit sizes exceed the limits of {} orbit sizes "
          "and {} states: "
          "the load {} is too close to circuits, or mean_retrial {} too long (the orbit holds "
          "at least {:.4g} callers on average)",
          c - bottom + 1, orbit_limit + 1, max_levels, max_work, load, mean_retrial,
          orbit_lower_bound));
    }
    const LevelFigures f =
        narrow ? solve_levels<double>(c, lambda, mu, theta, orbit_limit, bottom)
               : solve_levels<long double>(c, lambda, mu, theta, orbit_limit, bottom);
    // The mass and the orbit beyond K, were the tail geometric with the mean ratio P(m + 1) /
    // P(m) over the upper half of the levels (the top level itself is distorted by the
    // truncation), relative to P(orbit > 0) and to E[orbit]: blocked callers arrive in bursts
    // (while the group hovers at all busy), so the orbit's tail decays slowly even where blocking
    // is 1e-26, and near saturation it is long.
    const Real ratio =
        std::exp((f.log_top_level - f.log_half) / static_cast<Real>(orbit_limit - orbit_limit / 2));
    const Real beyond = ratio < 1 ? ratio / (1 - ratio) : std::numeric_limits<Real>::infinity();
    const Real log_tail_mass = f.log_top_level + std::log(beyond);
    const Real log_tail_orbit =
        log_tail_mass + std::log(static_cast<Real>(orbit_limit) + 1 / (1 - ratio));
    const Real log_excess = std::max(log_tail_mass - f.log_in_orbit, log_tail_orbit - f.log_orbit) -
                            std::log(orbit_tail_tolerance);
    if (log_excess >= 0) {
      // Where the tail already decays, jump to the K that its ratio predicts (with a margin)
      // rather than doubling: the solves before the last are wasted work.
      std::int64_t next = 2 * orbit_limit;
      if (ratio < 1) {
        const Real predicted =
            static_cast<Real>(orbit_limit) + 1.2L * log_excess / -std::log(ratio);
        next = std::clamp(static_cast<std::int64_t>(predicted) + 16, orbit_limit + orbit_limit / 4,
                          4 * orbit_limit);
      }
      orbit_limit = next;
      continue;
    }
    if (bottom > 0 && std::exp(f.log_bottom - f.log_total) >= window_edge_tolerance) {
      window_nats *= 2;
      bottom = window_bottom(c, static_cast<Real>(load), window_nats);
      continue;
    }
    const Real log_p_block = f.log_all_busy - f.log_total;
    const Real log_orbit = f.log_orbit - f.log_total;
    const Real log_latency = log_orbit - std::log(lambda) - log_p_block;
    return {static_cast<double>(std::exp(log_p_block)), static_cast<double>(std::exp(log_orbit)),
            std::isfinite(log_latency) ? static_cast<double>(std::exp(log_latency))
                                       : std::numeric_limits<double>::quiet_NaN(),
            static_cast<double>(std::exp(f.log_busy - f.log_total))};
  }
}

}  // namespace telsim::analysis
