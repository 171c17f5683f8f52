#pragma once

#include <cstdint>
#include <limits>
#include <optional>

namespace telsim::analysis {

/// Erlang's loss formula B(c, A): the blocking probability of `circuits` circuits offered
/// `load_erlangs` of Poisson traffic, lost calls cleared (M/G/c/c).
///
/// Computed by the recursion B(k) = A B(k-1) / (k + A B(k-1)), B(0) = 1, in long double:
/// every intermediate lies in [0, 1], so it never overflows, its rounding errors shrink as it
/// goes, and it is continuous (and increasing) in the load. O(circuits): 10,000 circuits
/// take a few microseconds. B(0, A) = 1 and B(c, 0) = 0 for c > 0.
/// Throws std::invalid_argument when circuits < 0 or the load is negative or not finite.
double erlang_b(std::int64_t circuits, double load_erlangs);

/// The inverse of Erlang B in the circuits: the fewest circuits n >= 1 with
/// B(n, load_erlangs) <= blocking, by the same recursion as erlang_b (so the answer agrees
/// with it exactly), or nothing when more than `max_circuits` would be needed. O(answer).
/// Throws std::invalid_argument when the load is negative or not finite, or blocking is not
/// in (0, 1].
std::optional<std::int64_t> erlang_b_circuits(
    double load_erlangs, double blocking,
    std::int64_t max_circuits = std::numeric_limits<std::int64_t>::max());

/// The inverse of Erlang B in the load: the Poisson load on `circuits` circuits whose blocking
/// is `blocking`, by 60 halvings of [0, max_load] (B grows with the load): max_load when even
/// that blocks less, near 0 for blocking 1. Throws std::invalid_argument when circuits < 1,
/// blocking is not in (0, 1], or max_load is negative or not finite.
double erlang_b_load(std::int64_t circuits, double blocking, double max_load);

/// The traffic that overflows `circuits` circuits offered `load_erlangs` of Poisson traffic
/// with exponential holding times (calls that find them all busy move on): the mean and
/// variance of the number of busy circuits it would hold on a group that never blocks.
/// Riordan's formulas: M = A B(n, A), V = M (1 - M + A / (n + 1 - A + M)); peakedness
/// Z = V / M (1 for Poisson traffic, above 1 for overflow). With no circuits the
/// overflow is the offered traffic: M = V = A. Throws std::invalid_argument like erlang_b.
struct OverflowMoments {
  double mean;
  double variance;
  double peakedness;  ///< variance / mean; 1 when the mean is 0
};
OverflowMoments riordan_overflow(std::int64_t circuits, double load_erlangs);

/// Erlang's delay formula (M/M/c with an infinite queue).
struct ErlangC {
  /// Probability that a call has to wait (all circuits busy on arrival).
  double p_wait;
  /// Mean waiting time over ALL calls (those served at once count 0), in units of the mean
  /// holding time: p_wait / (circuits - load).
  double mean_wait;
};

/// Erlang C for `circuits` >= 1 servers offered `load_erlangs`, from Erlang B by
/// C = c B / (c - A (1 - B)). With load >= circuits the queue is unstable: p_wait = 1 and
/// mean_wait = +infinity. Throws std::invalid_argument when circuits < 1 or the load is
/// negative or not finite.
ErlangC erlang_c(std::int64_t circuits, double load_erlangs);

/// The Engset loss system: `sources` sources, each generating calls at rate gamma while idle,
/// `circuits` circuits, lost calls cleared; beta = gamma x mean holding time, the offered
/// traffic per IDLE source.
struct Engset {
  /// Probability that all circuits are busy (time average).
  double time_congestion;
  /// Probability that a call attempt finds all circuits busy; by the arrival theorem, the
  /// time congestion of the same system with sources - 1 sources.
  double call_congestion;
  /// Lost traffic over offered traffic, with the offered traffic defined as in ITU-T and
  /// Iversen's Teletraffic Engineering handbook (section 8.4): the traffic the sources
  /// would carry if no call were ever blocked, A = N beta / (1 + beta). The carried
  /// traffic is Y = N beta (1 - B) / (1 + beta (1 - B)) (a source alternates idle periods
  /// of mean 1/gamma and, with probability 1 - B, busy periods), so
  /// (A - Y) / A = B / (1 + beta (1 - B)), with B the call congestion.
  /// (Defining the offered traffic instead as call attempts x mean holding time, i.e.
  /// N beta / (1 + beta (1 - B)) - Y counted per attempt - would make this figure equal to
  /// the call congestion and tell nothing new.)
  double traffic_congestion;
};

/// Engset's formulas, by the recursion E(k) = (N - k + 1) beta E(k-1) / (k + (N - k + 1) beta
/// E(k-1)), E(0) = 1, in long double (stable for the same reasons as Erlang B). O(min(circuits,
/// sources)). With sources <= circuits no call is ever blocked (time congestion is still
/// positive when sources == circuits: all sources can be busy at once). As sources -> infinity
/// with sources x beta = A fixed, all three tend to Erlang B(circuits, A).
/// Throws std::invalid_argument when circuits < 0, sources < 0, or beta is negative or not
/// finite.
Engset engset(std::int64_t circuits, std::int64_t sources, double beta);

}  // namespace telsim::analysis
