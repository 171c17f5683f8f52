#pragma once

#include <cstdint>

namespace telsim::analysis {

/// Stationary figures of the M/M/c retrial queue with persistence 1: a first attempt that finds
/// all circuits busy joins an orbit; each orbiting caller retries after an exponential delay of
/// mean `mean_retrial`, independently of the others; a retry that finds a free circuit is
/// served, otherwise the caller returns to the orbit. Nobody gives up, so every caller is
/// eventually served.
struct Retrial {
  /// P(a first attempt finds all circuits busy) = P(busy = c) (Poisson arrivals see time
  /// averages). Retries are not counted: they do not arrive as a Poisson stream.
  double p_block;
  /// E[callers in the orbit] (time average).
  double mean_orbit;
  /// Mean time from a blocked first attempt to the start of its service, in the time unit of
  /// the arguments: mean_orbit / (arrival_rate x p_block) by Little's law on the orbit.
  /// Computed from logarithms, so it stays accurate when both are tiny; NaN only when
  /// arrival_rate = 0 or p_block is below long double's range (~1e-4900).
  double mean_latency;
  /// E[busy circuits] (time average): the carried traffic, which equals the offered load
  /// arrival_rate x mean_holding because nobody gives up (a check on the solution). NaN from
  /// retrial_queue_sparse_lu, which does not compute it.
  double mean_busy = 0.0;
};

/// The retrial queue's stationary solution. `arrival_rate` (first attempts) and the two means
/// share one time unit.
///
/// The chain has states (k busy circuits, m callers in the orbit), with transitions (k, m) ->
/// (k + 1, m) at rate lambda and (k + 1, m - 1) at rate m / mean_retrial while k < c, (c, m) ->
/// (c, m + 1) at rate lambda, and (k, m) -> (k - 1, m) at rate k / mean_holding. It is solved
/// level by level (level = orbit size), from the truncation level K down: callers join the
/// orbit only from k = c, so the QBD's rate matrices have rank one and the expected time spent
/// in each state of level m per entry from level m - 1 is the stationary vector of a
/// birth-death chain with one extra row and column, which GTH state reduction eliminates in
/// O(c) with no subtraction. Probabilities are carried as logarithms between levels. Hence:
///   - every figure keeps its relative accuracy however small (B ~ 1e-300 on a lightly loaded
///     big group is exact, not round-off), and the answer is continuous in the load;
///   - busy counts more than e^-92 below the loss system's mode are left out (the retrial
///     queue's busy count is stochastically larger), and the solve is repeated with a wider
///     window if the solution puts more than 1e-30 at the window's edge;
///   - K starts at 32 or four times the lower bound lambda B(c, A) mean_retrial on E[orbit] and
///     doubles until P(orbit = K) < 1e-17 P(orbit > 0) (first attempts blocked at (c, K) are
///     dropped; blocked callers come in bursts, so the tail is measured against the orbit).
/// Cost: (window) x (K + 1) steps: 10,000 circuits at 99% load in well under a second; refused
/// beyond 4e9 steps or 2^22 orbit sizes.
///
/// Limits that check it: c = 1 gives p_block = rho = lambda h and E[orbit] = rho (rho + lambda
/// mean_retrial) / (1 - rho) (the M/G/1 retrial queue's mean orbit size lambda^2 b2 / (2 (1 -
/// rho)) + lambda rho / (theta (1 - rho)), Falin and Templeton, Retrial Queues, 1997, chapter
/// 1, with b2 = 2 h^2 and theta = 1 / mean_retrial), so mean_latency = (h + mean_retrial) /
/// (1 - rho); mean_retrial -> 0 gives Erlang C (the orbit becomes a random-order queue);
/// mean_retrial -> infinity gives Erlang B(c, A*) with A* (1 - B(c, A*)) = lambda mean_holding
/// (the orbit feeds the circuits a steady extra stream that makes up the blocked attempts), not
/// Erlang B(c, lambda h).
///
/// Throws std::invalid_argument when circuits < 1, arrival_rate is negative or not finite,
/// mean_holding or mean_retrial is not a finite number > 0, the load arrival_rate x
/// mean_holding is not below circuits (the orbit would grow without bound), or the work limit
/// is exceeded (the message names the load and mean_retrial).
Retrial retrial_queue(std::int64_t circuits, double arrival_rate, double mean_holding,
                      double mean_retrial);

/// The same figures from the whole truncated chain at once, with Eigen's SparseLU: the
/// independent check of retrial_queue (tests compare the two). One balance equation is
/// replaced by pi(s) = 1 for a likely state s, re-solving pinned at the largest entry until s
/// is within a factor 1e3 of it; the orbit truncation K doubles from 32 until P(orbit = K) <
/// 1e-12. At most 2,000,000 states; accurate only relative to the largest probabilities
/// (mean_latency is NaN when p_block < 1e-10). Throws as retrial_queue does, and
/// std::runtime_error if the factorisation fails.
Retrial retrial_queue_sparse_lu(std::int64_t circuits, double arrival_rate, double mean_holding,
                                double mean_retrial);

}  // namespace telsim::analysis
