// Multi-rate calls (SPEC §3 "Bandwidth") on calls placed at exact instants: a call of a
// relation with `bandwidth: k` needs k usable free circuits on every hop and holds k;
// reservation admits other than first-choice traffic only while more than reserve + k - 1
// circuits are free; carried_erlangs counts circuits, call_blocking requests.
#include <gtest/gtest.h>

#include "scripted_runs.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

using testing::mean_of;
using testing::run_text;

constexpr const char* header = R"(telsim: 1
name: bandwidth
seed: 1
replications: 1
warmup: 0
duration: 200
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: a, exchange: A, count: 1, lines: unlimited}
  - {name: b, exchange: B, count: 1, lines: unlimited}
)";

// AB has 5 circuits. Wide calls (2 circuits) at t = 10 and 20 take 4; the one at t = 30
// finds 1 free and is refused. Each holds 100 s: 2 busy in [10, 20), 4 in [20, 110), 2 in
// [110, 120), over [0, 200).
TEST(Bandwidth, ACallHoldsItsBandwidthAndNeedsItFree) {
  const auto r =
      run_text(std::string(header) + R"(trunk_groups: [{name: AB, between: [A, B], circuits: 5}]
routes: [{from: A, to: B, via: [[AB]]}]
traffic:
  - {name: wide, from: a, to: b, arrivals: {at: [10, 20, 30]}, bandwidth: 2,
     holding: {deterministic: {value: 100}}}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AB.call_blocking"), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AB.carried_erlangs"),
                   (2 * 10 + 4 * 90 + 2 * 10) / 200.0);
  // Never all 5 busy: time congestion stays 0 although a call was refused.
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AB.time_congestion"), 0.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.first_attempt_failure.congestion"), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AB.reservation_blocking"), 0.0);
}

// G: 5 circuits, 1 reserved (overflow may use 4). H: 1 circuit, never enough for a wide
// call, which therefore overflows to G. t = 10: first-choice call (1 circuit) on G, busy 1.
// t = 20: wide overflow, 1 + 2 <= 4: granted, busy 3. t = 30: wide overflow, 3 + 2 > 4 but
// <= 5: refused by the reserve alone. t = 40: first-choice, 3 + 1 <= 5: granted, busy 4.
TEST(Bandwidth, ReservationAdmitsOverflowOnlyWithReservePlusBandwidthFree) {
  const auto r = run_text(std::string(header) + R"(trunk_groups:
  - {name: H, between: [A, B], circuits: 1}
  - {name: G, between: [A, B], circuits: 5, reserve: 1}
routes:
  - {from: A, to: B, via: [[H], [G]]}
  - {from: B, to: A, via: [[G]]}
traffic:
  - {name: wide, from: a, to: b, arrivals: {at: [20, 30]}, bandwidth: 2,
     holding: {deterministic: {value: 100}}}
  - {name: narrow, from: b, to: a, arrivals: {at: [10, 40]},
     holding: {deterministic: {value: 100}}}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.G.call_blocking"), 0.25);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.G.reservation_blocking"), 0.25);
  // H refuses both wide calls with its circuit free: too narrow, not reserved.
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.H.call_blocking"), 1.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.H.reservation_blocking"), 0.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.H.overflow_calls"), 2.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.first_attempt_failure.congestion"), 0.5);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.narrow.first_attempt_failure.congestion"), 0.0);
  // G: 1 busy [10, 20), 3 [20, 40), 4 [40, 110), 3 [110, 120), 1 [120, 140).
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.G.carried_erlangs"),
                   (1 * 10 + 3 * 20 + 4 * 70 + 3 * 10 + 1 * 20) / 200.0);
}

