#include "telsim/analysis/ctmc.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

TEST(OverflowReservation, PrimaryOnlyIsErlangB) {
  // No second group: the overflowing stream is lost on the primary only.
  const auto r = overflow_with_reservation(12, 2.0, 0, 0, 0.0, 5.0);  // A = 10 Erlangs
  EXPECT_NEAR(r.primary_blocking, erlang_b(12, 10.0), 1e-12);
  EXPECT_NEAR(r.lost_overflowing, erlang_b(12, 10.0), 1e-12);
  EXPECT_NEAR(r.primary_carried, 10.0 * (1 - erlang_b(12, 10.0)), 1e-10);
  EXPECT_DOUBLE_EQ(r.overflow_call_blocking, 1.0);
  EXPECT_NEAR(r.second_carried, 0.0, 1e-12);
}

TEST(OverflowReservation, FirstChoiceOnlyIsErlangBOnTheSecondGroup) {
  const auto r = overflow_with_reservation(5, 0.0, 20, 3, 1.5, 10.0);  // A = 15 Erlangs
  EXPECT_NEAR(r.first_choice_blocking, erlang_b(20, 15.0), 1e-12);
  EXPECT_NEAR(r.second_call_blocking, erlang_b(20, 15.0), 1e-12);
  EXPECT_NEAR(r.second_carried, 15.0 * (1 - erlang_b(20, 15.0)), 1e-10);
  EXPECT_NEAR(r.primary_blocking, 0.0, 1e-12);
}

TEST(OverflowReservation, PrimaryMarginalIsErlangBWhateverTheSecondGroup) {
  const auto r = overflow_with_reservation(8, 0.7, 10, 2, 0.4, 10.0);
  EXPECT_NEAR(r.primary_blocking, erlang_b(8, 7.0), 1e-12);
}

TEST(OverflowReservation, WithoutReservationTheTwoGroupsLoseLikeOneBigGroup) {
  // Sequential hunting over c1 + c2 identical exponential circuits: the total busy count is
  // a birth-death chain, so the overflowing stream's loss is B(c1 + c2, A).
  const auto r = overflow_with_reservation(6, 1.0, 4, 0, 0.0, 7.0);
  EXPECT_NEAR(r.lost_overflowing, erlang_b(10, 7.0), 1e-12);
  EXPECT_NEAR(r.primary_carried + r.second_carried, 7.0 * (1 - erlang_b(10, 7.0)), 1e-10);
  EXPECT_NEAR(r.lost_overflowing, r.primary_blocking * r.overflow_call_blocking, 1e-14);
}

TEST(OverflowReservation, NoPrimaryMatchesTheBirthDeathChainWithReservation) {
  // c1 = 0: every overflowing call reaches the second group, which is then a birth-death
  // chain with birth rate l1 + l2 below c2 - r and l2 above.
  const double l1 = 0.6, l2 = 0.5, h = 10.0;
  const int c2 = 9, reserve = 3;
  std::vector<double> p(c2 + 1);
  p[0] = 1;
  for (int j = 1; j <= c2; ++j) {
    const double birth = j - 1 < c2 - reserve ? l1 + l2 : l2;
    p[j] = p[j - 1] * birth * h / j;
  }
  double sum = 0;
  for (double x : p) sum += x;
  double refused_overflow = 0;
  for (int j = c2 - reserve; j <= c2; ++j) refused_overflow += p[j] / sum;
  const auto r = overflow_with_reservation(0, l1, c2, reserve, l2, h);
  EXPECT_NEAR(r.primary_blocking, 1.0, 1e-12);
  EXPECT_NEAR(r.overflow_call_blocking, refused_overflow, 1e-12);
  EXPECT_NEAR(r.first_choice_blocking, p[c2] / sum, 1e-12);
  EXPECT_NEAR(r.second_call_blocking, (l1 * refused_overflow + l2 * p[c2] / sum) / (l1 + l2),
              1e-12);
}

TEST(OverflowReservation, ReservationProtectsFirstChoiceTraffic) {
  const auto open = overflow_with_reservation(10, 1.0, 10, 0, 0.6, 10.0);
  const auto reserved = overflow_with_reservation(10, 1.0, 10, 3, 0.6, 10.0);
  EXPECT_LT(reserved.first_choice_blocking, open.first_choice_blocking);
  EXPECT_GT(reserved.overflow_call_blocking, open.overflow_call_blocking);
  EXPECT_NEAR(open.primary_blocking, reserved.primary_blocking, 1e-12);
}

TEST(OverflowReservation, SolvesAHundredByAHundred) {
  const auto r = overflow_with_reservation(100, 9.5, 100, 5, 8.0, 10.0);
  EXPECT_NEAR(r.primary_blocking, erlang_b(100, 95.0), 1e-10);
  EXPECT_GT(r.first_choice_blocking, 0.0);
  EXPECT_LT(r.first_choice_blocking, 1.0);
}

TEST(OverflowReservation, RejectsBadArguments) {
  EXPECT_THROW((void)overflow_with_reservation(-1, 1, 1, 0, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)overflow_with_reservation(1, 1, 4, 5, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)overflow_with_reservation(1, -1, 4, 0, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)overflow_with_reservation(1, 1, 4, 0, 1, 0), std::invalid_argument);
  EXPECT_THROW((void)overflow_with_reservation(10000, 1, 10000, 0, 1, 1), std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis
