// Kaufman-Roberts multi-rate loss against hand-computed and classical values.
#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/kaufman_roberts.hpp"

namespace telsim::analysis {
namespace {

TEST(KaufmanRoberts, TwoCircuitsByHand) {
  // C = 2; class 1: 1 circuit, 1 Erlang; class 2: 2 circuits, 1 Erlang.
  // q0 = 1, q1 = 1 x 1 x q0 = 1, q2 = (1 x 1 x q1 + 1 x 2 x q0) / 2 = 1.5; total 3.5.
  const KaufmanRoberts kr = kaufman_roberts(2, {{1, 1.0}, {2, 1.0}});
  ASSERT_EQ(kr.occupancy.size(), 3u);
  EXPECT_NEAR(kr.occupancy[0], 2.0 / 7.0, 1e-15);
  EXPECT_NEAR(kr.occupancy[1], 2.0 / 7.0, 1e-15);
  EXPECT_NEAR(kr.occupancy[2], 3.0 / 7.0, 1e-15);
  EXPECT_NEAR(kr.class_blocking[0], 3.0 / 7.0, 1e-15);  // all busy
  EXPECT_NEAR(kr.class_blocking[1], 5.0 / 7.0, 1e-15);  // fewer than 2 free
}

TEST(KaufmanRoberts, OneSingleCircuitClassIsErlangB) {
  for (const auto& [c, a] : {std::pair{10, 7.0}, {24, 15.0}, {120, 100.0}}) {
    const KaufmanRoberts kr = kaufman_roberts(c, {{1, a}});
    EXPECT_NEAR(kr.class_blocking[0], erlang_b(c, a), 1e-13) << c << " " << a;
  }
}

TEST(KaufmanRoberts, WiderClassesAreBlockedMoreAndTheDistributionSumsToOne) {
  const KaufmanRoberts kr = kaufman_roberts(30, {{1, 10.0}, {2, 4.0}, {5, 1.0}});
  EXPECT_LT(kr.class_blocking[0], kr.class_blocking[1]);
  EXPECT_LT(kr.class_blocking[1], kr.class_blocking[2]);
  EXPECT_NEAR(std::accumulate(kr.occupancy.begin(), kr.occupancy.end(), 0.0), 1.0, 1e-12);
}

TEST(KaufmanRoberts, LargeGroupsNeitherOverflowNorUnderflow) {
  const KaufmanRoberts kr = kaufman_roberts(20000, {{1, 15000.0}, {10, 600.0}});
  EXPECT_NEAR(std::accumulate(kr.occupancy.begin(), kr.occupancy.end(), 0.0), 1.0, 1e-9);
  EXPECT_GT(kr.class_blocking[1], kr.class_blocking[0]);
  EXPECT_GT(kr.class_blocking[0], 0.0);
}

TEST(KaufmanRoberts, AClassWiderThanTheGroupIsAlwaysBlocked) {
  EXPECT_DOUBLE_EQ(kaufman_roberts(3, {{1, 1.0}, {4, 1.0}}).class_blocking[1], 1.0);
}

TEST(KaufmanRoberts, BadInputIsRefused) {
  EXPECT_THROW(kaufman_roberts(-1, {{1, 1.0}}), std::invalid_argument);
  EXPECT_THROW(kaufman_roberts(5, {}), std::invalid_argument);
  EXPECT_THROW(kaufman_roberts(5, {{0, 1.0}}), std::invalid_argument);
  EXPECT_THROW(kaufman_roberts(5, {{1, -1.0}}), std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis
