#pragma once
/// Multi-rate loss: one group of C circuits shared by Poisson classes, class k offering
/// a_k Erlangs of calls that each hold b_k circuits (SPEC §3 "Bandwidth", §4 `analytic
/// kaufman-roberts`). The occupancy distribution is product form and satisfies the
/// Kaufman-Roberts recursion j q(j) = sum_k a_k b_k q(j - b_k); class k is blocked when
/// fewer than b_k circuits are free (time congestion = call congestion, by PASTA).
#include <cstdint>
#include <vector>

namespace telsim::analysis {

struct TrafficClass {
  std::int64_t bandwidth = 1;  ///< circuits a call holds, at least 1
  double erlangs = 0.0;        ///< offered calls x mean holding time, finite, at least 0
};

struct KaufmanRoberts {
  std::vector<double> occupancy;       ///< P(j circuits busy), j = 0..C
  std::vector<double> class_blocking;  ///< per class, in the order given: P(free < b_k)
};

/// O(C x classes), in long double with rescaling (no overflow for any C a scenario can
/// have). Throws std::invalid_argument on circuits < 0 or above 10^8, no class, a bandwidth below 1
/// or a negative or non-finite load, naming it.
KaufmanRoberts kaufman_roberts(std::int64_t circuits, const std::vector<TrafficClass>& classes);

}  // namespace telsim::analysis
