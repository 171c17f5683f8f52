// The trunk-group figures of SPEC §5 that overflow theory needs, on calls placed at exact
// instants: reservation_blocking counts the requests refused with circuits free (only the
// reserve), busy_variance is the time-weighted variance of the busy circuits, and a
// relation's offered_erlangs is its measured calls x mean holding / duration.
#include <gtest/gtest.h>

#include "scripted_runs.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

// G has 2 circuits, 1 reserved for its first-choice traffic (b to a). At t = 10 a
// first-choice call takes one G circuit; at t = 20 an a-to-b call takes H's only circuit;
// at t = 30 the next a-to-b call finds H busy (refused: no circuit) and overflows to G,
// which refuses it with a circuit free (the reserve). All calls hold 100 s; the window is
// [0, 200).
constexpr const char* reserve_scenario = R"(telsim: 1
name: reserve
seed: 1
replications: 1
warmup: 0
duration: 200
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: a, exchange: A, count: 1, lines: unlimited}
  - {name: b, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: H, between: [A, B], circuits: 1}
  - {name: G, between: [A, B], circuits: 2, reserve: 1}
routes:
  - {from: A, to: B, via: [[H], [G]]}
  - {from: B, to: A, via: [[G]]}
traffic:
  - {name: overflowing, from: a, to: b, arrivals: {at: [20, 30]},
     holding: {deterministic: {value: 100}}}
  - {name: first-choice, from: b, to: a, arrivals: {at: [10]},
     holding: {deterministic: {value: 100}}}
)";

using testing::mean_of;

TEST(OverflowMoments, ReservationBlockingCountsOnlyRefusalsWithCircuitsFree) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(reserve_scenario, "reserve.yaml", {}, registry);
  const analysis::RunResults r = run_scenario(s, registry, RunOptions{});
  // G: two requests (t = 10 granted, t = 30 refused by the reserve).
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.G.call_blocking"), 0.5);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.G.reservation_blocking"), 0.5);
  // H: two requests (t = 20 granted, t = 30 refused with no circuit free: not the reserve).
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.H.call_blocking"), 0.5);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.H.reservation_blocking"), 0.0);
  // G holds 1 circuit during [10, 110) of [0, 200): mean 0.5, second moment 0.5, variance
  // 0.25, peakedness 0.5. H holds 1 during [20, 120): the same figures.
  for (const char* g : {"G", "H"}) {
    const std::string prefix = std::string("trunk_groups.") + g;
    EXPECT_DOUBLE_EQ(mean_of(r, prefix + ".carried_erlangs"), 0.5) << g;
    EXPECT_DOUBLE_EQ(mean_of(r, prefix + ".busy_variance"), 0.25) << g;
    EXPECT_DOUBLE_EQ(mean_of(r, prefix + ".peakedness"), 0.5) << g;
  }
  // Two measured calls x 100 s over 200 s; one call x 100 s over 200 s.
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.overflowing.offered_erlangs"), 1.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.first-choice.offered_erlangs"), 0.5);
  EXPECT_FALSE(r.metrics.contains("policies.x.offered_erlangs"));
}

}  // namespace
}  // namespace telsim::scenarios
