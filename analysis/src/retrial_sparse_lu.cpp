// The retrial queue's whole two-dimensional chain solved at once with Eigen's sparse LU: the
// independent check of retrial.cpp's level-by-level solution (a heavy include, kept out of
// every header, as in ctmc.cpp).

#include "telsim/analysis/retrial.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>

#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

constexpr std::int64_t max_states = 2'000'000;
constexpr std::int64_t first_orbit_limit = 32;
// The truncation is accepted once P(orbit = K) is below this.
constexpr double orbit_tail_tolerance = 1e-12;
constexpr long double min_reliable_p_block = 1e-10L;

void require_positive(const char* argument, double value) {
  if (!(std::isfinite(value) && value > 0.0)) {
    throw std::invalid_argument(fmt::format(
        "retrial_queue_sparse_lu: {} must be a finite number > 0, got {}", argument, value));
  }
}

// State (k, m), k busy circuits and m callers in the orbit, numbered m (c + 1) + k.
class Grid {
 public:
  Grid(std::int64_t circuits, std::int64_t orbit_limit)
      : circuits_(circuits), orbit_limit_(orbit_limit) {}
  Eigen::Index index(std::int64_t k, std::int64_t m) const {
    return static_cast<Eigen::Index>(m * (circuits_ + 1) + k);
  }
  std::int64_t busy(Eigen::Index s) const { return static_cast<std::int64_t>(s) % (circuits_ + 1); }
  std::int64_t orbit(Eigen::Index s) const {
    return static_cast<std::int64_t>(s) / (circuits_ + 1);
  }
  Eigen::Index size() const {
    return static_cast<Eigen::Index>((circuits_ + 1) * (orbit_limit_ + 1));
  }

 private:
  std::int64_t circuits_;
  std::int64_t orbit_limit_;
};

// Unnormalised stationary distribution of the chain truncated at orbit size `orbit_limit`,
// indexed as Grid, with pi(pinned) = 1: the balance equation of `pinned` (redundant, the rows
// of Q sum to 0) is replaced by that condition. Pinning one state keeps the matrix as sparse as
// the generator; a dense normalisation row sum pi = 1 instead makes the LU fill a dense row
// and costs seconds where this costs milliseconds. The caller pins a likely state, so that no
// entry overflows.
Eigen::VectorXd solve_pinned(std::int64_t circuits, double lambda, double mu, double theta,
                             std::int64_t orbit_limit, Eigen::Index pinned) {
  const std::int64_t c = circuits;
  const Grid grid(c, orbit_limit);
  const Eigen::Index n = grid.size();

  // Build A = Q^T directly: A(to, from) = rate(from -> to), A(s, s) = -outflow(s).
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(n) * 6);
  auto transition = [&](Eigen::Index from, Eigen::Index to, double rate) {
    if (rate == 0.0) return;
    if (to != pinned) entries.emplace_back(to, from, rate);
    if (from != pinned) entries.emplace_back(from, from, -rate);
  };
  for (std::int64_t m = 0; m <= orbit_limit; ++m) {
    for (std::int64_t k = 0; k <= c; ++k) {
      const Eigen::Index s = grid.index(k, m);
      if (k < c) {
        transition(s, grid.index(k + 1, m), lambda);
        if (m > 0) transition(s, grid.index(k + 1, m - 1), static_cast<double>(m) * theta);
      } else if (m < orbit_limit) {
        transition(s, grid.index(k, m + 1), lambda);  // blocked first attempt joins the orbit
      }
      if (k > 0) transition(s, grid.index(k - 1, m), static_cast<double>(k) * mu);
    }
  }
  entries.emplace_back(pinned, pinned, 1.0);

  Eigen::SparseMatrix<double> matrix(n, n);
  matrix.setFromTriplets(entries.begin(), entries.end());  // sums duplicates
  matrix.makeCompressed();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs(pinned) = 1.0;

  Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> solver;
  solver.compute(matrix);
  if (solver.info() != Eigen::Success) {
    throw std::runtime_error("retrial_queue_sparse_lu: sparse LU factorisation failed: " +
                             solver.lastErrorMessage());
  }
  Eigen::VectorXd pi = solver.solve(rhs);
  if (solver.info() != Eigen::Success) {
    throw std::runtime_error("retrial_queue_sparse_lu: sparse LU solve failed");
  }
  return pi;
}

// The index of the entry largest in magnitude; infinities count as largest and NaN as smallest.
Eigen::Index largest(const Eigen::VectorXd& v) {
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < v.size(); ++i) {
    if (std::abs(v(i)) > std::abs(v(best)) || std::isnan(v(best))) best = i;
  }
  return best;
}

// Normalised stationary distribution. The solve is accurate when the pinned state is among the
// likeliest (pinning a state 1e-100 times rarer than the mode can return garbage), so it is
// pinned first at `guess`, then again at the largest entry until the pinned state is within a
// factor 1e3 of it.
Eigen::VectorXd solve_truncated(std::int64_t circuits, double lambda, double mu, double theta,
                                std::int64_t orbit_limit, Eigen::Index guess) {
  constexpr int max_solves = 8;
  Eigen::Index pinned = guess;
  for (int attempt = 0; attempt < max_solves; ++attempt) {
    Eigen::VectorXd pi = solve_pinned(circuits, lambda, mu, theta, orbit_limit, pinned);
    const Eigen::Index mode = largest(pi);
    if (pi.allFinite() && std::abs(pi(mode)) <= 1e3 && pi.minCoeff() > -1e-9) {
      // Round-off leaves tiny negatives where probabilities are below ~1e-16; they are zeros.
      pi = pi.cwiseMax(0.0);
      pi /= pi.sum();
      return pi;
    }
    pinned = mode;
  }
  throw std::runtime_error(
      fmt::format("retrial_queue_sparse_lu: the sparse LU solution did not settle on a likeliest "
                  "state after {} solves",
                  max_solves));
}

}  // namespace

