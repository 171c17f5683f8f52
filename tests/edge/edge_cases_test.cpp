// Edge cases of the model (issue 7), each checked against a figure that is
// known exactly or from theory, never just "it did not crash": horizons up to
// 1e9 s, loads from 1e-6 to 1e5 Erlang, 1 to 100,000 circuits, probabilities
// 0 and 1, zero holding times, events exactly at the end of the warm-up and
// at the horizon, a population of one address, a route of five hops.
//
// Statistical checks use the rule of tests/statistical: |simulated - theory|
// <= 3 x ci95 with fixed seeds. Exact checks compare per replication.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>

#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::edge {
namespace {

analysis::RunResults run_text(const std::string& yaml) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const scenarios::Scenario s = scenarios::load_scenario_text(yaml, "edge.yaml", {}, registry);
  scenarios::RunOptions options;
  options.threads = 2;
  return scenarios::run_scenario(s, registry, options);
}

analysis::Statistic stat(const analysis::RunResults& r, const std::string& path) {
  EXPECT_TRUE(r.metrics.contains(path)) << "no metric " << path;
  return r.metrics.statistic(path);
}

/// Replication i's value of `path` (NaN when it had no data).
double value(const analysis::RunResults& r, const std::string& path, std::size_t i) {
  const auto st = stat(r, path);
  if (i >= st.values.size() || !st.values[i]) return NAN;
  return *st.values[i];
}

::testing::AssertionResult agrees(const analysis::RunResults& r, const std::string& path,
                                  double theory) {
  const auto st = stat(r, path);
  if (!st.mean || !st.ci95) return ::testing::AssertionFailure() << path << ": no mean or ci95";
  const std::string text = path + ": simulated " + std::to_string(*st.mean) + " ± " +
                           std::to_string(*st.ci95) + ", theory " + std::to_string(theory);
  if (std::fabs(*st.mean - theory) <= 3.0 * *st.ci95) {
    return ::testing::AssertionSuccess() << text;
  }
  return ::testing::AssertionFailure() << text;
}

/// Every replication's value of `path` is exactly `expected`.
void all_exactly(const analysis::RunResults& r, const std::string& path, double expected) {
  const auto st = stat(r, path);
  ASSERT_EQ(st.values.size(), r.replications) << path;
  for (std::size_t i = 0; i < st.values.size(); ++i) {
    ASSERT_TRUE(st.values[i].has_value()) << path << " replication " << i;
    EXPECT_EQ(*st.values[i], expected) << path << " replication " << i;
  }
}

constexpr const char* two_exchanges = R"(
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: callers, exchange: A, count: 1000, lines: unlimited}
  - {name: callees, exchange: B, count: 1000, lines: unlimited}
routes: [{from: A, to: B, via: [[AB]]}]
)";

// 1e9 s of measured time: the clock must keep microseconds. A holding time
// of exactly 1 µs, at any time up to 1e9 s, must add exactly 1 µs of carried
// circuit time: carried_erlangs x duration / holding is the number of
// connected calls, give or take the one call that may straddle the horizon.
// A floating-point clock (1e9 s has an ulp of 0.12 µs in a double) or an
// overflow in ticks would miss this by far. A second group carries 1e-6
// Erlang (1 s calls at 1e-6 per second) against Erlang B on one circuit.
TEST(Horizon, BillionSecondsKeepMicrosecondsAndAMillionthOfAnErlang) {
  const auto r = run_text(R"(telsim: 1
name: edge-horizon
seed: 11
replications: 6
duration: 1e9
exchanges: [{name: A}, {name: B}, {name: C}]
subscribers:
  - {name: callers, exchange: A, count: 10, lines: unlimited}
  - {name: b, exchange: B, count: 10, lines: unlimited}
  - {name: c, exchange: C, count: 10, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 1}
  - {name: AC, between: [A, C], circuits: 1}
routes: [{from: A, to: B, via: [[AB]]}, {from: A, to: C, via: [[AC]]}]
traffic:
  - {name: micro, from: callers, to: b, arrivals: {poisson: {rate: 1e-6}}, holding: 0.000001}
  - {name: milli, from: callers, to: c, arrivals: {poisson: {rate: 1e-6}}, holding: 1}
)");
  const double duration = 1e9;
  for (std::size_t i = 0; i < r.replications; ++i) {
    const double calls = value(r, "traffic.micro.calls", i);
    const double connected = calls * value(r, "traffic.micro.outcome.connected", i);
    const double carried_us = value(r, "trunk_groups.AB.carried_erlangs", i) * duration * 1e6;
    EXPECT_GT(calls, 800) << "about 1000 calls in 1e9 s";
    EXPECT_NEAR(carried_us, std::round(connected), 1.0 + 1e-6 * connected) << "replication " << i;
  }
  EXPECT_TRUE(agrees(r, "traffic.micro.calls", 1e-6 * duration));
  const double a = 1e-6;  // Erlang
  EXPECT_TRUE(agrees(r, "trunk_groups.AC.carried_erlangs", a * (1 - analysis::erlang_b(1, a))));
}

