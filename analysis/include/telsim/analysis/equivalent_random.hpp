#pragma once
/// Equivalent random theory (Wilkinson) for peaked overflow traffic, with Rapp's
/// approximation of the equivalent random group, and a loss group offered Poisson traffic
/// and one peaked stream together, with trunk reservation. Pure numbers; the network model
/// that uses them is analysis/fixed_point.hpp.
///
/// Peaked traffic is described by the mean M and variance V of the number of circuits it
/// would hold on a group that never blocks (peakedness Z = V / M, 1 for Poisson traffic,
/// above 1 for overflow). Wilkinson's method replaces it by the overflow of a fictitious
/// "equivalent random" group of N* circuits offered A* Erlangs of Poisson traffic whose
/// overflow has that same M and V (Riordan's formulas, riordan_overflow); offered to c more
/// circuits, it then meets the blocking B(N* + c, A*) / B(N*, A*). Rapp's approximation
/// gives (A*, N*) in closed form: A* = V + 3 Z (Z - 1), N* = A* (M + Z) / (M + Z - 1) - M - 1.
/// N* is not an integer, so Erlang B is continued to a real number of circuits.
///
/// To combine peaked traffic with Poisson traffic and reservation on one group, the peaked
/// stream is represented by an interrupted Poisson process (IPP: calls arrive at rate
/// `rate` while it is on; on and off periods are exponential) with the stream's M and Z,
/// whose third parameter is chosen so that the group loses, of all its traffic, what ERT
/// says the sum of the streams (means and variances added) loses (Kuczura showed the IPP to
/// be a close model of overflow traffic). The group is then a two-phase birth-death chain,
/// solved exactly; it tells how the loss splits between the Poisson and the peaked calls.
#include <cstdint>

namespace telsim::analysis {

/// Erlang B continued to a real number of circuits x >= 0 (Jagerman's integral form):
/// 1 / B(x, A) = A * integral_0^inf exp(-A t) (1 + t)^x dt. Equals erlang_b at integers (to
/// about 1e-9 relative); increasing in A, decreasing in x. O(x + 400).
/// Throws std::invalid_argument on x < 0 or a negative or non-finite load, and
/// std::domain_error beyond 10^7 circuits (the recursion would take minutes).
double erlang_b_continued(double circuits, double load_erlangs);

/// Riordan's overflow moments (erlang.hpp riordan_overflow) for a real number of circuits:
/// M = A B(n, A), V = M (1 - M + A / (n + 1 - A + M)).
struct PeakedTraffic {
  double mean = 0.0;
  double variance = 0.0;
  double peakedness() const { return mean > 0.0 ? variance / mean : 1.0; }
};
PeakedTraffic overflow_moments(double circuits, double load_erlangs);

/// The equivalent random group of peaked traffic (mean M > 0, variance V >= M) by Rapp's
/// approximation. Traffic that is not peaked (V <= M) has none: {M, 0} is returned for it
/// (Poisson traffic is its own equivalent, with no group in front).
struct EquivalentRandomGroup {
  double load = 0.0;      ///< A*, Erlangs of Poisson traffic
  double circuits = 0.0;  ///< N*, not an integer in general
};
EquivalentRandomGroup rapp_equivalent(double mean, double variance);

/// The ERT blocking that peaked traffic (M, V) meets on `circuits` circuits:
/// B(N* + c, A*) / B(N*, A*), the lost traffic over M. Poisson traffic (V <= M): B(c, M).
double ert_blocking(double mean, double variance, double circuits);

/// The moments of what peaked traffic (M, V) leaves unserved on `circuits` circuits, by
/// ERT: Riordan's formulas for N* + c circuits offered A*.
PeakedTraffic ert_overflow(double mean, double variance, double circuits);

/// An interrupted Poisson process: calls at `rate` while on; on -> off at `on_to_off`,
/// off -> on at `off_to_on` (per mean holding time). Offered to a group that never blocks
/// it holds M = rate p on average, p = off_to_on / (on_to_off + off_to_on), with peakedness
/// Z = 1 + rate on_to_off / ((on_to_off + off_to_on) (1 + on_to_off + off_to_on)).
struct InterruptedPoisson {
  double rate = 0.0;
  double on_to_off = 0.0;
  double off_to_on = 1.0;
  double mean() const;
  double peakedness() const;
};

/// The IPP with mean M and peakedness Z > 1 that, offered with `poisson_load` Erlangs of
/// Poisson traffic to `circuits` circuits, loses the fraction `target` of all the traffic
/// (found by bisection on its on-probability). When no IPP with that M and Z can meet the
/// target, the one that comes closest. O(60 circuits).
InterruptedPoisson fit_interrupted_poisson(double mean, double peakedness, std::int64_t circuits,
                                           double target, double poisson_load = 0.0);

/// The ERT fit: the IPP with the mean and variance of peaked traffic (M, V > M) such that,
/// together with `poisson_load` Erlangs of Poisson traffic on `circuits` circuits, the
/// group loses what ERT says all that traffic (mean M + load, variance V + load) loses.
/// Alone (no Poisson traffic), it meets the ERT blocking on those circuits.
InterruptedPoisson ert_interrupted_poisson(double mean, double variance, std::int64_t circuits,
                                           double poisson_load = 0.0);

/// A group of `circuits` circuits offered Poisson traffic (`poisson_load` Erlangs, admitted
/// while a circuit is free) and an IPP (admitted only while more than `reserve` circuits are
/// free: trunk reservation). Exact for that model, O(circuits).
struct MixedBlocking {
  double poisson = 0.0;    ///< blocking the Poisson calls meet: P(all circuits busy)
  double peaked = 0.0;     ///< blocking the IPP's calls meet: P(>= circuits - reserve busy | on)
  double mean_busy = 0.0;  ///< carried Erlangs
};
MixedBlocking mixed_blocking(std::int64_t circuits, std::int64_t reserve, double poisson_load,
                             const InterruptedPoisson& peaked);

}  // namespace telsim::analysis