Retrial retrial_queue_sparse_lu(std::int64_t circuits, double arrival_rate, double mean_holding,
                                double mean_retrial) {
  if (circuits < 1) {
    throw std::invalid_argument(
        fmt::format("retrial_queue_sparse_lu: circuits must be at least 1, got {}", circuits));
  }
  if (!(std::isfinite(arrival_rate) && arrival_rate >= 0.0)) {
    throw std::invalid_argument(
        fmt::format("retrial_queue_sparse_lu: arrival_rate must be a finite number >= 0, got {}",
                    arrival_rate));
  }
  require_positive("mean_holding", mean_holding);
  require_positive("mean_retrial", mean_retrial);
  const double load = arrival_rate * mean_holding;
  if (!(load < static_cast<double>(circuits))) {
    throw std::invalid_argument(
        fmt::format("retrial_queue_sparse_lu: the offered load arrival_rate x mean_holding = {} "
                    "must be below circuits "
                    "= {}, or the orbit grows without bound",
                    load, circuits));
  }
  if (arrival_rate == 0.0) return {0.0, 0.0, std::numeric_limits<double>::quiet_NaN(), 0.0};

  const std::int64_t c = circuits;
  // E[orbit] = lambda p_block E[latency] >= lambda B(c, A) mean_retrial (retrials only add
  // blocking, and a blocked caller waits at least one retrial delay): when that exceeds the
  // largest orbit limit the state limit allows, no truncation can succeed.
  const std::int64_t largest_orbit_limit = max_states / (c + 1) - 1;
  const double orbit_lower_bound = arrival_rate * erlang_b(c, load) * mean_retrial;
  if (orbit_lower_bound > static_cast<double>(largest_orbit_limit)) {
    throw std::invalid_argument(fmt::format(
        "retrial_queue_sparse_lu: the orbit holds at least {:.4g} callers on average (arrival_rate "
        "x "
        "Erlang B x mean_retrial), beyond the {} places that {} circuits allow within the "
        "limit of {} states; mean_retrial {} is too long for an exact solution",
        orbit_lower_bound, largest_orbit_limit, c, max_states, mean_retrial));
  }
  const double mu = 1.0 / mean_holding;
  const double theta = 1.0 / mean_retrial;
  double last_tail = 1.0;  // P(orbit = K) at the last K tried
  // The state pinned in the solve: first the likeliest busy count of Erlang B and an empty
  // orbit, then the likeliest state of the previous truncation.
  std::int64_t guess_busy = std::min(c, static_cast<std::int64_t>(load));
  std::int64_t guess_orbit = 0;
  for (std::int64_t orbit_limit = first_orbit_limit;; orbit_limit *= 2) {
    if (orbit_limit + 1 > max_states / (c + 1)) {
      const std::string reason =
          orbit_limit == first_orbit_limit
              ? fmt::format("too many circuits ({}) for an exact solution", c)
              : fmt::format(
                    "P(orbit = {}) was {:.3g}, not below {}: the load {} is too close to "
                    "circuits, or mean_retrial {} too long, for an exact solution",
                    orbit_limit / 2, last_tail, orbit_tail_tolerance, load, mean_retrial);
      throw std::invalid_argument(
          fmt::format("retrial_queue_sparse_lu: an orbit limit of {} would give ({} + 1) x ({} + "
                      "1) states, over the "
                      "limit of {}; {}",
                      orbit_limit, c, orbit_limit, max_states, reason));
    }
    const Grid grid(c, orbit_limit);
    const Eigen::VectorXd pi = solve_truncated(c, arrival_rate, mu, theta, orbit_limit,
                                               grid.index(guess_busy, guess_orbit));
    long double at_limit = 0, all_busy = 0, orbit = 0;
    for (std::int64_t m = 0; m <= orbit_limit; ++m) {
      for (std::int64_t k = 0; k <= c; ++k) {
        const long double p = pi(grid.index(k, m));
        orbit += p * static_cast<long double>(m);
        if (k == c) all_busy += p;
        if (m == orbit_limit) at_limit += p;
      }
    }
    last_tail = static_cast<double>(at_limit);
    if (at_limit >= orbit_tail_tolerance) {
      const Eigen::Index mode = largest(pi);
      guess_busy = grid.busy(mode);
      guess_orbit = grid.orbit(mode);
      continue;
    }
    // Below this p_block, E[orbit] and p_block are both at the solve's round-off and so is
    // their ratio.
    const double latency =
        all_busy < min_reliable_p_block
            ? std::numeric_limits<double>::quiet_NaN()
            : static_cast<double>(orbit / (static_cast<long double>(arrival_rate) * all_busy));
    return {static_cast<double>(all_busy), static_cast<double>(orbit), latency,
            std::numeric_limits<double>::quiet_NaN()};
  }
}

}  // namespace telsim::analysis
