#pragma once

#include <cstdint>

namespace telsim::analysis {

/// Erlang A (M/M/c+M, Palm's model): `circuits` servers, Poisson arrivals, exponential holding
/// times, an unlimited FIFO queue, and callers who abandon the queue after an exponential
/// patience unless served first.
///
/// The number of callers in the system is a birth-death chain on n = 0, 1, 2, ... with birth
/// rate lambda and death rate min(n, c) / h + max(n - c, 0) / p (h the mean holding time, p the
/// mean patience). Every figure below is a call average (Poisson arrivals see time averages).
struct ErlangA {
  /// P(an arrival finds all circuits busy and has to queue) = P(n >= c).
  double p_wait;
  /// Fraction of ALL arrivals that abandon the queue: the abandonment rate E[queue] / p over
  /// lambda. Equals mean_wait / mean_patience (each waiting second is a chance to abandon).
  double p_abandon;
  /// Mean time in the queue over ALL arrivals, each counted until it leaves the queue (served
  /// at once: 0; served after waiting or abandoning: its time in the queue), in the time unit
  /// of the arguments (NOT in units of the holding time, unlike ErlangC::mean_wait):
  /// E[queue] / lambda by Little's law.
  double mean_wait;
};

/// Exact stationary Erlang A figures. `arrival_rate` and the two means share one time unit.
///
/// Computed as P(n >= c) = U B / (1 - B + U B), with B = Erlang B(c, lambda h) by its stable
/// recursion (it gives the chain below c) and U = sum over j >= 0 of pi(c + j) / pi(c), the
/// queue part, summed term by term in long double relative to pi(c), rescaled when it grows
/// large, and truncated once a geometric bound on the rest is below 1e-16 of the sum; the
/// figures combine in log space, so 10,000 circuits (and loads far above them) are fine.
/// O(circuits + queue terms): the queue terms number a few times sqrt(lambda p) around its
/// mode max(0, (lambda - c / h) p), so overloaded groups with very long patience are slow;
/// the function refuses more than 100,000,000 queue terms.
///
/// `mean_patience` = +infinity gives Erlang C exactly (the queue part is then geometric and
/// summed in closed form): p_abandon = 0 and, when lambda h >= circuits, the unstable queue's
/// p_wait = 1 and mean_wait = +infinity. With circuits = 0 every caller waits and abandons.
/// With arrival_rate = 0: p_wait = 0 (1 when circuits = 0), p_abandon = mean_wait = 0.
/// Throws std::invalid_argument when circuits < 0, arrival_rate is negative or not finite,
/// mean_holding is not a finite number > 0, mean_patience is not > 0 (or is NaN), or the
/// queue needs too many terms.
ErlangA erlang_a(std::int64_t circuits, double arrival_rate, double mean_holding,
                 double mean_patience);

}  // namespace telsim::analysis