// 1e5 Erlang offered to 100,000 circuits: Erlang B gives 0.2518%.
TEST(Load, HundredThousandErlangsOnHundredThousandCircuits) {
  const auto r = run_text(std::string(R"(telsim: 1
name: edge-big
seed: 5
replications: 4
warmup: 4
duration: 6
trunk_groups: [{name: AB, between: [A, B], circuits: 100000}]
traffic:
  - {from: callers, to: callees, arrivals: {poisson: {rate: 100000}}, holding: {exponential: {mean: 1}}}
)") + two_exchanges);
  const double b = analysis::erlang_b(100000, 1e5);
  EXPECT_NEAR(b, 0.002518, 1e-5);
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.call_blocking", b));
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.carried_erlangs", 1e5 * (1 - b)));
}

// One circuit offered 1 Erlang: Erlang B gives exactly 1/2.
TEST(Circuits, OneCircuitOneErlangBlocksHalf) {
  const auto r = run_text(std::string(R"(telsim: 1
name: edge-one
seed: 3
replications: 6
warmup: 10
duration: 20000
trunk_groups: [{name: AB, between: [A, B], circuits: 1}]
traffic:
  - {from: callers, to: callees, arrivals: {poisson: {rate: 1}}, holding: {exponential: {mean: 1}}}
)") + two_exchanges);
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.call_blocking", 0.5));
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.time_congestion", 0.5));
}

// Answer probability 0 and 1, redial persistence 0 and 1: exact counts.
TEST(Probabilities, ZeroAndOneAreExact) {
  const auto r = run_text(std::string(R"(telsim: 1
name: edge-prob
seed: 4
replications: 3
duration: 2000
trunk_groups: [{name: AB, between: [A, B], circuits: 1000}]
policies:
  never-again: {type: redial, persistence: 0, when: [no_answer]}
  five-times: {type: redial, persistence: 1, max_attempts: 5, delay: 1, when: [no_answer]}
traffic:
  - {name: never, from: callers, to: callees, arrivals: {poisson: {rate: 0.5}}, holding: 10,
     answer: {probability: 0}}
  - {name: always, from: callers, to: callees, arrivals: {poisson: {rate: 0.5}}, holding: 10,
     answer: {probability: 1, delay: 2, timeout: 30}}
  - {name: no-retry, from: callers, to: callees, arrivals: {poisson: {rate: 0.5}}, holding: 10,
     answer: {probability: 0}, completion: never-again}
  - {name: retry, from: callers, to: callees, arrivals: {poisson: {rate: 0.5}}, holding: 10,
     answer: {probability: 0}, completion: five-times}
)") + two_exchanges);
  all_exactly(r, "traffic.never.first_attempt_failure.no_answer", 1.0);
  all_exactly(r, "traffic.never.outcome.cleared", 1.0);
  all_exactly(r, "traffic.always.outcome.connected", 1.0);
  all_exactly(r, "traffic.always.first_attempt_failure.no_answer", 0.0);
  all_exactly(r, "traffic.always.answer_seizure_ratio", 1.0);
  all_exactly(r, "traffic.no-retry.outcome.cleared", 1.0);
  all_exactly(r, "trunk_groups.AB.call_blocking", 0.0);
  for (std::size_t i = 0; i < r.replications; ++i) {
    EXPECT_EQ(value(r, "traffic.no-retry.attempts", i), value(r, "traffic.no-retry.calls", i));
    EXPECT_EQ(value(r, "traffic.retry.attempts", i), 5 * value(r, "traffic.retry.calls", i));
    EXPECT_GT(value(r, "traffic.retry.calls", i), 800);
  }
  all_exactly(r, "traffic.retry.outcome.cleared", 1.0);
}

// Zero holding times, even with several arrivals per microsecond on one
// circuit: a call released at t frees its circuit for an arrival at t (SPEC
// §3), so nothing is ever refused and no circuit time is carried.
TEST(ZeroHolding, NothingCarriedNothingRefused) {
  const auto r = run_text(std::string(R"(telsim: 1
name: edge-zero
seed: 8
replications: 3
duration: 0.05
trunk_groups: [{name: AB, between: [A, B], circuits: 1}]
traffic:
  - {from: callers, to: callees, arrivals: {poisson: {rate: 2e6}}, holding: {deterministic: {value: 0}}}
)") + two_exchanges);
  for (std::size_t i = 0; i < r.replications; ++i) {
    EXPECT_GT(value(r, "traffic.callers-to-callees.calls", i), 90000);
  }
  all_exactly(r, "trunk_groups.AB.call_blocking", 0.0);
  all_exactly(r, "trunk_groups.AB.time_congestion", 0.0);
  all_exactly(r, "trunk_groups.AB.carried_erlangs", 0.0);
  all_exactly(r, "traffic.callers-to-callees.outcome.connected", 1.0);
}

// The measurement window is [warmup, warmup + duration): an event at exactly
// the end of the warm-up is measured, one at exactly the horizon is not
// (docs/design-decisions.md "Events at the window's edges"). With 2 arrivals
// per microsecond, arrivals fall exactly on both edges in every replication.
// The arrival streams do not depend on the window, so three runs that cut
// [0, W + D) at W must split it exactly: calls add up, and circuit time
// (calls in progress at W carried across the boundary) adds up.
TEST(Boundaries, WindowsSplitExactlyAtTheWarmup) {
  const auto scenario = [](double warmup, double duration) {
    return std::string(R"(telsim: 1
name: edge-window
seed: 21
replications: 4
warmup: )") +
           std::to_string(warmup) + "\nduration: " + std::to_string(duration) + R"(
trunk_groups: [{name: AB, between: [A, B], circuits: 100}]
traffic:
  - {from: callers, to: callees, arrivals: {poisson: {rate: 2e6}}, holding: 0.000005}
)" + two_exchanges;
  };
  const double w = 0.01;
  const double d = 0.01;
  const auto late = run_text(scenario(w, d));       // [W, W + D)
  const auto early = run_text(scenario(0, w));      // [0, W)
  const auto whole = run_text(scenario(0, w + d));  // [0, W + D)
  const std::string calls = "traffic.callers-to-callees.calls";
  const std::string carried = "trunk_groups.AB.carried_erlangs";
  const std::string refused = "trunk_groups.AB.call_blocking";
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(value(late, calls, i) + value(early, calls, i), value(whole, calls, i))
        << "replication " << i;
    const double split = value(late, carried, i) * d + value(early, carried, i) * w;
    EXPECT_NEAR(split, value(whole, carried, i) * (w + d), 1e-12 * value(whole, carried, i))
        << "replication " << i;
    EXPECT_GT(value(whole, calls, i), 35000);
    EXPECT_EQ(value(whole, refused, i), 0.0) << "10 Erlang on 100 circuits, 5 µs calls";
  }
  // 10 Erlang offered, nothing refused: 2e6/s x 5 µs.
  EXPECT_NEAR(*stat(whole, carried).mean, 10.0, 0.1);
}

// One address with one line calling while idle: an Engset source alone.
// Busy fraction r h / (1 + r h); its trunk circuit can never be refused.
// Poisson arrivals to a population of one: the caller is busy with the
// probability Erlang B gives one server (PASTA).
TEST(Population, OneAddress) {
  const auto r = run_text(R"(telsim: 1
name: edge-single
seed: 9
replications: 6
warmup: 100
duration: 100000
exchanges: [{name: A}, {name: B}, {name: C}]
subscribers:
  - {name: one, exchange: A, count: 1, lines: 1}
  - {name: lonely, exchange: C, count: 1, lines: 1}
  - {name: world, exchange: B, count: 100, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 1}
  - {name: CB, between: [C, B], circuits: 1}
routes: [{from: A, to: B, via: [[AB]]}, {from: C, to: B, via: [[CB]]}]
traffic:
  - {from: one, to: world, arrivals: {per_idle_source: {rate: 0.01}}, holding: {exponential: {mean: 50}}}
  - {from: lonely, to: world, arrivals: {poisson: {rate: 0.02}}, holding: {exponential: {mean: 50}}}
)");
  all_exactly(r, "trunk_groups.AB.call_blocking", 0.0);
  all_exactly(r, "trunk_groups.CB.call_blocking", 0.0);
  EXPECT_TRUE(agrees(r, "trunk_groups.AB.carried_erlangs", 0.5 / 1.5));
  EXPECT_TRUE(agrees(r, "trunk_groups.CB.carried_erlangs", 1.0 / 2.0));
  // caller_busy counts the arrivals that placed no call; calls counts the rest.
  double sum = 0;
  double sum_sq = 0;
  const std::size_t n = r.replications;
  for (std::size_t i = 0; i < n; ++i) {
    const double busy = value(r, "traffic.lonely-to-world.caller_busy", i);
    const double fraction = busy / (busy + value(r, "traffic.lonely-to-world.calls", i));
    sum += fraction;
    sum_sq += fraction * fraction;
  }
  const double mean = sum / static_cast<double>(n);
  const double sd = std::sqrt((sum_sq - sum * mean) / static_cast<double>(n - 1));
  const double ci95 = 2.571 * sd / std::sqrt(static_cast<double>(n));  // Student t, 5 d.f.
  EXPECT_NEAR(mean, analysis::erlang_b(1, 1.0), 3 * ci95) << "caller busy fraction";
}

// A route through five hops: the first hop refuses what Erlang B says; the
// four after it have the same circuits and see exactly the same calls, so
// they never refuse and carry exactly the same traffic.
TEST(Routes, FiveHops) {
  const auto r = run_text(R"(telsim: 1
name: edge-hops
seed: 13
replications: 6
warmup: 500
duration: 40000
exchanges: [{name: E0}, {name: E1}, {name: E2}, {name: E3}, {name: E4}, {name: E5}]
subscribers:
  - {name: src, exchange: E0, count: 100, lines: unlimited}
  - {name: dst, exchange: E5, count: 100, lines: unlimited}
trunk_groups:
  - {name: G1, between: [E0, E1], circuits: 10}
  - {name: G2, between: [E1, E2], circuits: 10}
  - {name: G3, between: [E2, E3], circuits: 10}
  - {name: G4, between: [E3, E4], circuits: 10}
  - {name: G5, between: [E4, E5], circuits: 10}
routes: [{from: E0, to: E5, via: [[G1, G2, G3, G4, G5]]}]
traffic:
  - {from: src, to: dst, arrivals: {poisson: {rate: 0.1}}, holding: {exponential: {mean: 80}}}
)");
  EXPECT_TRUE(agrees(r, "trunk_groups.G1.call_blocking", analysis::erlang_b(10, 8.0)));
  for (const char* g : {"G2", "G3", "G4", "G5"}) {
    const std::string group = std::string("trunk_groups.") + g;
    all_exactly(r, group + ".call_blocking", 0.0);
    for (std::size_t i = 0; i < r.replications; ++i) {
      EXPECT_EQ(value(r, group + ".carried_erlangs", i),
                value(r, "trunk_groups.G1.carried_erlangs", i))
          << g;
      EXPECT_EQ(value(r, group + ".time_congestion", i),
                value(r, "trunk_groups.G1.time_congestion", i))
          << g;
    }
  }
  EXPECT_TRUE(agrees(r, "traffic.src-to-dst.first_attempt_failure.congestion",
                     analysis::erlang_b(10, 8.0)));
}

}  // namespace
}  // namespace telsim::edge
