#include "telsim/analysis/fixed_point.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "telsim/analysis/equivalent_random.hpp"
#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

using Chains = std::vector<std::vector<std::size_t>>;

TEST(ErlangFixedPoint, SingleGroupIsErlangB) {
  const auto fp = erlang_fixed_point({{20, 0}}, {{15.0, Chains{{0}}}});
  ASSERT_TRUE(fp.converged);
  EXPECT_NEAR(fp.groups[0].blocking, erlang_b(20, 15.0), 1e-15);
  EXPECT_EQ(fp.groups[0].first_choice_blocking, erlang_b(20, 15.0));
  EXPECT_NEAR(fp.groups[0].blocking, 0.04559, 5e-5);
  EXPECT_EQ(fp.groups[0].overflow_blocking, fp.groups[0].first_choice_blocking);
  EXPECT_DOUBLE_EQ(fp.groups[0].offered(), 15.0);
  EXPECT_DOUBLE_EQ(fp.groups[0].carried, 15.0 * (1.0 - erlang_b(20, 15.0)));
  EXPECT_NEAR(fp.demands[0].loss, fp.groups[0].blocking, 1e-15);  // 1 - (1 - B): rounding
}

TEST(ErlangFixedPoint, TinyLossesKeepTheirDigits) {
  // 1 - (1 - B) cancels for B = 2.5e-17: the loss must still be Erlang B, to 9 digits.
  const auto fp = erlang_fixed_point({{10, 0}}, {{0.1, Chains{{0}}}});
  ASSERT_TRUE(fp.converged);
  const double b = erlang_b(10, 0.1);
  ASSERT_LT(b, 1e-16);
  EXPECT_NEAR(fp.demands[0].loss / b, 1.0, 1e-9);
  // A two-hop chain loses about the sum of its hops' blockings.
  const auto two = erlang_fixed_point({{10, 0}, {10, 0}}, {{0.1, Chains{{0, 1}}}});
  ASSERT_TRUE(two.converged);
  EXPECT_NEAR(two.demands[0].loss / (two.groups[0].blocking + two.groups[1].blocking), 1.0, 1e-9);
}

TEST(ErlangBContinued, AnAbsurdlyLargeEquivalentGroupIsRefusedNotIteratedForMinutes) {
  EXPECT_THROW((void)erlang_b_continued(5e7, 1e8), std::domain_error);
}

TEST(ErlangFixedPoint, DemandWithoutAlternativesUsesNothing) {
  const auto fp = erlang_fixed_point({{5, 0}}, {{3.0, Chains{}}});
  ASSERT_TRUE(fp.converged);
  EXPECT_EQ(fp.demands[0].loss, 0.0);
  EXPECT_EQ(fp.groups[0].offered(), 0.0);
  EXPECT_EQ(fp.groups[0].blocking, 0.0);
}

// Two groups in tandem, a through demand on both and a local demand on each, against
// the fixed point iterated by hand (plain substitution, far past convergence).
TEST(ErlangFixedPoint, TandemMatchesHandIteratedFixedPoint) {
  const double through = 6.0, local1 = 4.0, local2 = 7.0;
  const auto fp =
      erlang_fixed_point({{12, 0}, {15, 0}},
                         {{through, Chains{{0, 1}}}, {local1, Chains{{0}}}, {local2, Chains{{1}}}});
  ASSERT_TRUE(fp.converged);
  double b1 = 0.0, b2 = 0.0;
  for (int i = 0; i < 500; ++i) {
    const double n1 = erlang_b(12, local1 + through * (1.0 - b2));
    const double n2 = erlang_b(15, local2 + through * (1.0 - b1));
    b1 = n1;
    b2 = n2;
  }
  EXPECT_NEAR(fp.groups[0].blocking, b1, 1e-10);
  EXPECT_NEAR(fp.groups[1].blocking, b2, 1e-10);
  EXPECT_NEAR(fp.demands[0].loss, 1.0 - (1.0 - b1) * (1.0 - b2), 1e-10);
  EXPECT_NEAR(fp.demands[1].loss, b1, 1e-10);
  EXPECT_NEAR(fp.demands[2].loss, b2, 1e-10);
  EXPECT_NEAR(fp.groups[0].offered(), local1 + through * (1.0 - b2), 1e-10);
  // The point is really a fixed point: not the first-step Erlang B of the raw loads.
  EXPECT_GT(std::abs(b1 - erlang_b(12, local1 + through)), 1e-3);
  // Carried traffic is the same counted per group or per demand.
  EXPECT_NEAR(fp.groups[0].carried, local1 * (1.0 - b1) + through * (1.0 - fp.demands[0].loss),
              1e-10);
}

