#pragma once
/// The Erlang fixed point (Kelly's reduced-load approximation) for a network of trunk
/// groups with ordered alternative routing and trunk reservation. Pure numbers: no
/// scenario, no simulation; `telsim analytic network` builds the input from a scenario.
///
/// The approximation, as implemented:
///  - Independence: the groups block independently of one another, so a chain of groups
///    passes a call with probability prod (1 - B_i) over its hops.
///  - Reduced load: the traffic offered to group j by one chain is the chain's offered
///    traffic thinned by the blocking of every OTHER group on the chain,
///    a x prod_{i != j} (1 - B_i); summed over every chain that uses j.
///  - Overflow: a demand's alternatives are tried in order; alternative k is offered what
///    alternatives 1..k-1 lost, a x prod_{k' < k} L_{k'}, where the loss of a chain is
///    L = 1 - prod (1 - B_i) along it. Overflow traffic is treated as Poisson: there is
///    no peakedness correction (Wilkinson's equivalent random method is not applied), so
///    the blocking met by overflow traffic is somewhat underestimated.
///  - Trunk reservation: a group of C circuits with `reserve` r is a birth-death chain on
///    0..C busy circuits whose arrival rate is the first-choice load plus the overflow load
///    below C - r busy circuits and the first-choice load alone from C - r on (unit
///    service rate, loads in Erlangs). First-choice requests (a demand's first alternative)
///    are blocked with P(C busy), overflow requests with P(at least C - r busy).
///    Without reservation both are Erlang B of the total load.
/// The fixed point is found by repeated substitution, starting from no blocking, with
/// damping halved whenever the residual grows (alternate routing can make the plain
/// iteration oscillate; the fixed point itself need not be unique there).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace telsim::analysis {

/// One trunk group.
struct FixedPointGroup {
  std::int64_t circuits = 1;  ///< at least 0
  std::int64_t reserve = 0;   ///< circuits only first-choice traffic may take, 0..circuits
};

/// One stream of traffic with its ordered alternatives.
struct FixedPointDemand {
  double offered_erlangs = 0.0;  ///< finite, at least 0
  /// Ordered alternatives, each a chain of group indices. The first is the first choice;
  /// every later one carries overflow. No alternative at all: the demand uses no group
  /// and is never lost.
  std::vector<std::vector<std::size_t>> alternatives;
};

struct FixedPointOptions {
  double tolerance = 1e-12;    ///< on the largest change of any blocking in one step
  int max_iterations = 10000;  ///< give up (converged = false) after this many steps
};

struct FixedPointGroupResult {
  double blocking = 0.0;           ///< met by first-choice requests: P(all C busy)
  double overflow_blocking = 0.0;  ///< met by overflow requests: P(>= C - reserve busy)
  double offered_first = 0.0;      ///< reduced first-choice load, Erlangs
  double offered_overflow = 0.0;   ///< reduced overflow load, Erlangs
  double carried =
      0.0;  ///< Erlangs: offered_first (1 - blocking) + offered_overflow (1 - overflow_blocking)
  double offered() const { return offered_first + offered_overflow; }
};

struct FixedPointDemandResult {
  double loss = 0.0;  ///< end to end: the product of the loss of every alternative
  /// Traffic offered to each alternative (a x the loss of the earlier ones), Erlangs.
  std::vector<double> offered_per_alternative;
};

struct FixedPointResult {
  bool converged = false;
  int iterations = 0;
  double residual = 0.0;  ///< the last step's largest change of a blocking
  std::vector<FixedPointGroupResult> groups;
  std::vector<FixedPointDemandResult> demands;
};

/// Blocking of one group with trunk reservation for two Poisson loads (see above):
/// {first-choice blocking, overflow blocking}. O(circuits), in long double with rescaling.
/// Throws std::invalid_argument on a negative or non-finite load, circuits < 0 or a reserve
/// outside 0..circuits.
struct ReservationBlocking {
  double first_choice;
  double overflow;
};
ReservationBlocking reservation_blocking(std::int64_t circuits, std::int64_t reserve,
                                         double first_choice_load, double overflow_load);

/// Solves the Erlang fixed point. O(iterations x (sum of circuits + sum of chain lengths)).
/// Does not throw on non-convergence: check `converged` (the result then holds the last
/// iterate). Throws std::invalid_argument on a bad input (a group index out of range, an
/// empty chain, a negative or non-finite load, a bad group), naming it.
FixedPointResult erlang_fixed_point(const std::vector<FixedPointGroup>& groups,
                                    const std::vector<FixedPointDemand>& demands,
                                    const FixedPointOptions& options = {});

}  // namespace telsim::analysis