// A camp-on on congestion waits until its bandwidth is free on the first alternative:
// AB has 3 circuits; narrow (1) at t = 10 and wide (2) at t = 20 fill it; a second wide
// call at t = 30 camps on. The narrow call's end at t = 110 frees 1 circuit, not enough;
// the first wide call's end at t = 120 frees 3: the camper connects after 90 s.
TEST(Bandwidth, ATrunkCampOnWaitsForItsBandwidth) {
  const auto r =
      run_text(std::string(header) + R"(trunk_groups: [{name: AB, between: [A, B], circuits: 3}]
routes: [{from: A, to: B, via: [[AB]]}]
policies:
  camp: {type: campon, when: [congestion]}
traffic:
  - {name: narrow, from: a, to: b, arrivals: {at: [10]}, holding: {deterministic: {value: 100}}}
  - {name: wide, from: a, to: b, arrivals: {at: [20, 30]}, bandwidth: 2,
     holding: {deterministic: {value: 100}}, completion: camp}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.outcome.completed"), 0.5);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.completion_latency.mean"), 90.0);
  // Granted circuits are not new requests: narrow, wide, wide refused.
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AB.call_blocking"), 1.0 / 3.0);
}

// A camp-on call wider than its first alternative could never be served: the queue
// refuses it (rejected, then its fallback: none), and it is counted like any call.
TEST(Bandwidth, ACampOnWiderThanItsFirstAlternativeIsRejected) {
  const auto r =
      run_text(std::string(header) + R"(trunk_groups: [{name: AB, between: [A, B], circuits: 3}]
routes: [{from: A, to: B, via: [[AB]]}]
policies:
  camp: {type: campon, when: [congestion]}
traffic:
  - {name: wide, from: a, to: b, arrivals: {at: [3]}, bandwidth: 4, holding: 10,
     completion: camp}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.calls"), 1.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.outcome.rejected"), 1.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.wide.outcome.cleared"), 1.0);
}

// When the head of a trunk queue leaves (its patience ends), the next head may need
// fewer circuits than are free: it is served at once. AB has 3 circuits; w1 (2) holds
// 2 until 101, n0 (1) holds 1 until 5.5. W (2) camps at 2 with patience 5; N (1) camps
// at 3. At 5.5 one circuit frees: not enough for W. At 7 W leaves: N takes the free
// circuit, 4 s after its first attempt.
TEST(Bandwidth, ANarrowCallBehindAWideHeadThatLeavesIsServedAtOnce) {
  const auto r =
      run_text(std::string(header) + R"(trunk_groups: [{name: AB, between: [A, B], circuits: 3}]
routes: [{from: A, to: B, via: [[AB]]}]
policies:
  camp: {type: campon, when: [congestion], patience: 5}
  camplong: {type: campon, when: [congestion]}
traffic:
  - {name: w1, from: a, to: b, arrivals: {at: [1]}, holding: 100, bandwidth: 2}
  - {name: n0, from: a, to: b, arrivals: {at: [1.5]}, holding: 4}
  - {name: W, from: a, to: b, arrivals: {at: [2]}, holding: 10, bandwidth: 2, completion: camp}
  - {name: N, from: a, to: b, arrivals: {at: [3]}, holding: 10, completion: camplong}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.W.outcome.abandoned"), 1.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.N.outcome.completed"), 1.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.N.completion_latency.mean"), 4.0);
}

TEST(Bandwidth, PoissonErlangsOfferTheirTrafficThroughTheMeanHolding) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(
      std::string(header) + R"(trunk_groups: [{name: AB, between: [A, B], circuits: 5}]
routes: [{from: A, to: B, via: [[AB]]}]
traffic:
  - {name: t, from: a, to: b, arrivals: {poisson: {erlangs: 12}},
     holding: {exponential: {mean: 240}}}
)",
      "erlangs.yaml", {}, registry);
  EXPECT_DOUBLE_EQ(s.network.relations[0].arrivals.rate, 12.0 / 240.0);
  ASSERT_TRUE(s.network.relations[0].arrivals.erlangs.has_value());
  EXPECT_DOUBLE_EQ(*s.network.relations[0].arrivals.erlangs, 12.0);
}

}  // namespace
}  // namespace telsim::scenarios
