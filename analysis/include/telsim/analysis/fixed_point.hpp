#pragma once
/// The reduced-load fixed point for a network of trunk groups with alternative routing and
/// trunk reservation, with the peakedness of overflow traffic taken into account by
/// equivalent random theory (analysis/equivalent_random.hpp). Pure numbers: no scenario,
/// no simulation; `telsim analytic network` builds the input from a scenario.
///
/// The approximation, as implemented:
///  - Streams. A demand offers Poisson traffic to its first alternative (a chain of groups);
///    what that chain refuses is offered to the later alternatives: all of them in order
///    (`sequential`), or one other drawn uniformly (`one_other`). Traffic on a first
///    alternative is Poisson; traffic on a later one is overflow, described by its mean and
///    variance (the moments of the number of circuits it would hold on groups that never
///    block).
///  - Overflow moments. What a group refuses, all streams together, is one overflow
///    process whose peakedness Z_out is given by ERT for the group's whole offered
///    traffic (Riordan's formulas exactly when that traffic is Poisson). Each demand's
///    overflow from it is a thinning of that process: a fraction F of it has mean F M and
///    variance F M (1 + F (Z_out - 1)). Parcels from the same source group that reach the
///    same group are merged first (they overflow at the same moments); parcels from
///    different sources are independent: means and variances add.
///  - A group is offered Poisson traffic (first-choice) and peaked traffic (overflow,
///    mean M and variance V). The peaked part is an interrupted Poisson process with M and
///    V that meets, alone on the circuits it may use (circuits - reserve), exactly the ERT
///    blocking B(N* + c, A*) / B(N*, A*) of Rapp's equivalent random group (A*, N*). The
///    group is then solved exactly as a two-phase birth-death chain: first-choice calls
///    are admitted while a circuit is free (they meet the time congestion), overflow calls
///    only while more than `reserve` circuits are free (trunk reservation), and they meet
///    the blocking of the on-phase. Without overflow this is Erlang B (with reservation,
///    the one-dimensional chain of reservation_blocking).
///  - Chains. A call takes a chain's hops in order and is refused by the first hop that
///    refuses. Each hop is offered the traffic that the chain's other hops would pass
///    (reduced load). Hops are independent (Kelly), except that on an overflow
///    alternative two hops carrying largely the same calls are not:
///    with rho = common / sqrt(carried_i carried_j) (the Erlangs both carry, from the
///    previous iteration) and w = rho^2 (the share of their occupancy variance they have in
///    common), a later hop refuses a call that the earlier hops accepted with probability
///    (1 - w) b + w max(0, b - L) / (1 - L), where b is its own blocking and L the earlier
///    hops' loss: the mix of independent hops and of hops whose occupancies move together
///    (a tandem pair carrying only one route's overflow, where the second hop never
///    refuses what the first took). A heuristic: planning.yaml (rho 0.5-0.6) is its
///    weakest case (docs/validation.md).
///  - Smooth first-choice traffic: a demand may have a peakedness below 1 (its calls are
///    limited by the lines at either end): a group's blockings are scaled by what Hayward's
///    approximation B(C / Z, A / Z) (Erlang B continued) makes of its first-choice traffic.
///  - A group's `blocking` is the fraction of all circuit requests it receives that it
///    refuses (first-choice, overflow and later hops of a chain, each hop a request):
///    the request-weighted mix of what each stream meets there.
/// The fixed point is found by repeated substitution, starting from no blocking, with
/// damping halved whenever the residual grows.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace telsim::analysis {

/// One trunk group.
struct FixedPointGroup {
  std::int64_t circuits = 1;  ///< at least 0
  std::int64_t reserve = 0;   ///< circuits only first-choice traffic may take, 0..circuits
};

/// Which later alternatives a call refused by its first alternative tries.
enum class OverflowChoice {
  sequential,  ///< every later alternative in order, until one accepts
  one_other,   ///< one later alternative drawn uniformly, then gives up
};

