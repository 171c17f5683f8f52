// Finite sources that call only while idle: Engset's loss system. Call
// congestion (what an attempt sees) is Engset with N-1 sources, time
// congestion with N.
#include "telsim/analysis/erlang.hpp"
#include "validation_support.hpp"

namespace telsim::validation {
namespace {

constexpr const char* engset_scenario = R"(telsim: 1
name: engset-30-sources
seed: 77
replications: 10
warmup: 50
duration: 40000
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: sources, exchange: A, count: 30, lines: 1}
  - {name: far, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 10}
routes:
  - {from: A, to: B, via: [[AB]]}
traffic:
  - name: offered
    from: sources
    to: far
    arrivals: {per_idle_source: {rate: 0.25}}
    holding: {exponential: {mean: 1}}
)";

TEST(Engset, CallAndTimeCongestionMatchTheory) {
  const analysis::RunResults r = run_text(engset_scenario);
  const analysis::Engset e = analysis::engset(10, 30, 0.25);
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.call_blocking", e.call_congestion));
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.time_congestion", e.time_congestion));
  EXPECT_LT(half_width(r, "trunk_groups.AB.call_blocking"), 0.002);
  // Power: call congestion differs from time congestion by more than the
  // interval, so a simulator that let busy sources call (Erlang B) fails.
  EXPECT_GT(e.time_congestion - e.call_congestion,
            3.0 * half_width(r, "trunk_groups.AB.call_blocking"));
  EXPECT_GT(std::fabs(analysis::erlang_b(10, 30 * 0.25) - e.call_congestion),
            3.0 * half_width(r, "trunk_groups.AB.call_blocking"));
}

}  // namespace
}  // namespace telsim::validation
