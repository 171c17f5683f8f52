// The overflow moments of the results (SPEC §5 busy_variance, peakedness) against
// Riordan's formulas: Poisson traffic offered to a primary group P of n circuits overflows
// to a secondary group S large enough never to block, so S holds exactly the overflow
// traffic; its carried Erlangs and the time-weighted variance of its busy circuits are
// the overflow's mean M = A B(n, A) and variance V = M (1 - M + A / (n + 1 - A + M)).
#include <fmt/format.h>

#include "telsim/analysis/erlang.hpp"
#include "validation_support.hpp"

namespace telsim::validation {
namespace {

std::string overflow_scenario(int n, double a, int seed) {
  return fmt::format(R"(telsim: 1
name: riordan
seed: {}
replications: 10
warmup: 50
duration: 20000
exchanges: [{{name: A}}, {{name: B}}]
subscribers:
  - {{name: a, exchange: A, count: 1, lines: unlimited}}
  - {{name: b, exchange: B, count: 1, lines: unlimited}}
trunk_groups:
  - {{name: P, between: [A, B], circuits: {}}}
  - {{name: S, between: [A, B], circuits: 200}}
routes:
  - {{from: A, to: B, via: [[P], [S]]}}
traffic:
  - name: offered
    from: a
    to: b
    arrivals: {{poisson: {{rate: {}}}}}
    holding: {{exponential: {{mean: 1}}}}
)",
                     seed, n, a);
}

struct Case {
  int circuits;
  double erlangs;
};

class Riordan : public ::testing::TestWithParam<Case> {};

TEST_P(Riordan, OverflowMeanAndVarianceOnTheSecondaryGroup) {
  const Case c = GetParam();
  const analysis::RunResults r = run_text(overflow_scenario(c.circuits, c.erlangs, 11));
  const analysis::OverflowMoments m = analysis::riordan_overflow(c.circuits, c.erlangs);
  EXPECT_TRUE(agrees(r, "trunk_groups.S.carried_erlangs", m.mean));
  EXPECT_TRUE(agrees(r, "trunk_groups.S.busy_variance", m.variance));
  EXPECT_TRUE(agrees(r, "trunk_groups.S.peakedness", m.peakedness));
  // The primary group carries Poisson-fed circuits: its own variance is that of the
  // truncated Poisson (Erlang's loss system), peakedness below 1.
  EXPECT_LT(*r.metrics.statistic("trunk_groups.P.peakedness").mean, 1.0);
  // Power: the overflow is visibly peakier than Poisson traffic of the same mean.
  EXPECT_GT(m.variance - m.mean, 3.0 * half_width(r, "trunk_groups.S.busy_variance"));
  EXPECT_TRUE(agrees(r, "traffic.offered.offered_erlangs", c.erlangs));
}

INSTANTIATE_TEST_SUITE_P(
    Groups, Riordan, ::testing::Values(Case{3, 3.0}, Case{5, 4.0}, Case{10, 8.0}, Case{10, 10.0}),
    [](const auto& info) {
      return fmt::format("n{}_A{}", info.param.circuits, static_cast<int>(info.param.erlangs));
    });

}  // namespace
}  // namespace telsim::validation