// A symmetric triangle: each pair of nodes has a direct group and overflows over the
// two-hop path through the third node.
struct Triangle {
  std::vector<FixedPointGroup> groups;
  std::vector<FixedPointDemand> demands;
};
Triangle triangle(std::int64_t circuits, std::int64_t reserve, double load, bool alternatives) {
  // Groups: 0 = AB, 1 = BC, 2 = CA. Demands AB, BC, CA.
  Triangle t;
  t.groups.assign(3, {circuits, reserve});
  const Chains ab = alternatives ? Chains{{0}, {2, 1}} : Chains{{0}};
  const Chains bc = alternatives ? Chains{{1}, {0, 2}} : Chains{{1}};
  const Chains ca = alternatives ? Chains{{2}, {1, 0}} : Chains{{2}};
  t.demands = {{load, ab}, {load, bc}, {load, ca}};
  return t;
}

TEST(ErlangFixedPoint, SymmetricTriangleWithAlternateRoutingConverges) {
  const double load = 85.0;
  const std::int64_t circuits = 100;
  const auto direct = triangle(circuits, 0, load, false);
  const auto alt = triangle(circuits, 0, load, true);
  const auto fp_direct = erlang_fixed_point(direct.groups, direct.demands);
  const auto fp_alt = erlang_fixed_point(alt.groups, alt.demands);
  ASSERT_TRUE(fp_direct.converged);
  ASSERT_TRUE(fp_alt.converged) << fp_alt.iterations << " iterations, residual " << fp_alt.residual;
  // Symmetric in, symmetric out.
  EXPECT_NEAR(fp_alt.groups[0].blocking, fp_alt.groups[1].blocking, 1e-12);
  EXPECT_NEAR(fp_alt.groups[1].blocking, fp_alt.groups[2].blocking, 1e-12);
  const double no_alternative = erlang_b(circuits, load);
  EXPECT_NEAR(fp_direct.demands[0].loss, no_alternative, 1e-15);
  // At light load, alternate routing helps: the loss lies below that of direct routing
  // alone and above the full-sharing bound, Erlang B of all the traffic on all circuits
  // (no routing can beat pooling every circuit, each call taking one).
  const double pooled = erlang_b(3 * circuits, 3 * load);
  const double loss = fp_alt.demands[0].loss;
  EXPECT_LT(loss, no_alternative);
  EXPECT_GT(loss, pooled);
  // Each group sees more than its direct traffic: overflow adds to it.
  EXPECT_GT(fp_alt.groups[0].offered(), load * (1.0 - 1e-9));
  // The fixed point holds: each group's blockings are those of its offered traffic, the
  // overflow part peaked (ERT), so overflow meets more than first-choice traffic does.
  const auto& g = fp_alt.groups[0];
  const GroupBlocking b =
      group_blocking(circuits, 0, g.offered_first, g.offered_overflow, g.overflow_variance);
  EXPECT_NEAR(g.first_choice_blocking, b.first_choice, 1e-10);
  EXPECT_NEAR(g.overflow_blocking, b.overflow, 1e-10);
  EXPECT_GT(g.overflow_peakedness(), 1.0);
  EXPECT_GT(g.overflow_blocking, g.first_choice_blocking);
}

TEST(ReservationBlocking, NoReserveIsErlangBOfTheTotal) {
  const auto b = reservation_blocking(30, 0, 18.0, 7.0);
  EXPECT_NEAR(b.first_choice, erlang_b(30, 25.0), 1e-14);
  EXPECT_NEAR(b.overflow, erlang_b(30, 25.0), 1e-14);
}

TEST(ReservationBlocking, OnlyOverflowLoadIsErlangBOfTheUnreservedCircuits) {
  const auto b = reservation_blocking(14, 2, 0.0, 9.0);
  EXPECT_EQ(b.first_choice, 0.0);  // states above 12 are never reached
  EXPECT_NEAR(b.overflow, erlang_b(12, 9.0), 1e-14);
  const auto all = reservation_blocking(5, 5, 2.0, 3.0);
  EXPECT_EQ(all.overflow, 1.0);  // every circuit reserved: overflow never gets one
  EXPECT_NEAR(all.first_choice, erlang_b(5, 2.0), 1e-14);
}

TEST(ReservationBlocking, MatchesTheBirthDeathChainByHand) {
  // C = 3, r = 1: rates a1 + a2 in states 0, 1 and a1 in state 2.
  const double a1 = 1.5, a2 = 0.7;
  const double p0 = 1.0, p1 = (a1 + a2), p2 = p1 * (a1 + a2) / 2.0, p3 = p2 * a1 / 3.0;
  const double sum = p0 + p1 + p2 + p3;
  const auto b = reservation_blocking(3, 1, a1, a2);
  EXPECT_NEAR(b.first_choice, p3 / sum, 1e-15);
  EXPECT_NEAR(b.overflow, (p2 + p3) / sum, 1e-15);
}

