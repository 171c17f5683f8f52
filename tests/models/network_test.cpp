// Life cycle of calls in tiny networks whose outcome is known exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "network_fixture.hpp"

namespace telsim::models {
namespace {

using testing::Log;
using testing::redial_policy;
using testing::relation;
constexpr sim::Tick s = sim::ticks_per_second;

NetworkSpec one_exchange() {
  NetworkSpec n;
  n.exchanges = {{"X", {}}};
  return n;
}

TEST(Network, CallerWithOneLineIsBusyDuringItsCall) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 1, 1}, {"b", 0, 1, std::nullopt}};
  n.relations = {relation("a-to-b", 0, 1, 10.0, sim::Distribution::deterministic(100.0))};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 7, 0);
  Log log(&net);
  net.set_observer(&log);
  ASSERT_EQ(net.run(0, 1000 * s, {}), sim::RunStatus::done);
  // Calls cannot overlap: each holds the one line for exactly 100 s.
  ASSERT_GE(log.calls.size(), 9u);
  ASSERT_LE(log.calls.size(), 11u);
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    EXPECT_EQ(log.calls[i].outcome, CallOutcome::connected);
    EXPECT_EQ(log.end_times[i] - log.calls[i].first_attempt_time, 100 * s);
    if (i > 0) {
      EXPECT_GE(log.calls[i].first_attempt_time, log.end_times[i - 1]);
    }
  }
  // Every other arrival found the caller busy: about 10/s for 1000 s.
  EXPECT_GT(log.busy_callers.size(), 9000u);
  EXPECT_LT(log.busy_callers.size(), 11000u);
}

TEST(Network, UnlimitedLinesAreNeverBusy) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 1, std::nullopt}, {"b", 0, 1, std::nullopt}};
  n.relations = {relation("a-to-b", 0, 1, 5.0, sim::Distribution::exponential(50.0))};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 1, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 200 * s, {});
  EXPECT_TRUE(log.busy_callers.empty());
  for (const auto& c : log.calls) EXPECT_EQ(c.outcome, CallOutcome::connected);
  EXPECT_GT(log.calls.size(), 800u);
}

TEST(Network, BusyCalleeFailsTheAttemptAndNonePolicyClearsIt) {
  NetworkSpec n = one_exchange();
  // c occupies b's only line for ever; a's calls to b then all meet `busy`.
  n.populations = {{"a", 0, 1, std::nullopt}, {"b", 0, 1, 1}, {"c", 0, 1, std::nullopt}};
  n.relations = {relation("c-to-b", 2, 1, 100.0, sim::Distribution::deterministic(1e6)),
                 relation("a-to-b", 0, 1, 1.0, sim::Distribution::exponential(10.0))};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 3, 0);
  Log log;
  net.set_observer(&log);
  // Measure from t=10 s, when c's call surely holds the line.
  net.run(10 * s, 500 * s, {.max_events = 10'000'000, .max_pending = 1'000'000});
  std::size_t busy = 0;
  for (const auto& c : log.calls) {
    if (c.relation != 1 || !c.measured) continue;
    ++busy;
    EXPECT_EQ(c.first_failure, FailureCause::busy);
    EXPECT_EQ(c.outcome, CallOutcome::cleared);
    EXPECT_EQ(c.attempts, 1u);
    EXPECT_EQ(c.answered_attempts, 0u);
  }
  EXPECT_GT(busy, 400u);
}

TEST(Network, RedialStopsAfterMaxAttemptsCountingTheFirst) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 1, std::nullopt}, {"b", 0, 1, 1}, {"c", 0, 1, std::nullopt}};
  n.policies = {redial_policy("again", 5.0, 1.0, 3)};
  n.relations = {relation("c-to-b", 2, 1, 100.0, sim::Distribution::deterministic(1e6)),
                 relation("a-to-b", 0, 1, 0.5, sim::Distribution::exponential(10.0))};
  n.relations[1].policy = 0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 3, 0);
  Log log;
  net.set_observer(&log);
  net.run(10 * s, 300 * s, {});
  std::size_t seen = 0;
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    const auto& c = log.calls[i];
    if (c.relation != 1 || !c.measured) continue;
    ++seen;
    EXPECT_EQ(c.attempts, 3u);
    EXPECT_EQ(c.outcome, CallOutcome::cleared);
    ASSERT_EQ(c.policies.size(), 1u);
    EXPECT_EQ(c.policies[0], 0u);
    // Two redial delays of exactly 5 s between the first attempt and the end.
    EXPECT_EQ(log.end_times[i] - c.first_attempt_time, 10 * s);
  }
  EXPECT_GT(seen, 100u);
}

TEST(Network, RedialWithPersistenceZeroGivesUpAtOnce) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 1, std::nullopt}, {"b", 0, 1, 1}, {"c", 0, 1, std::nullopt}};
  n.policies = {redial_policy("never", 5.0, 0.0, std::nullopt)};
  n.relations = {relation("c-to-b", 2, 1, 100.0, sim::Distribution::deterministic(1e6)),
                 relation("a-to-b", 0, 1, 0.5, sim::Distribution::exponential(10.0))};
  n.relations[1].policy = 0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 3, 0);
  Log log;
  net.set_observer(&log);
  net.run(10 * s, 300 * s, {});
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    if (log.calls[i].relation != 1) continue;
    EXPECT_EQ(log.calls[i].attempts, 1u);
    EXPECT_EQ(log.end_times[i], log.calls[i].first_attempt_time);
  }
}

TEST(Network, RedialOutsideItsWhenListIsCleared) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 1, std::nullopt}, {"b", 0, 1, 1}, {"c", 0, 1, std::nullopt}};
  n.policies = {redial_policy("on-congestion", 5.0, 1.0, std::nullopt, {FailureCause::congestion})};
  n.relations = {relation("c-to-b", 2, 1, 100.0, sim::Distribution::deterministic(1e6)),
                 relation("a-to-b", 0, 1, 0.5, sim::Distribution::exponential(10.0))};
  n.relations[1].policy = 0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 3, 0);
  Log log;
  net.set_observer(&log);
  net.run(10 * s, 300 * s, {});
  for (const auto& c : log.calls) {
    if (c.relation != 1) continue;
    EXPECT_EQ(c.attempts, 1u);
    EXPECT_TRUE(c.policies.empty()) << "a policy outside its `when` has not acted";
  }
}

TEST(Network, RedialThatGetsThroughIsCompletedWithItsLatency) {
  NetworkSpec n = one_exchange();
  // b is busy with c's 20 s calls about half of the time; a redials every 3 s.
  n.populations = {{"a", 0, 5, std::nullopt}, {"b", 0, 1, 1}, {"c", 0, 1, std::nullopt}};
  n.policies = {redial_policy("again", 3.0, 1.0, std::nullopt)};
  n.relations = {relation("c-to-b", 2, 1, 0.05, sim::Distribution::deterministic(20.0)),
                 relation("a-to-b", 0, 1, 0.05, sim::Distribution::deterministic(1.0))};
  n.relations[1].policy = 0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 11, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 20000 * s, {});
  std::size_t completed = 0;
  std::size_t connected = 0;
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    const auto& c = log.calls[i];
    if (c.relation != 1) continue;
    if (c.outcome == CallOutcome::connected) {
      ++connected;
      EXPECT_EQ(c.attempts, 1u);
      EXPECT_FALSE(c.completion_latency.has_value());
    } else {
      ASSERT_EQ(c.outcome, CallOutcome::completed);
      ++completed;
      ASSERT_TRUE(c.completion_latency.has_value());
      // Every wait is a whole number of 3 s redial delays.
      EXPECT_EQ(*c.completion_latency % (3 * s), 0);
      EXPECT_EQ(*c.completion_latency, 3 * s * (c.attempts - 1));
      EXPECT_EQ(c.answered_attempts, 1u);
    }
  }
  EXPECT_GT(completed, 50u);
  EXPECT_GT(connected, 200u);
}

