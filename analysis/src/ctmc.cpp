// The only translation unit that includes Eigen: its sparse LU is heavy to compile, so it is
// kept out of every header.

#include "telsim/analysis/ctmc.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>

namespace telsim::analysis {
namespace {

constexpr std::int64_t max_states = 4'000'000;

void require_rate(const char* argument, double value) {
  if (!(std::isfinite(value) && value >= 0.0)) {
    throw std::invalid_argument(fmt::format(
        "overflow_with_reservation: {} must be a finite number >= 0, got {}", argument, value));
  }
}

// State (i, j), i busy on the primary and j on the second group, numbered i (c2 + 1) + j.
class Grid {
 public:
  Grid(std::int64_t primary, std::int64_t second) : primary_(primary), second_(second) {}
  Eigen::Index index(std::int64_t i, std::int64_t j) const {
    return static_cast<Eigen::Index>(i * (second_ + 1) + j);
  }
  Eigen::Index size() const { return static_cast<Eigen::Index>((primary_ + 1) * (second_ + 1)); }

 private:
  std::int64_t primary_;
  std::int64_t second_;
};

}  // namespace

OverflowReservation overflow_with_reservation(std::int64_t primary_circuits,
                                              double overflowing_rate, std::int64_t second_circuits,
                                              std::int64_t reserve, double first_choice_rate,
                                              double mean_holding) {
  if (primary_circuits < 0) {
    throw std::invalid_argument(fmt::format(
        "overflow_with_reservation: primary_circuits must be >= 0, got {}", primary_circuits));
  }
  if (second_circuits < 0) {
    throw std::invalid_argument(fmt::format(
        "overflow_with_reservation: second_circuits must be >= 0, got {}", second_circuits));
  }
  if (reserve < 0 || reserve > second_circuits) {
    throw std::invalid_argument(fmt::format(
        "overflow_with_reservation: reserve must be in [0, second_circuits = {}], got {}",
        second_circuits, reserve));
  }
  require_rate("overflowing_rate", overflowing_rate);
  require_rate("first_choice_rate", first_choice_rate);
  if (!(std::isfinite(mean_holding) && mean_holding > 0.0)) {
    throw std::invalid_argument(
        fmt::format("overflow_with_reservation: mean_holding must be a finite number > 0, got {}",
                    mean_holding));
  }
  if ((primary_circuits + 1) > max_states / (second_circuits + 1)) {
    throw std::invalid_argument(
        fmt::format("overflow_with_reservation: ({} + 1) x ({} + 1) states exceed the limit of {}",
                    primary_circuits, second_circuits, max_states));
  }

  const std::int64_t c1 = primary_circuits;
  const std::int64_t c2 = second_circuits;
  const std::int64_t overflow_limit = c2 - reserve;  // overflow accepted while j < this
  const double mu = 1.0 / mean_holding;
  const Grid grid(c1, c2);
  const Eigen::Index n = grid.size();
  // The last balance equation is redundant (the rows of Q sum to 0); it becomes sum pi = 1.
  const Eigen::Index normalisation_row = n - 1;

  // Build A = Q^T directly: A(to, from) = rate(from -> to), A(s, s) = -outflow(s).
  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(static_cast<std::size_t>(n) * 5 + static_cast<std::size_t>(n));
  auto transition = [&](Eigen::Index from, Eigen::Index to, double rate) {
    if (rate == 0.0) return;
    if (to != normalisation_row) entries.emplace_back(to, from, rate);
    if (from != normalisation_row) entries.emplace_back(from, from, -rate);
  };
  for (std::int64_t i = 0; i <= c1; ++i) {
    for (std::int64_t j = 0; j <= c2; ++j) {
      const Eigen::Index s = grid.index(i, j);
      if (i < c1) {
        transition(s, grid.index(i + 1, j), overflowing_rate);
      } else if (j < overflow_limit) {
        transition(s, grid.index(i, j + 1), overflowing_rate);
      }
      if (j < c2) transition(s, grid.index(i, j + 1), first_choice_rate);
      if (i > 0) transition(s, grid.index(i - 1, j), static_cast<double>(i) * mu);
      if (j > 0) transition(s, grid.index(i, j - 1), static_cast<double>(j) * mu);
    }
  }
  for (Eigen::Index s = 0; s < n; ++s) entries.emplace_back(normalisation_row, s, 1.0);

  Eigen::SparseMatrix<double> matrix(n, n);
  matrix.setFromTriplets(entries.begin(), entries.end());  // sums duplicates
  matrix.makeCompressed();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs(normalisation_row) = 1.0;

  Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> solver;
  solver.compute(matrix);
  if (solver.info() != Eigen::Success) {
    throw std::runtime_error("overflow_with_reservation: sparse LU factorisation failed: " +
                             solver.lastErrorMessage());
  }
  Eigen::VectorXd pi = solver.solve(rhs);
  if (solver.info() != Eigen::Success) {
    throw std::runtime_error("overflow_with_reservation: sparse LU solve failed");
  }
  // Round-off leaves tiny negatives where probabilities are below ~1e-16; they are zeros.
  pi = pi.cwiseMax(0.0);
  pi /= pi.sum();

  long double primary_full = 0, overflow_refused_and_full = 0, second_at_limit = 0;
  long double second_full = 0, primary_busy = 0, second_busy = 0;
  for (std::int64_t i = 0; i <= c1; ++i) {
    for (std::int64_t j = 0; j <= c2; ++j) {
      const long double p = pi(grid.index(i, j));
      primary_busy += p * static_cast<long double>(i);
      second_busy += p * static_cast<long double>(j);
      if (j >= overflow_limit) second_at_limit += p;
      if (j == c2) second_full += p;
      if (i == c1) {
        primary_full += p;
        if (j >= overflow_limit) overflow_refused_and_full += p;
      }
    }
  }

  OverflowReservation result{};
  result.primary_blocking = static_cast<double>(primary_full);
  result.overflow_call_blocking = static_cast<double>(
      primary_full > 0 ? overflow_refused_and_full / primary_full : second_at_limit);
  result.first_choice_blocking = static_cast<double>(second_full);
  result.lost_overflowing = static_cast<double>(overflow_refused_and_full);
  const long double requests = overflowing_rate * primary_full + first_choice_rate;
  const long double refused =
      overflowing_rate * overflow_refused_and_full + first_choice_rate * second_full;
  result.second_call_blocking = static_cast<double>(requests > 0 ? refused / requests : 0.0L);
  result.second_carried = static_cast<double>(second_busy);
  result.primary_carried = static_cast<double>(primary_busy);
  return result;
}

}  // namespace telsim::analysis