TEST(ReservationBlocking, LargeGroupsDoNotOverflow) {
  const auto b = reservation_blocking(10000, 50, 9000.0, 800.0);
  EXPECT_TRUE(std::isfinite(b.first_choice));
  EXPECT_GT(b.overflow, b.first_choice);
  EXPECT_LE(b.overflow, 1.0);
}

TEST(ErlangFixedPoint, ReservationLowersOverflowAcceptance) {
  const double load = 90.0;
  const auto plain = triangle(100, 0, load, true);
  const auto reserved = triangle(100, 5, load, true);
  const auto fp_plain = erlang_fixed_point(plain.groups, plain.demands);
  const auto fp_reserved = erlang_fixed_point(reserved.groups, reserved.demands);
  ASSERT_TRUE(fp_plain.converged);
  ASSERT_TRUE(fp_reserved.converged);
  // Overflow requests meet more blocking with a reserve than first-choice ones do...
  EXPECT_GT(fp_reserved.groups[0].overflow_blocking, fp_reserved.groups[0].first_choice_blocking);
  // ...and than overflow requests without a reserve: less overflow is carried.
  EXPECT_GT(fp_reserved.groups[0].overflow_blocking, fp_plain.groups[0].overflow_blocking);
  const auto overflow_carried = [](const FixedPointGroupResult& g) {
    return g.offered_overflow * (1.0 - g.overflow_blocking);
  };
  EXPECT_LT(overflow_carried(fp_reserved.groups[0]), overflow_carried(fp_plain.groups[0]));
  // First-choice traffic is protected.
  EXPECT_LT(fp_reserved.groups[0].first_choice_blocking, fp_plain.groups[0].first_choice_blocking);
}

// Without a second alternative anywhere the model is Kelly's Erlang fixed point: Erlang B of
// each group's reduced load (with reservation, which then never applies), hops independent.
// Checked against that fixed point iterated here by hand on a small network of chains.
TEST(ErlangFixedPoint, ReducesToTheErlangFixedPointWithoutAlternatives) {
  const std::vector<FixedPointGroup> groups{{12, 0}, {15, 2}, {9, 0}, {30, 0}};
  const std::vector<FixedPointDemand> demands{{6.0, Chains{{0, 1}}},    {4.0, Chains{{0}}},
                                              {7.0, Chains{{1, 2, 3}}}, {3.5, Chains{{2}}},
                                              {20.0, Chains{{3}}},      {2.0, Chains{{3, 0}}}};
  const auto fp = erlang_fixed_point(groups, demands);
  ASSERT_TRUE(fp.converged);
  std::vector<double> b(groups.size(), 0.0);
  for (int i = 0; i < 2000; ++i) {
    std::vector<double> load(groups.size(), 0.0);
    for (const auto& d : demands) {
      const auto& chain = d.alternatives[0];
      for (const std::size_t j : chain) {
        double thin = 1.0;
        for (const std::size_t o : chain)
          if (o != j) thin *= 1.0 - b[o];
        load[j] += d.offered_erlangs * thin;
      }
    }
    for (std::size_t j = 0; j < groups.size(); ++j) b[j] = erlang_b(groups[j].circuits, load[j]);
  }
  for (std::size_t j = 0; j < groups.size(); ++j) {
    EXPECT_NEAR(fp.groups[j].first_choice_blocking, b[j], 1e-10) << j;
    EXPECT_NEAR(fp.groups[j].blocking, b[j], 1e-10) << j;  // every request meets b_j
    EXPECT_EQ(fp.groups[j].offered_overflow, 0.0) << j;
  }
  for (std::size_t r = 0; r < demands.size(); ++r) {
    double pass = 1.0;
    for (const std::size_t j : demands[r].alternatives[0]) pass *= 1.0 - b[j];
    EXPECT_NEAR(fp.demands[r].loss, 1.0 - pass, 1e-10) << r;
  }
}