TEST(Network, RingTimeoutFailsWithNoAnswerAtTheTimeout) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 10, 1}, {"b", 0, 10, 1}};
  n.relations = {relation("a-to-b", 0, 1, 0.1, sim::Distribution::exponential(10.0))};
  n.relations[0].answer.probability = 0.0;
  n.relations[0].answer.timeout = 30.0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 5, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 2000 * s, {});
  ASSERT_FALSE(log.calls.empty());
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    if (log.calls[i].first_failure != FailureCause::no_answer) continue;
    EXPECT_EQ(log.end_times[i] - log.calls[i].first_attempt_time, 30 * s);
    EXPECT_EQ(log.calls[i].outcome, CallOutcome::cleared);
  }
}

TEST(Network, WithoutTimeoutAnUnansweredAttemptFailsAtOnce) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 10, 1}, {"b", 0, 10, 1}};
  n.relations = {relation("a-to-b", 0, 1, 0.1, sim::Distribution::exponential(10.0))};
  n.relations[0].answer.probability = 0.0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 5, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 2000 * s, {});
  ASSERT_FALSE(log.calls.empty());
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    EXPECT_EQ(log.calls[i].first_failure, FailureCause::no_answer);
    EXPECT_EQ(log.end_times[i], log.calls[i].first_attempt_time);
  }
}

TEST(Network, AnswerDelayAtOrBeyondTheTimeoutIsNoAnswer) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 10, 1}, {"b", 0, 10, 1}};
  n.relations = {relation("a-to-b", 0, 1, 0.1, sim::Distribution::deterministic(10.0))};
  n.relations[0].answer.delay = sim::Distribution::uniform(0.0, 20.0);
  n.relations[0].answer.timeout = 10.0;
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 9, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 5000 * s, {});
  std::size_t answered = 0;
  std::size_t unanswered = 0;
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    const sim::Tick span = log.end_times[i] - log.calls[i].first_attempt_time;
    if (log.calls[i].outcome == CallOutcome::connected) {
      ++answered;
      EXPECT_LT(span, 20 * s);  // ringing < 10 s, then 10 s of holding
      EXPECT_GE(span, 10 * s);
    } else if (log.calls[i].first_failure == FailureCause::no_answer) {
      ++unanswered;
      EXPECT_EQ(span, 10 * s);
    }
  }
  // Half the delays fall beyond the timeout.
  EXPECT_NEAR(static_cast<double>(answered) / static_cast<double>(answered + unanswered), 0.5,
              0.08);
}

TEST(Network, MeasuredCallsAreThoseWhoseFirstAttemptFallsInTheWindow) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 100, std::nullopt}, {"b", 0, 100, std::nullopt}};
  n.relations = {relation("a-to-b", 0, 1, 2.0, sim::Distribution::deterministic(50.0))};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 2, 0);
  Log log;
  net.set_observer(&log);
  net.run(100 * s, 300 * s, {});
  bool measured_after_horizon_ended = false;
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    const sim::Tick t = log.calls[i].first_attempt_time;
    EXPECT_EQ(log.calls[i].measured, t >= 100 * s && t < 300 * s);
    if (log.calls[i].measured && log.end_times[i] >= 300 * s) measured_after_horizon_ended = true;
  }
  // The run follows every measured call to its end, past the horizon.
  EXPECT_TRUE(measured_after_horizon_ended);
  EXPECT_EQ(net.measured_calls_in_progress(), 0u);
}

TEST(Network, CalleeIsNeverTheCallerInsideOnePopulation) {
  NetworkSpec n = one_exchange();
  n.populations = {{"homes", 0, 3, 1}};
  n.relations = {relation("homes-to-homes", 0, 0, 1.0, sim::Distribution::exponential(1.0))};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 4, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 3000 * s, {});
  std::set<std::pair<AddressId, AddressId>> pairs;
  for (const auto& c : log.calls) {
    EXPECT_NE(c.caller, c.callee);
    pairs.insert({c.caller, c.callee});
  }
  EXPECT_EQ(pairs.size(), 6u);  // every ordered pair of distinct addresses occurs
}

