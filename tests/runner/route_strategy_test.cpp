// Route strategies (SPEC §3): every strategy tries the first alternative first; then
// `sequential` tries the others in order, `random` one drawn uniformly, `dar` its current
// one (redrawn when it fails), `lba` the one whose busiest hop has the most usable free
// circuits (ties: the first listed).
#include <gtest/gtest.h>

#include <string>

#include "scripted_runs.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

using testing::mean_of;
using testing::run_text;

/// Calls at 3, 4, ..., 3 + n - 1 (an `at` list).
std::string times(int n) {
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(3 + i);
  }
  out += "]";
  return out;
}

// D (the first choice) is held by one long call from t = 1; X admits no overflow (2
// circuits, 1 reserved, 1 held by a long call of its own first-choice traffic from B);
// Y has room for every call. `calls` short calls then each
// fail on D and go on by the strategy.
std::string blocked_first_choice(const std::string& strategy, int calls, int replications) {
  return R"(telsim: 1
name: strategy
seed: 7
replications: )" +
         std::to_string(replications) + R"(
warmup: 0
duration: 2000
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: a, exchange: A, count: 1, lines: unlimited}
  - {name: b, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: D, between: [A, B], circuits: 1}
  - {name: X, between: [A, B], circuits: 2, reserve: 1}
  - {name: Y, between: [A, B], circuits: 5000}
routes:
  - {from: A, to: B, via: [[D], [X], [Y]], strategy: )" +
         strategy + R"(}
  - {from: B, to: A, via: [[X]]}
traffic:
  - {name: hog, from: a, to: b, arrivals: {at: [1]}, holding: {deterministic: {value: 3000}}}
  - {name: hog-x, from: b, to: a, arrivals: {at: [1]}, holding: {deterministic: {value: 3000}}}
  - {name: short, from: a, to: b, arrivals: {at: )" +
         times(calls) + R"(}, holding: {deterministic: {value: 0.5}}}
)";
}

TEST(RouteStrategy, SequentialGoesOnToEveryLaterAlternative) {
  const auto r = run_text(blocked_first_choice("sequential", 200, 1));
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.short.first_attempt_failure.congestion"), 0.0);
  // Every short call overflowed from D and from X.
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.D.overflow_calls"), 200.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.X.overflow_calls"), 200.0);
}

TEST(RouteStrategy, RandomTriesOneOtherAlternativeDrawnUniformly) {
  // Half the short calls draw X and fail there: 1000 calls, sd sqrt(0.25 / 1000) = 0.0158.
  const auto r = run_text(blocked_first_choice("random", 1000, 1));
  const double congestion = mean_of(r, "traffic.short.first_attempt_failure.congestion");
  EXPECT_GT(congestion, 0.5 - 4 * 0.0158);
  EXPECT_LT(congestion, 0.5 + 4 * 0.0158);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.D.overflow_calls"), 1000.0);
  // The call that failed on X does not move on: no overflow from the alternative it drew.
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.X.overflow_calls"), 0.0);
}

TEST(RouteStrategy, DarKeepsAnAlternativeThatWorksAndRedrawsOneThatFails) {
  // Each replication starts on X or Y; every failure on X redraws. Once on Y it stays
  // (Y never fails): the failures per replication are geometric, mean 1, whereas random
  // would fail half of the 500 calls.
  const int replications = 40;
  const auto r = run_text(blocked_first_choice("dar", 500, replications));
  const double congestion = mean_of(r, "traffic.short.first_attempt_failure.congestion");
  const double failures_per_replication = congestion * 500;
  EXPECT_GT(failures_per_replication, 0.3);
  EXPECT_LT(failures_per_replication, 2.5);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.X.overflow_calls"), 0.0);
}

// lba: D (first choice) is held; alternative 1 is AT1 (2 circuits) + T1B (5), alternative 2
// is AT2 (4) + T2B (3). At t = 20 the busiest hops leave 2 and 3 free: alternative 2. At
// t = 30 both leave 2: the first listed. Sequential would take alternative 1 both times.
TEST(RouteStrategy, LeastBusyTakesTheAlternativeWithMostFreeOnItsBusiestHop) {
  const auto r = run_text(R"(telsim: 1
name: lba
seed: 1
replications: 1
warmup: 0
duration: 200
exchanges: [{name: A}, {name: B}, {name: T1}, {name: T2}]
subscribers:
  - {name: a, exchange: A, count: 1, lines: unlimited}
  - {name: b, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: D, between: [A, B], circuits: 1}
  - {name: AT1, between: [A, T1], circuits: 2}
  - {name: T1B, between: [T1, B], circuits: 5}
  - {name: AT2, between: [A, T2], circuits: 4}
  - {name: T2B, between: [T2, B], circuits: 3}
routes:
  - {from: A, to: B, via: [[D], [AT1, T1B], [AT2, T2B]], strategy: lba}
traffic:
  - {name: calls, from: a, to: b, arrivals: {at: [10, 20, 30]},
     holding: {deterministic: {value: 100}}}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AT2.carried_erlangs"), 0.5);  // [20, 120)
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.AT1.carried_erlangs"), 0.5);  // [30, 130)
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.calls.first_attempt_failure.congestion"), 0.0);
}

TEST(RouteStrategy, LeastBusyCountsOnlyCircuitsUsableByOverflow) {
  // X has more free circuits than Y, but none that overflow may use: 9 circuits, 8
  // reserved, 1 held by its own first-choice traffic from B.
  const auto r = run_text(R"(telsim: 1
name: lba-reserve
seed: 1
replications: 1
warmup: 0
duration: 200
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: a, exchange: A, count: 1, lines: unlimited}
  - {name: b, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: D, between: [A, B], circuits: 1}
  - {name: X, between: [A, B], circuits: 9, reserve: 8}
  - {name: Y, between: [A, B], circuits: 3}
routes:
  - {from: A, to: B, via: [[D], [X], [Y]], strategy: lba}
  - {from: B, to: A, via: [[X]]}
traffic:
  - {name: hog-x, from: b, to: a, arrivals: {at: [1]}, holding: {deterministic: {value: 300}}}
  - {name: calls, from: a, to: b, arrivals: {at: [10, 20]},
     holding: {deterministic: {value: 100}}}
)");
  EXPECT_DOUBLE_EQ(mean_of(r, "traffic.calls.first_attempt_failure.congestion"), 0.0);
  EXPECT_DOUBLE_EQ(mean_of(r, "trunk_groups.Y.carried_erlangs"), 0.5);
}

