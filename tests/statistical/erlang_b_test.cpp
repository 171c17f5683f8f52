// Lost calls cleared on one trunk group is Erlang's loss system: call
// blocking and time congestion are Erlang B, carried traffic A(1 - B).
#include <fmt/format.h>

#include "telsim/analysis/erlang.hpp"
#include "validation_support.hpp"

namespace telsim::validation {
namespace {

struct LossPoint {
  int circuits;
  double erlangs;
};

class ErlangB : public ::testing::TestWithParam<LossPoint> {};

std::string loss_scenario(const LossPoint& p) {
  return fmt::format(R"(telsim: 1
name: erlang-b-{0}-{1}
seed: 2024
replications: 10
warmup: 50
duration: 20000
exchanges: [{{name: A}}, {{name: B}}]
subscribers:
  - {{name: callers, exchange: A, count: 1, lines: unlimited}}
  - {{name: called, exchange: B, count: 1, lines: unlimited}}
trunk_groups:
  - {{name: AB, between: [A, B], circuits: {0}}}
routes:
  - {{from: A, to: B, via: [[AB]]}}
traffic:
  - name: offered
    from: callers
    to: called
    arrivals: {{poisson: {{rate: {1}}}}}
    holding: {{exponential: {{mean: 1}}}}
)",
                     p.circuits, p.erlangs);
}

TEST_P(ErlangB, BlockingCongestionAndCarriedTrafficMatchTheory) {
  const LossPoint p = GetParam();
  const analysis::RunResults r = run_text(loss_scenario(p));
  const double b = analysis::erlang_b(p.circuits, p.erlangs);
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.call_blocking", b));
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.time_congestion", b));
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.carried_erlangs", p.erlangs * (1.0 - b)));
  EXPECT_TRUE(agrees(r, "traffic.offered.first_attempt_failure.congestion", b));
  if (b > 0.01 && b < 0.05) {
    EXPECT_LT(half_width(r, "trunk_groups.AB.call_blocking"), 0.002);
  }
  // Power: the interval is tight enough to tell this group from one with a
  // circuit less, so a simulator off by one circuit fails.
  const double one_less = analysis::erlang_b(p.circuits - 1, p.erlangs);
  EXPECT_GT(one_less - b, 3.0 * half_width(r, "trunk_groups.AB.call_blocking"));
}

INSTANTIATE_TEST_SUITE_P(FromOneInAThousandToOneInFive, ErlangB,
                         ::testing::Values(LossPoint{40, 25.0},    // 0.14%
                                           LossPoint{20, 12.0},    // 0.98%
                                           LossPoint{20, 15.0},    // 4.6%
                                           LossPoint{10, 10.0}));  // 21.5%

}  // namespace
}  // namespace telsim::validation