TEST(Network, ProfileMultiplierZeroStopsArrivals) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 10, std::nullopt}, {"b", 0, 10, std::nullopt}};
  n.relations = {relation("a-to-b", 0, 1, 1.0, sim::Distribution::deterministic(1.0))};
  n.relations[0].arrivals.profile = {{100.0, 3.0}, {200.0, 0.0}};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 8, 0);
  Log log;
  net.set_observer(&log);
  net.run(0, 1000 * s, {});
  std::size_t before = 0, peak = 0;
  for (const auto& c : log.calls) {
    EXPECT_LT(c.first_attempt_time, 200 * s);
    (c.first_attempt_time < 100 * s ? before : peak) += 1;
  }
  EXPECT_NEAR(static_cast<double>(before), 100.0, 35.0);
  EXPECT_NEAR(static_cast<double>(peak), 300.0, 60.0);
}

NetworkSpec two_routes_with_reservation() {
  NetworkSpec n;
  n.exchanges = {{"A", {}}, {"B", {}}, {"T", {}}};
  n.populations = {{"a", 0, 1, std::nullopt}, {"b", 1, 1, std::nullopt}};
  n.trunk_groups = {{"AB", {0, 1}, 3, 0}, {"AT", {0, 2}, 4, 2}, {"TB", {2, 1}, 5, 0}};
  n.routes = {{0, 1, {{0}, {1, 2}}}};
  n.relations = {relation("a-to-b", 0, 1, 3.0, sim::Distribution::exponential(1.0))};
  return n;
}

TEST(Network, OverflowTrafficCannotTakeReservedCircuits) {
  const NetworkSpec n = two_routes_with_reservation();
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 12, 0);
  Log log(&net);
  net.set_observer(&log);
  net.run(0, 5000 * s, {});
  std::size_t overflow_requests = 0;
  for (const auto& r : log.requests) {
    if (r.group != 1) continue;  // AT is only ever an overflow hop, with reserve 2 of 4
    ++overflow_requests;
    EXPECT_EQ(r.granted, r.busy_before < 2) << "at " << r.now;
  }
  EXPECT_GT(overflow_requests, 100u);
  // Every overflow announced is on AB, the first alternative, with the second left to try.
  for (const auto g : log.overflows) EXPECT_EQ(g, 0u);
  EXPECT_FALSE(log.overflows.empty());
}

TEST(Network, RefusedHopGivesBackTheCircuitsItsAlternativeHadSeized) {
  const NetworkSpec n = two_routes_with_reservation();
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 13, 0);
  Log log(&net);
  net.set_observer(&log);
  net.run(0, 5000 * s, {});
  // Busy counts never exceed circuits and the last change leaves a state
  // that matches the network's own count.
  std::vector<std::uint32_t> last(3, 0);
  for (const auto& c : log.changes) {
    EXPECT_LE(c.busy, n.trunk_groups[c.group].circuits);
    last[c.group] = c.busy;
  }
  for (TrunkGroupId g = 0; g < 3; ++g) EXPECT_EQ(last[g], net.busy_circuits(g));
  // A call that met congestion holds nothing once it ended.
  for (const auto& c : log.calls) {
    if (c.first_failure == FailureCause::congestion) {
      EXPECT_EQ(c.outcome, CallOutcome::cleared);
    }
  }
}

TEST(Network, SameSeedSameHistoryDifferentReplicationDifferentHistory) {
  const NetworkSpec n = two_routes_with_reservation();
  const PolicyRegistry registry = builtin_policy_registry();
  auto history = [&](std::uint64_t replication) {
    Network net(n, registry, 99, replication);
    Log log;
    net.set_observer(&log);
    net.run(0, 500 * s, {});
    std::vector<sim::Tick> times;
    for (const auto& c : log.calls) times.push_back(c.first_attempt_time);
    return times;
  };
  EXPECT_EQ(history(0), history(0));
  EXPECT_NE(history(0), history(1));
}

TEST(Network, EventLimitStopsARunawayReplication) {
  NetworkSpec n = one_exchange();
  n.populations = {{"a", 0, 10, std::nullopt}, {"b", 0, 10, std::nullopt}};
  n.relations = {relation("a-to-b", 0, 1, 1000.0, sim::Distribution::exponential(1.0))};
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 1, 0);
  EXPECT_EQ(net.run(0, 1000 * s, {.max_events = 5000, .max_pending = 1'000'000}),
            sim::RunStatus::event_limit);
  EXPECT_EQ(net.scheduler().events_executed(), 5000u);
}

}  // namespace
}  // namespace telsim::models