TEST(RouteStrategy, NoTwoRoutesShareAStreamWhateverTheirExchangesAreCalled) {
  // Exchanges "A-B" to "C" and "A" to "B-C": joined with a '-', both streams would be
  // named route/A-B-C and the two routes would draw alike.
  auto scenario = [](int calls) {
    return std::string(R"(telsim: 1
name: names
seed: 5
replications: 1
warmup: 0
duration: 2000
exchanges: [{name: A-B}, {name: C}, {name: A}, {name: B-C}]
subscribers:
  - {name: p1, exchange: A-B, count: 1, lines: unlimited}
  - {name: p2, exchange: C, count: 1, lines: unlimited}
  - {name: p3, exchange: A, count: 1, lines: unlimited}
  - {name: p4, exchange: B-C, count: 1, lines: unlimited}
trunk_groups:
  - {name: D1, between: [A-B, C], circuits: 1}
  - {name: X1, between: [A-B, C], circuits: 2, reserve: 1}
  - {name: Y1, between: [A-B, C], circuits: 5000}
  - {name: D2, between: [A, B-C], circuits: 1}
  - {name: X2, between: [A, B-C], circuits: 2, reserve: 1}
  - {name: Y2, between: [A, B-C], circuits: 5000}
routes:
  - {from: A-B, to: C, via: [[D1], [X1], [Y1]], strategy: random}
  - {from: C, to: A-B, via: [[X1]]}
  - {from: A, to: B-C, via: [[D2], [X2], [Y2]], strategy: random}
  - {from: B-C, to: A, via: [[X2]]}
traffic:
  - {name: hog1, from: p1, to: p2, arrivals: {at: [1]}, holding: 3000}
  - {name: hogx1, from: p2, to: p1, arrivals: {at: [1]}, holding: 3000}
  - {name: hog2, from: p3, to: p4, arrivals: {at: [1]}, holding: 3000}
  - {name: hogx2, from: p4, to: p3, arrivals: {at: [1]}, holding: 3000}
  - {name: one, from: p1, to: p2, arrivals: {at: )") +
           times(calls) + R"(}, holding: 0.5}
  - {name: two, from: p3, to: p4, arrivals: {at: )" +
           times(calls) + R"(}, holding: 0.5}
)";
  };
  const auto r = run_text(scenario(1000));
  // Each route loses about half its calls on X; drawn alike, they would lose the same ones.
  // The carried circuits on Y1 and Y2 then differ (each Y holds the calls that drew it).
  EXPECT_NE(mean_of(r, "trunk_groups.Y1.carried_erlangs"),
            mean_of(r, "trunk_groups.Y2.carried_erlangs"));
}

TEST(RouteStrategy, AStrategyLeavesThePoissonTrafficAlone) {
  // Common random numbers: the route's draws have their own stream, so the offered calls
  // are the same whatever the strategy (and differences between strategies do show).
  auto scenario = [](const std::string& strategy) {
    return std::string(R"(telsim: 1
name: crn
seed: 3
replications: 2
warmup: 0
duration: 3000
exchanges: [{name: A}, {name: B}, {name: T}]
subscribers:
  - {name: a, exchange: A, count: 20, lines: unlimited}
  - {name: b, exchange: B, count: 20, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 3}
  - {name: AT, between: [A, T], circuits: 3}
  - {name: TB, between: [T, B], circuits: 3}
  - {name: AB2, between: [A, B], circuits: 2}
routes:
  - {from: A, to: B, via: [[AB], [AT, TB], [AB2]], strategy: )") +
           strategy + R"(}
traffic:
  - {name: t, from: a, to: b, arrivals: {poisson: {erlangs: 6}},
     holding: {exponential: {mean: 100}}}
)";
  };
  const auto sequential = run_text(scenario("sequential"));
  for (const char* strategy : {"random", "dar", "lba"}) {
    const auto other = run_text(scenario(strategy));
    EXPECT_EQ(mean_of(other, "traffic.t.calls"), mean_of(sequential, "traffic.t.calls"))
        << strategy;
    EXPECT_EQ(mean_of(other, "trunk_groups.AB.call_blocking"),
              mean_of(sequential, "trunk_groups.AB.call_blocking"))
        << strategy;  // lines never busy: the first choice sees the same calls and holdings
    EXPECT_NE(mean_of(other, "trunk_groups.AB2.carried_erlangs"),
              mean_of(sequential, "trunk_groups.AB2.carried_erlangs"))
        << strategy;
  }
}

}  // namespace
}  // namespace telsim::scenarios