// metro.yaml's shape: a direct group AB (265 circuits) offered 257.97 Erlang in two
// directions overflows onto a tandem pair AT-TB (14 circuits, 2 reserved) carrying nothing
// else. AT and TB carry the same calls, so the overflow meets the ERT blocking of the whole
// overflow on the 12 usable circuits, 0.415134 (equivalent_random_test), once per call.
TEST(ErlangFixedPoint, OverflowOntoAReservedTandemPairIsErt) {
  const double ab = 150.0, ba = 107.97;
  const auto fp = erlang_fixed_point({{265, 0}, {14, 2}, {14, 2}},
                                     {{ab, Chains{{0}, {1, 2}}}, {ba, Chains{{0}, {2, 1}}}});
  ASSERT_TRUE(fp.converged);
  const double b_ab = erlang_b(265, 257.97);
  const OverflowMoments o = riordan_overflow(265, 257.97);
  EXPECT_NEAR(fp.groups[0].blocking, b_ab, 1e-12);
  for (const std::size_t j : {1u, 2u}) {
    EXPECT_NEAR(fp.groups[j].offered_overflow, o.mean, 1e-6 * o.mean) << j;
    EXPECT_NEAR(fp.groups[j].overflow_variance, o.variance, 1e-6 * o.variance) << j;
    EXPECT_NEAR(fp.groups[j].overflow_blocking, 0.415134, 1e-5) << j;
    EXPECT_EQ(fp.groups[j].first_choice_blocking, 0.0) << j;  // 13 and 14 busy: unreachable
    EXPECT_NEAR(fp.groups[j].correlation, 1.0, 1e-9) << j;
  }
  EXPECT_NEAR(fp.demands[0].loss, b_ab * 0.415134, 1e-7);
  EXPECT_NEAR(fp.demands[1].loss, b_ab * 0.415134, 1e-7);
  // AT refuses the A side's overflow (its first hop) and passes all the B side's calls that
  // TB passed: requests ab + ba (1 - b), refusals ab b.
  const double b = fp.groups[1].overflow_blocking;
  EXPECT_NEAR(fp.groups[1].blocking, ab * b / (ab + ba * (1.0 - b)), 1e-9);
  EXPECT_NEAR(fp.groups[2].blocking, ba * b / (ba + ab * (1.0 - b)), 1e-9);
  // Far above what Poisson overflow would meet there (Erlang B of the mean on 12 circuits).
  EXPECT_GT(b, 5.0 * erlang_b(12, o.mean));
}

TEST(ErlangFixedPoint, OneOtherAlternativeSplitsTheOverflow) {
  FixedPointDemand d{40.0, Chains{{0}, {1}, {2}}, OverflowChoice::one_other};
  const auto fp = erlang_fixed_point({{35, 0}, {3, 0}, {6, 0}}, {d});
  ASSERT_TRUE(fp.converged);
  const double b0 = erlang_b(35, 40.0);
  ASSERT_EQ(fp.demands[0].offered_per_alternative.size(), 3u);
  EXPECT_NEAR(fp.demands[0].offered_per_alternative[1], 40.0 * b0 / 2.0, 1e-9);
  EXPECT_NEAR(fp.demands[0].offered_per_alternative[2], 40.0 * b0 / 2.0, 1e-9);
  const double loss = b0 * (fp.groups[1].overflow_blocking + fp.groups[2].overflow_blocking) / 2.0;
  EXPECT_NEAR(fp.demands[0].loss, loss, 1e-12);
  // Sequential would try both: less loss.
  d.choice = OverflowChoice::sequential;
  const auto seq = erlang_fixed_point({{35, 0}, {3, 0}, {6, 0}}, {d});
  EXPECT_LT(seq.demands[0].loss, fp.demands[0].loss);
}

TEST(ErlangFixedPoint, SmoothFirstChoiceTrafficIsHayward) {
  FixedPointDemand d{124.9, Chains{{0}}};
  d.peakedness = 0.9;
  const auto fp = erlang_fixed_point({{150, 0}}, {d});
  ASSERT_TRUE(fp.converged);
  EXPECT_NEAR(fp.groups[0].blocking, erlang_b_continued(150.0 / 0.9, 124.9 / 0.9), 1e-12);
  EXPECT_LT(fp.groups[0].blocking, erlang_b(150, 124.9));
}

TEST(ErlangFixedPoint, NonConvergenceIsReported) {
  FixedPointOptions options;
  options.max_iterations = 2;
  const auto fp =
      erlang_fixed_point({{12, 0}, {15, 0}}, {{6.0, Chains{{0, 1}}}, {4.0, Chains{{0}}}}, options);
  EXPECT_FALSE(fp.converged);
  EXPECT_EQ(fp.iterations, 2);
  EXPECT_GT(fp.residual, options.tolerance);
  ASSERT_EQ(fp.groups.size(), 2u);  // the last iterate is still reported
}

TEST(ErlangFixedPoint, RejectsBadInput) {
  EXPECT_THROW(erlang_fixed_point({{5, 0}}, {{1.0, Chains{{1}}}}), std::invalid_argument);
  EXPECT_THROW(erlang_fixed_point({{5, 0}}, {{1.0, Chains{{}}}}), std::invalid_argument);
  EXPECT_THROW(erlang_fixed_point({{5, 0}}, {{-1.0, Chains{{0}}}}), std::invalid_argument);
  EXPECT_THROW(erlang_fixed_point({{5, 6}}, {}), std::invalid_argument);
  EXPECT_THROW(erlang_fixed_point({{5, 0}}, {{NAN, Chains{{0}}}}), std::invalid_argument);
  EXPECT_THROW(erlang_fixed_point({{5, 0}}, {{1.0, Chains{{0}}, OverflowChoice::sequential, 1.5}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis
