#pragma once

#include <cstdint>

namespace telsim::analysis {

/// Stationary figures of a primary group overflowing to a second group with trunk reservation.
/// Probabilities are call-averaged where they speak of calls (Poisson arrivals see time
/// averages) and time-averaged where they speak of groups.
struct OverflowReservation {
  /// P(primary group full): the primary group's call blocking (Erlang B of the primary).
  double primary_blocking;
  /// P(an overflowing call is refused by the second group | it overflowed), i.e.
  /// P(second busy >= second_circuits - reserve | primary full). When the primary group is
  /// never full (no overflowing traffic) this is the probability an overflow call WOULD be
  /// refused, P(second busy >= second_circuits - reserve), rather than 0/0.
  double overflow_call_blocking;
  /// P(second group full): the blocking of its first-choice stream.
  double first_choice_blocking;
  /// Fraction of the overflowing stream's calls lost on both groups
  /// (= primary_blocking x overflow_call_blocking).
  double lost_overflowing;
  /// Refused requests at the second group over requests there, both streams together
  /// (0 when the second group receives no requests).
  double second_call_blocking;
  /// Mean busy circuits (carried Erlangs) of the second group.
  double second_carried;
  /// Mean busy circuits (carried Erlangs) of the primary group.
  double primary_carried;
};

/// Exact stationary solution of the two-dimensional Markov chain (primary busy, second busy):
/// a primary group of `primary_circuits` is offered Poisson `overflowing_rate`; calls it
/// refuses overflow to a second group of `second_circuits`, which accepts them only while
/// busy < second_circuits - reserve (trunk reservation) and which also receives first-choice
/// Poisson `first_choice_rate`, accepted while busy < second_circuits. Holding times are
/// exponential with mean `mean_holding` (rates are per unit of the same time).
///
/// Solves pi Q = 0, sum pi = 1 with Eigen's SparseLU on Q^T (one balance equation replaced by
/// the normalisation). (primary + 1)(second + 1) states; memory and time grow faster than
/// linearly in that (LU fill-in): 100 x 100 circuits take milliseconds, and the function
/// refuses more than 4,000,000 states. Throws std::invalid_argument for negative circuits, a
/// reserve outside [0, second_circuits], negative or non-finite rates, a non-positive
/// mean_holding, or too many states; std::runtime_error if the factorisation fails.
OverflowReservation overflow_with_reservation(std::int64_t primary_circuits,
                                              double overflowing_rate, std::int64_t second_circuits,
                                              std::int64_t reserve, double first_choice_rate,
                                              double mean_holding);

}  // namespace telsim::analysis
