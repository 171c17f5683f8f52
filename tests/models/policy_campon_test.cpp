// CAMPON (SPEC §3 "Completion policies"): waiting at a busy callee and for
// circuits, on tiny networks whose every time is known to the microsecond.
#include <gtest/gtest.h>

#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;
using Changes = std::vector<std::pair<sim::Tick, std::uint32_t>>;

std::size_t circuit_requests_on(const PolicyLog& log, TrunkGroupId g) {
  std::size_t n = 0;
  for (const auto& r : log.circuit_requests) n += r.group == g ? 1 : 0;
  return n;
}

// SPEC: "on `busy` the call waits in FIFO order at the callee, keeping its
// caller line and its circuits, and connects (no answer model) the moment a
// line frees ... Connecting is outcome `completed`, latency = the whole wait";
// §5: "a camp-on connection counts as answered".
TEST(CampOn, OnBusyKeepsCallerLineAndCircuitsAndConnectsTheMomentTheCalleeFrees) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 1), address("b", 1), address("a", 0)};
  n.trunk_groups = {group("AB", 0, 1, 2)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 50.0, 0)};
  // Nobody would answer a ringing call: the camped call connects without ringing.
  n.relations[1].answer = answer(0.0, 0.0, 30.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  struct Seen {
    RE event;
    std::uint32_t circuits, caller_lines, callee_lines;
    sim::Tick now;
  };
  std::vector<Seen> seen;
  run.log.probe = [&](const RequestRecord& r) {
    seen.push_back({r.event, run.net.busy_circuits(0), run.net.busy_lines(2, 0),
                    run.net.busy_lines(1, 0), r.now});
  };
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  ASSERT_EQ(log.of(0).size(), 1u);
  const sim::Tick h_end = log.end_times[log.of(0)[0]];
  EXPECT_EQ(h_end, 101 * s);
  ASSERT_EQ(log.of(1).size(), 1u) << "the waiting call holds its caller's only line";
  const std::size_t i = log.of(1)[0];
  const CallSummary& c = log.calls[i];
  EXPECT_EQ(c.first_failure, FailureCause::busy);
  EXPECT_EQ(c.outcome, CallOutcome::completed);
  EXPECT_EQ(c.first_attempt_time, 10 * s);
  EXPECT_EQ(c.attempts, 1u);
  EXPECT_EQ(c.answered_attempts, 1u) << "a camp-on connection counts as answered";
  ASSERT_TRUE(c.completion_latency.has_value());
  EXPECT_EQ(*c.completion_latency, h_end - 10 * s) << "latency is the whole wait";
  EXPECT_EQ(log.end_times[i], h_end + 50 * s) << "connected at the release, then its own holding";
  EXPECT_EQ(c.max_outstanding_requests, 1u);
  EXPECT_EQ(c.policies, std::vector<PolicyId>{0});

  // While waiting: caller line and the circuit on AB are held.
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].event, RE::requested);
  EXPECT_EQ(seen[0].now, 10 * s);
  EXPECT_EQ(seen[0].circuits, 1u);
  EXPECT_EQ(seen[0].caller_lines, 1u);
  EXPECT_EQ(seen[1].event, RE::callee_free);
  EXPECT_EQ(seen[1].now, h_end) << "served in the same tick as the release";
  EXPECT_EQ(seen[1].circuits, 1u);
  EXPECT_EQ(seen[1].caller_lines, 1u);
  EXPECT_EQ(seen[2].event, RE::connected);
  EXPECT_EQ(seen[2].now, h_end);
  EXPECT_EQ(log.changes_of(0), (Changes{{10 * s, 1}, {151 * s, 0}}));
  EXPECT_EQ(log.busy_at(0, 100 * s), 1u);
  EXPECT_EQ(circuit_requests_on(log, 0), 1u);
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// SPEC: "the call waits in FIFO order at the callee".
TEST(CampOn, CampersAtOneCalleeConnectInArrivalOrderEachAtThePreviousRelease) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("c1", 0), address("c2", 0),
                   address("c3", 0)};
  n.policies = {campon_policy("camp")};
  // c3 camps first, then c1, then c2.
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("c3-to-b", 4, 1, 10.0, 40.0, 0),
                 call_at("c1-to-b", 2, 1, 20.0, 40.0, 0), call_at("c2-to-b", 3, 1, 30.0, 40.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const sim::Tick connect[] = {101 * s, 141 * s, 181 * s};
  const double first[] = {10.0, 20.0, 30.0};
  for (RelationId r = 1; r <= 3; ++r) {
    ASSERT_EQ(log.of(r).size(), 1u);
    const CallSummary& c = log.calls[log.of(r)[0]];
    EXPECT_EQ(c.outcome, CallOutcome::completed) << "relation " << r;
    ASSERT_TRUE(c.completion_latency.has_value());
    EXPECT_EQ(*c.completion_latency, connect[r - 1] - sim::to_ticks(first[r - 1]))
        << "relation " << r;
    EXPECT_EQ(log.end_times[log.of(r)[0]], connect[r - 1] + 40 * s) << "relation " << r;
  }
  EXPECT_EQ(log.times(0, RE::connected), (std::vector<sim::Tick>{101 * s, 141 * s, 181 * s}));
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "when `patience` ends the request is cancelled (`abandoned`)";
// cancelling "releases whatever it holds and withdraws it from every queue".
TEST(CampOn, PatienceEndAbandonsReleasesLineAndCircuitAndLeavesTheQueue) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 1), address("b", 1), address("a1", 0), address("a2", 0)};
  n.trunk_groups = {group("AB", 0, 1, 5)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp30", 30.0), campon_policy("camp")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a1-to-b", 2, 1, 10.0, 50.0, 0),
                 call_at("a2-to-b", 3, 1, 20.0, 50.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  std::vector<std::uint32_t> a1_lines_when_a2_connects;
  run.log.probe = [&](const RequestRecord& r) {
    if (r.policy == 1 && r.event == RE::connected)
      a1_lines_when_a2_connects.push_back(run.net.busy_lines(2, 0));
  };
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  ASSERT_EQ(log.of(1).size(), 1u);
  const CallSummary& a1 = log.calls[log.of(1)[0]];
  EXPECT_EQ(a1.outcome, CallOutcome::abandoned);
  EXPECT_EQ(log.end_times[log.of(1)[0]], 40 * s) << "first attempt + patience";
  EXPECT_FALSE(a1.completion_latency.has_value());
  EXPECT_EQ(a1.answered_attempts, 0u);
  EXPECT_EQ(log.times(0, RE::abandoned), std::vector<sim::Tick>{40 * s});
  EXPECT_EQ(log.life(0), (std::vector<RE>{RE::requested, RE::abandoned}));

  // a2 queued behind a1, and is served as if a1 had never been there.
  ASSERT_EQ(log.of(2).size(), 1u);
  const CallSummary& a2 = log.calls[log.of(2)[0]];
  EXPECT_EQ(a2.outcome, CallOutcome::completed);
  EXPECT_EQ(*a2.completion_latency, 81 * s);
  EXPECT_EQ(log.life(1), (std::vector<RE>{RE::requested, RE::callee_free, RE::connected}));
  // a1's circuit went back at 40 s, a2's at its end.
  EXPECT_EQ(log.changes_of(0), (Changes{{10 * s, 1}, {20 * s, 2}, {40 * s, 1}, {151 * s, 0}}));
  EXPECT_EQ(a1_lines_when_a2_connects, std::vector<std::uint32_t>{0});
  EXPECT_TRUE(all_idle(run.net, n));
}

// Patience that ends at the very tick the callee's line frees. SPEC §3:
// "at equal times, releases come before seizures (a circuit or line freed at t
// is available to an arrival at t)": the line freed at t is the camper's at t,
// and the camper connects before its patience timer (scheduled at t) runs.
TEST(CampOn, PatienceEndingAtTheReleaseTickLosesToTheRelease) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("a", 0)};
  n.policies = {campon_policy("camp91", 91.0)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 20.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  ASSERT_EQ(run.log.of(1).size(), 1u);
  const CallSummary& a = run.log.calls[run.log.of(1)[0]];
  EXPECT_EQ(a.outcome, CallOutcome::completed);
  EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(run.log.count(0, RE::abandoned), 0u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "`queue_limit` (unlimited, per queue) ... a full queue refuses
// (`rejected`, then `fallback`)"; and "When a callee line frees, waiting camp-on
// calls are served first, then callback recalls".
TEST(CampOn, FullQueueRejectsTheNextCallAndItsFallbackTakesOver) {
  NetworkSpec n;
  CompletionSupport one;
  one.max_per_address = 1;  // absorbs the callback caller's further arrivals at 30 s
  n.exchanges = {exchange("X", one)};
  n.populations = {address("h", 0), address("b", 0), address("c1", 0), address("c2", 0),
                   address("c3", 0)};
  n.policies = {
      campon_policy("camp2", std::nullopt, 2, {FailureCause::busy, FailureCause::congestion}, 1),
      callback_policy("cb")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("c1-to-b", 2, 1, 10.0, 40.0, 0),
                 call_at("c2-to-b", 3, 1, 20.0, 40.0, 0), call_at("c3-to-b", 4, 1, 30.0, 40.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  for (RelationId r : {1u, 2u}) {
    ASSERT_EQ(log.of(r).size(), 1u);
    EXPECT_EQ(log.calls[log.of(r)[0]].outcome, CallOutcome::completed);
    EXPECT_FALSE(log.calls[log.of(r)[0]].rejected);
  }
  EXPECT_EQ(log.end_times[log.of(1)[0]], 141 * s);
  EXPECT_EQ(log.end_times[log.of(2)[0]], 181 * s);

  // c3: refused by the full queue, then the callback fallback recalls it once
  // both camp-on calls are through.
  const auto main =
      log.of(3, [](const CallSummary& c) { return c.outcome != CallOutcome::cleared; });
  ASSERT_EQ(main.size(), 1u);
  const CallSummary& c3 = log.calls[main[0]];
  EXPECT_TRUE(c3.rejected);
  EXPECT_FALSE(c3.unsupported);
  EXPECT_EQ(c3.outcome, CallOutcome::completed);
  EXPECT_EQ(c3.policies, (std::vector<PolicyId>{0, 1}));
  EXPECT_EQ(c3.attempts, 2u) << "the first attempt and the recall";
  EXPECT_EQ(c3.completion_latency, std::optional<sim::Tick>(151 * s));
  EXPECT_EQ(log.times(1, RE::recalled), std::vector<sim::Tick>{181 * s});
  EXPECT_EQ(log.count(0, RE::requested), 2u);
  // Every further call c3 placed at 30 s was refused by both (overrun at the callback).
  for (const std::size_t i : log.of(3)) {
    if (i == main[0]) continue;
    EXPECT_TRUE(log.calls[i].rejected);
    EXPECT_EQ(log.calls[i].outcome, CallOutcome::cleared);
  }
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "on `congestion` it waits, keeping only its caller line, in a FIFO
// queue for its first alternative, served when a release leaves a usable free
// circuit on every hop of it"; §5: "circuits granted to a waiting camp-on call
// are not new requests".
TEST(CampOn, OnCongestionHoldsOnlyTheCallerLineAndIsGrantedWithoutANewCircuitRequest) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 0), address("g", 1, std::nullopt), address("a", 0),
                   address("b", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 3, 10.0, 50.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  struct Seen {
    std::uint32_t circuits, caller_lines, callee_lines;
  };
  std::vector<Seen> at_request;
  run.log.probe = [&](const RequestRecord& r) {
    if (r.event == RE::requested) {
      at_request.push_back(
          {run.net.busy_circuits(0), run.net.busy_lines(2, 0), run.net.busy_lines(3, 0)});
    }
  };
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(at_request.size(), 1u);
  EXPECT_EQ(at_request[0].circuits, 1u) << "only h's circuit";
  EXPECT_EQ(at_request[0].caller_lines, 1u);
  EXPECT_EQ(at_request[0].callee_lines, 0u);

  ASSERT_EQ(log.of(1).size(), 1u);
  const CallSummary& a = log.calls[log.of(1)[0]];
  EXPECT_EQ(a.first_failure, FailureCause::congestion);
  EXPECT_EQ(a.outcome, CallOutcome::completed);
  EXPECT_EQ(a.attempts, 1u);
  EXPECT_EQ(a.answered_attempts, 1u);
  EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(log.end_times[log.of(1)[0]], 151 * s);
  EXPECT_EQ(log.changes_of(0), (Changes{{1 * s, 1}, {101 * s, 0}, {101 * s, 1}, {151 * s, 0}}));
  ASSERT_EQ(circuit_requests_on(log, 0), 2u)
      << "h's request and a's refused one; the grant is none";
  EXPECT_TRUE(log.circuit_requests[0].granted);
  EXPECT_FALSE(log.circuit_requests[1].granted);
  EXPECT_TRUE(all_idle(run.net, n));
}

// `queue_limit` is "per queue": the trunk queue for [AB] holds one camper, the
// next call meeting congestion is refused and cleared (fallback none), while
// the callee queue at b still takes one of its own.
TEST(CampOn, QueueLimitAppliesToTheTrunkQueueToo) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 0),  address("g", 1, std::nullopt),
                   address("a1", 0), address("a2", 0),
                   address("b1", 1), address("b2", 1),
                   address("k", 1),  address("c", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp1", std::nullopt, 1)};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0), call_at("a1-to-b1", 2, 4, 10.0, 10.0, 0),
                 call_at("a2-to-b2", 3, 5, 20.0, 10.0, 0), call_at("k-to-b1", 6, 4, 30.0, 50.0),
                 call_at("c-to-b1", 7, 4, 40.0, 10.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  EXPECT_EQ(log.calls[log.of(1)[0]].outcome, CallOutcome::completed);
  EXPECT_EQ(log.calls[log.of(1)[0]].completion_latency, std::optional<sim::Tick>(91 * s));
  ASSERT_FALSE(log.of(2).empty());
  for (const std::size_t i : log.of(2)) {
    EXPECT_TRUE(log.calls[i].rejected);
    EXPECT_EQ(log.calls[i].outcome, CallOutcome::cleared);
  }
  ASSERT_EQ(log.of(4).size(), 1u);
  EXPECT_FALSE(log.calls[log.of(4)[0]].rejected);
  EXPECT_EQ(log.calls[log.of(4)[0]].completion_latency, std::optional<sim::Tick>(40 * s));
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "and then goes on to the callee (camping on there under the same
// request if the callee is busy; `when` and `queue_limit` are not checked
// again)". The trunk camper's policy handles congestion only and its callee's
// queue is already at queue_limit when it gets there.
TEST(CampOn, GrantedTrunkCamperCampsOnAtTheBusyCalleeUnderTheSameRequest) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 0), address("g", 1, std::nullopt),
                   address("a", 0), address("b", 1),
                   address("k", 1), address("c", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("trunk-only", std::nullopt, 1, {FailureCause::congestion}),
                campon_policy("busy-only", std::nullopt, std::nullopt, {FailureCause::busy})};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0),    // AB busy until 101
                 call_at("k-to-b", 4, 3, 2.0, 200.0),    // b busy until 202
                 call_at("c-to-b", 5, 3, 5.0, 20.0, 1),  // camps at b first
                 call_at("a-to-b", 2, 3, 10.0, 50.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  ASSERT_EQ(log.of(3).size(), 1u);
  const CallSummary& a = log.calls[log.of(3)[0]];
  EXPECT_EQ(a.first_failure, FailureCause::congestion);
  EXPECT_EQ(a.outcome, CallOutcome::completed);
  EXPECT_FALSE(a.rejected);
  EXPECT_EQ(a.attempts, 1u);
  EXPECT_EQ(a.max_outstanding_requests, 1u);
  // c (queued at b at 5 s) first at 202, a behind it at 222.
  EXPECT_EQ(log.times(1, RE::connected), std::vector<sim::Tick>{202 * s});
  EXPECT_EQ(log.times(0, RE::connected), std::vector<sim::Tick>{222 * s});
  EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(212 * s));
  EXPECT_EQ(log.count(0, RE::requested), 1u)
      << "one request from the trunk queue to the connection";
  EXPECT_EQ(log.refusals(0), 0u);
  // a holds the AB circuit from its grant at 101 s while camped at b.
  EXPECT_EQ(log.changes_of(0), (Changes{{1 * s, 1}, {101 * s, 0}, {101 * s, 1}, {272 * s, 0}}));
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "One queue serves every call whose first alternative is the same chain
// of groups; where queues share a group, the earliest-queued head goes first".
// The [AB] queue is created first (by p, who leaves), so a first-created-queue
// order would pick r; the earliest-queued head is q of the [AB, BC] queue.
TEST(CampOn, EarliestQueuedHeadGoesFirstAcrossQueuesSharingAGroup) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B"), exchange("C")};
  n.populations = {address("h", 0), address("g", 1, std::nullopt),
                   address("p", 0), address("b1", 1),
                   address("q", 0), address("c", 2),
                   address("r", 0), address("b2", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1), group("BC", 1, 2, 5)};
  n.routes = {{0, 1, {{0}}}, {0, 2, {{0, 1}}}};
  n.policies = {campon_policy("impatient", 5.0), campon_policy("camp")};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0), call_at("p-to-b1", 2, 3, 5.0, 10.0, 0),
                 call_at("q-to-c", 4, 5, 20.0, 50.0, 1), call_at("r-to-b2", 6, 7, 30.0, 50.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  EXPECT_EQ(log.calls[log.of(1)[0]].outcome, CallOutcome::abandoned);
  ASSERT_EQ(log.of(2).size(), 1u);
  ASSERT_EQ(log.of(3).size(), 1u);
  const CallSummary& q = log.calls[log.of(2)[0]];
  const CallSummary& r = log.calls[log.of(3)[0]];
  EXPECT_EQ(q.outcome, CallOutcome::completed);
  EXPECT_EQ(r.outcome, CallOutcome::completed);
  EXPECT_EQ(q.completion_latency, std::optional<sim::Tick>(81 * s))
      << "q, queued at 20 s, goes first at 101 s";
  EXPECT_EQ(r.completion_latency, std::optional<sim::Tick>(121 * s))
      << "r, queued at 30 s, at q's end";
  EXPECT_TRUE(all_idle(run.net, n));
}

// The mirror image: the earlier head is in the queue created first.
TEST(CampOn, EarliestQueuedHeadGoesFirstWhicheverQueueWasCreatedFirst) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B"), exchange("C")};
  n.populations = {address("h", 0), address("g", 1, std::nullopt),
                   address("q", 0), address("c", 2),
                   address("r", 0), address("b2", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1), group("BC", 1, 2, 5)};
  n.routes = {{0, 1, {{0}}}, {0, 2, {{0, 1}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0), call_at("r-to-b2", 4, 5, 20.0, 50.0, 0),
                 call_at("q-to-c", 2, 3, 30.0, 50.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(1)[0]].completion_latency, std::optional<sim::Tick>(81 * s));
  EXPECT_EQ(log.calls[log.of(2)[0]].completion_latency, std::optional<sim::Tick>(121 * s));
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "a callee's own camp-on queue is served before trunk queues". x's end
// frees b's line and an AB circuit at once: c1 (camped at b, holding its own
// circuit) connects; c2 (waiting for AB) then gets the circuit, finds b busy
// again and camps on there, connecting at c1's end.
TEST(CampOn, CalleeQueueIsServedBeforeTheTrunkQueueWhenOneCallEndFreesBoth) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("x", 0), address("b", 1), address("c1", 0), address("c2", 0)};
  n.trunk_groups = {group("AB", 0, 1, 2)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("x-to-b", 0, 1, 1.0, 100.0), call_at("c1-to-b", 2, 1, 10.0, 60.0, 0),
                 call_at("c2-to-b", 3, 1, 20.0, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  ASSERT_EQ(log.of(2).size(), 1u);
  const CallSummary& c1 = log.calls[log.of(1)[0]];
  const CallSummary& c2 = log.calls[log.of(2)[0]];
  EXPECT_EQ(c1.first_failure, FailureCause::busy);
  EXPECT_EQ(c2.first_failure, FailureCause::congestion);
  EXPECT_EQ(c1.completion_latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(c2.completion_latency, std::optional<sim::Tick>(141 * s));
  EXPECT_EQ(log.times(0, RE::connected), (std::vector<sim::Tick>{101 * s, 161 * s}));
  EXPECT_EQ(log.count(0, RE::requested), 2u);
  EXPECT_EQ(
      log.changes_of(0),
      (Changes{{1 * s, 1}, {10 * s, 2}, {101 * s, 1}, {101 * s, 2}, {161 * s, 1}, {191 * s, 0}}));
  EXPECT_EQ(circuit_requests_on(log, 0), 3u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// A patient trunk camper: patience runs on while it waits at the callee after
// its grant, and abandoning there gives back both its line and its circuit.
TEST(CampOn, PatienceRunsOnAfterTheGrantAndAbandoningReleasesTheCircuit) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 0), address("g", 1, std::nullopt), address("a", 0), address("b", 1),
                   address("k", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp150", 150.0)};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0), call_at("k-to-b", 4, 3, 2.0, 500.0),
                 call_at("a-to-b", 2, 3, 10.0, 50.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].outcome, CallOutcome::abandoned);
  EXPECT_EQ(log.end_times[log.of(2)[0]], 160 * s);
  EXPECT_EQ(log.changes_of(0), (Changes{{1 * s, 1}, {101 * s, 0}, {101 * s, 1}, {160 * s, 0}}));
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