/// One stream of traffic with its ordered alternatives.
struct FixedPointDemand {
  double offered_erlangs = 0.0;  ///< finite, at least 0
  /// Ordered alternatives, each a chain of group indices. The first is the first choice;
  /// every later one carries overflow. No alternative at all: the demand uses no group
  /// and is never lost.
  std::vector<std::vector<std::size_t>> alternatives;
  OverflowChoice choice = OverflowChoice::sequential;
  /// Peakedness of the first-choice traffic, at most 1: below 1 for traffic that lines
  /// of the callers or callees smooth (a hunt group carries at most its lines' worth).
  double peakedness = 1.0;
};

struct FixedPointOptions {
  double tolerance = 1e-10;    ///< on the largest change of any blocking in one step
  int max_iterations = 10000;  ///< give up (converged = false) after this many steps
};

struct FixedPointGroupResult {
  double blocking = 0.0;               ///< refused requests / requests, every stream and hop
  double first_choice_blocking = 0.0;  ///< met by first-choice calls: P(all circuits busy)
  double overflow_blocking = 0.0;      ///< met by overflow calls
  double offered_first = 0.0;          ///< reduced first-choice load, Erlangs
  double offered_overflow = 0.0;       ///< reduced overflow load (its mean), Erlangs
  double overflow_variance = 0.0;      ///< variance of the overflow offered
  double carried = 0.0;                ///< Erlangs
  double requests = 0.0;               ///< circuit requests per mean holding time (a weight)
  double correlation = 0.0;            ///< the largest rho with another hop of a chain through it
  double offered() const { return offered_first + offered_overflow; }
  double overflow_peakedness() const {
    return offered_overflow > 0.0 ? overflow_variance / offered_overflow : 1.0;
  }
};

struct FixedPointDemandResult {
  double loss = 0.0;  ///< end to end: every alternative it tried refused it
  /// Traffic offered to each alternative, Erlangs.
  std::vector<double> offered_per_alternative;
  double correlation = 0.0;  ///< the largest rho between two hops of one of its chains
};

struct FixedPointResult {
  bool converged = false;
  int iterations = 0;
  double residual = 0.0;  ///< the last step's largest change of a blocking
  std::vector<FixedPointGroupResult> groups;
  std::vector<FixedPointDemandResult> demands;
};

/// Blocking of one group with trunk reservation for two Poisson loads: a birth-death chain
/// on 0..C busy circuits whose arrival rate is both loads below C - r busy circuits and the
/// first-choice load alone from there on. {first-choice blocking P(C busy), overflow
/// blocking P(at least C - r busy)}. O(circuits), in long double with rescaling.
/// Throws std::invalid_argument on a negative or non-finite load, circuits < 0 or a reserve
/// outside 0..circuits.
struct ReservationBlocking {
  double first_choice;
  double overflow;
};
ReservationBlocking reservation_blocking(std::int64_t circuits, std::int64_t reserve,
                                         double first_choice_load, double overflow_load);

/// What one group meets when offered Poisson first-choice traffic and peaked overflow
/// traffic (mean, variance): the ERT/IPP model above; reservation_blocking when the
/// overflow is not peaked (variance <= mean). O(60 circuits).
struct GroupBlocking {
  double first_choice = 0.0;
  double overflow = 0.0;
};
/// Smooth first-choice traffic (first_choice_variance below the load, peakedness Z < 1):
/// both blockings are scaled by B(C / Z, A / Z) / B(C, A) (Hayward's approximation for the
/// first-choice traffic alone; exactly Hayward without overflow and reserve).
GroupBlocking group_blocking(std::int64_t circuits, std::int64_t reserve, double first_choice_load,
                             double overflow_mean, double overflow_variance,
                             double first_choice_variance = -1.0);

/// Solves the fixed point. O(iterations x (groups x 60 circuits + sum of chain lengths
/// squared)). Does not throw on non-convergence: check `converged` (the result then holds
/// the last iterate). Throws std::invalid_argument on a bad input (a group index out of
/// range, an empty chain, a negative or non-finite load, a bad group), naming it.
FixedPointResult erlang_fixed_point(const std::vector<FixedPointGroup>& groups,
                                    const std::vector<FixedPointDemand>& demands,
                                    const FixedPointOptions& options = {});

}  // namespace telsim::analysis
