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
  /// NaN when p_block < 1e-10 (including arrival_rate = 0): both are then at the solve's
  /// round-off, and so is their ratio.
  double mean_latency;
};

/// The retrial queue's stationary solution. `arrival_rate` (first attempts) and the two means
/// share one time unit.
///
/// Solves pi Q = 0 for the two-dimensional chain (busy circuits 0..c, orbit size 0..K) with
/// Eigen's SparseLU, with transitions (k, m) -> (k + 1, m) at rate lambda and (k + 1, m - 1) at
/// rate m / mean_retrial while k < c, (c, m) -> (c, m + 1) at rate lambda, and (k, m) ->
/// (k - 1, m) at rate k / mean_holding. One balance equation is replaced by pi(s) = 1 for a
/// likely state s (a dense sum pi = 1 row would make the LU fill a dense row: seconds instead
/// of milliseconds), re-solving pinned at the largest entry until s is within a factor 1e3 of
/// it, then normalised. The orbit is truncated at K (first attempts blocked at (c, K) are
/// dropped); K starts at 32 and doubles until P(orbit = K) < 1e-12.
///
/// Cost: (c + 1)(K + 1) states, and the LU fill-in grows with min(c, K) per state: 100
/// circuits at 80% load take tens of milliseconds, 10,000 circuits at 90% under a second,
/// 200 circuits at 95% (K = 1,024) a few seconds. The orbit holds about lambda p_block
/// mean_retrial callers when retrials are slow; the function refuses more than 2,000,000
/// states. The solution is accurate to round-off relative to its LARGEST probabilities:
/// p_block and mean_orbit below about 1e-13 are noise (hence the NaN latency above).
///
/// Limits that check it: c = 1 gives p_block = rho = lambda h and E[orbit] = rho (rho + lambda
/// mean_retrial) / (1 - rho) (the M/G/1 retrial queue's mean orbit size lambda^2 b2 / (2 (1 -
/// rho)) + lambda rho / (theta (1 - rho)), Falin and Templeton, Retrial Queues, 1997, chapter
/// 1, with b2 = 2 h^2 and theta = 1 / mean_retrial), so mean_latency = (h + mean_retrial) /
/// (1 - rho); mean_retrial -> 0 gives
/// Erlang C (the orbit becomes a random-order queue); mean_retrial -> infinity gives Erlang
/// B(c, A*) with A* (1 - B(c, A*)) = lambda mean_holding (the orbit feeds the circuits a
/// steady extra stream that makes up the blocked attempts), not Erlang B(c, lambda h).
///
/// Throws std::invalid_argument when circuits < 1, arrival_rate is negative or not finite,
/// mean_holding or mean_retrial is not a finite number > 0, the load arrival_rate x
/// mean_holding is not below circuits (the orbit would grow without bound), or the truncated
/// chain would exceed the state limit; std::runtime_error if the factorisation fails.
Retrial retrial_queue(std::int64_t circuits, double arrival_rate, double mean_holding,
                      double mean_retrial);

}  // namespace telsim::analysis
