// CALLBACK (SPEC §3 "Completion policies"): the caller hangs up, is recalled
// when caller and callee are both idle, and the call is set up again.
//
// A caller released at once places further calls at the same tick (see
// policy_fixture.hpp); the caller exchanges allow one request per address, so
// those further calls are refused (`rejected`) and cleared at once, and each
// test picks out the one call that holds the request.
#include <gtest/gtest.h>

#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;

CompletionSupport one_request_per_address() {
  CompletionSupport c;
  c.max_per_address = 1;
  return c;
}

/// The calls of relation `r` that were not refused at the tick they were placed.
std::vector<std::size_t> accepted(const PolicyLog& log, RelationId r) {
  return log.of(r, [](const CallSummary& c) { return !c.rejected; });
}

/// Every call of relation `r` but the accepted one was refused and cleared at once.
void expect_others_refused(const PolicyLog& log, RelationId r) {
  for (const std::size_t i : log.of(r)) {
    const CallSummary& c = log.calls[i];
    if (!c.rejected) continue;
    EXPECT_EQ(c.outcome, CallOutcome::cleared);
    EXPECT_EQ(c.attempts, 1u);
    EXPECT_EQ(log.end_times[i], c.first_attempt_time);
  }
}

// SPEC: "the caller hangs up; the request queues FIFO at the callee; when the
// callee is idle and the caller is idle, the callee's line is reserved and the
// caller is recalled; ... on answer the call is set up again (routing and the
// callee's answer model apply ...)"; latency "runs from the moment the call's
// first attempt failed"; §5 `attempts` include recalls.
TEST(Callback, OnBusyReleasesTheCallerRecallsWhenBothAreIdleAndSetsUpAgain) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0),
                   address("z", 0, std::nullopt)};
  n.policies = {callback_policy("cb", 2700.0, answer(1.0, 5.0, 20.0))};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("a-to-z", 2, 3, 50.0, 10.0)};
  n.relations[1].answer = answer(1.0, 2.0, 10.0);  // b answers 2 s after it rings
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  struct Seen {
    RE event;
    std::uint32_t caller_lines, callee_lines;
    sim::Tick now;
  };
  std::vector<Seen> seen;
  run.log.probe = [&](const RequestRecord& r) {
    if (!is_refusal(r.event))
      seen.push_back({r.event, run.net.busy_lines(2, 0), run.net.busy_lines(1, 0), r.now});
  };
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  const auto main = accepted(log, 1);
  ASSERT_EQ(main.size(), 1u);
  const CallSummary& a = log.calls[main[0]];
  EXPECT_EQ(a.first_failure, FailureCause::busy);
  EXPECT_EQ(a.outcome, CallOutcome::completed);
  EXPECT_EQ(a.attempts, 2u) << "the first attempt and the recall";
  EXPECT_EQ(a.answered_attempts, 1u);
  // Recalled at 101, answers the recall at 106, b answers at 108.
  EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(98 * s));
  EXPECT_EQ(log.end_times[main[0]], 138 * s);
  expect_others_refused(log, 1);
  // The caller's line was free while the request waited: its call to z went through.
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].outcome, CallOutcome::connected);

  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].event, RE::requested);
  EXPECT_EQ(seen[1].event, RE::callee_free);
  EXPECT_EQ(seen[2].event, RE::recalled);
  EXPECT_EQ(seen[2].now, 101 * s);
  EXPECT_EQ(seen[2].caller_lines, 1u) << "the caller's phone rings";
  EXPECT_EQ(seen[2].callee_lines, 1u) << "the callee's line is reserved";
  EXPECT_EQ(seen[3].event, RE::recall_answered);
  EXPECT_EQ(seen[3].now, 106 * s);
  EXPECT_EQ(seen[3].callee_lines, 1u);
  EXPECT_EQ(seen[4].event, RE::connected);
  EXPECT_EQ(seen[4].now, 108 * s);
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// SPEC: "unanswered recall ... cancels (`recall_failed` ...)". The callee's
// line stays reserved while the recall rings.
TEST(Callback, UnansweredRecallIsRecallFailedAndReservesTheCalleeWhileItRings) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0), address("d", 0)};
  n.policies = {callback_policy("cb", 2700.0, answer(0.0, 0.0, 20.0))};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("d-to-b", 3, 1, 110.0, 5.0), call_at("d-to-b-later", 3, 1, 130.0, 5.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto main = accepted(log, 1);
  ASSERT_EQ(main.size(), 1u);
  const CallSummary& a = log.calls[main[0]];
  EXPECT_EQ(a.outcome, CallOutcome::recall_failed);
  EXPECT_EQ(a.attempts, 2u);
  EXPECT_EQ(a.answered_attempts, 0u);
  EXPECT_FALSE(a.completion_latency.has_value());
  EXPECT_EQ(log.end_times[main[0]], 121 * s) << "recalled at 101, recall timeout 20 s";
  EXPECT_EQ(log.times(0, RE::recall_failed), std::vector<sim::Tick>{121 * s});
  // d at 110 finds b's line reserved for the recall; at 130 it is free again.
  ASSERT_FALSE(log.of(2).empty());
  for (const std::size_t i : log.of(2)) EXPECT_EQ(log.calls[i].first_failure, FailureCause::busy);
  ASSERT_EQ(log.of(3).size(), 1u);
  EXPECT_EQ(log.calls[log.of(3)[0]].outcome, CallOutcome::connected);
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "`expiry` cancels (`expired`)".
TEST(Callback, ExpiryBeforeTheCalleeFreesIsExpired) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0)};
  n.policies = {callback_policy("cb", 50.0)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto main = accepted(log, 1);
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(log.calls[main[0]].outcome, CallOutcome::expired);
  EXPECT_EQ(log.calls[main[0]].attempts, 1u);
  EXPECT_FALSE(log.calls[main[0]].completion_latency.has_value());
  EXPECT_EQ(log.end_times[main[0]], 60 * s);
  EXPECT_EQ(log.times(0, RE::expired), std::vector<sim::Tick>{60 * s});
  EXPECT_EQ(log.count(0, RE::recalled), 0u) << "an expired request is no longer in b's queue";
  EXPECT_TRUE(all_idle(run.net, n));
}

// `expiry` per cause: SPEC "`expiry` may be a number or a map per cause".
TEST(Callback, ExpiryIsTakenForTheCauseOfTheFailure) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0)};
  n.policies = {callback_policy("cb")};
  n.policies[0].params["expiry"].expiry = {2700.0, 40.0, 7200.0};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto main = accepted(run.log, 1);
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(run.log.calls[main[0]].outcome, CallOutcome::expired);
  EXPECT_EQ(run.log.end_times[main[0]], 50 * s);
}

// Expiry at the very tick the callee's line frees. SPEC §3: "at equal times,
// releases come before seizures (a circuit or line freed at t is available to
// an arrival at t)": the line freed at 101 s is available to the request at
// 101 s, so the caller is recalled and the expiry scheduled for 101 s no
// longer runs. (Pinned: recall wins.)
TEST(Callback, ExpiryAtTheTickTheCalleeFreesLosesToTheRelease) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0)};
  n.policies = {callback_policy("cb", 91.0)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto main = accepted(run.log, 1);
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(run.log.calls[main[0]].outcome, CallOutcome::completed);
  EXPECT_EQ(run.log.calls[main[0]].completion_latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(run.log.times(0, RE::recalled), std::vector<sim::Tick>{101 * s});
  EXPECT_EQ(run.log.count(0, RE::expired), 0u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "if the caller is busy the request keeps its place and the next one is
// served". a1 (first in b's queue) is on another call when b frees; a2 is
// recalled; a1 is recalled the moment its own call ends.
TEST(Callback, BusyCallerKeepsItsPlaceAndTheNextRequestIsServed) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a1", 0), address("a2", 0),
                   address("z", 0, std::nullopt)};
  n.policies = {callback_policy("cb")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a1-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("a2-to-b", 3, 1, 20.0, 30.0, 0), call_at("a1-to-z", 2, 4, 50.0, 100.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto a1 = accepted(log, 1);
  const auto a2 = accepted(log, 2);
  ASSERT_EQ(a1.size(), 1u);
  ASSERT_EQ(a2.size(), 1u);
  EXPECT_EQ(log.calls[a2[0]].outcome, CallOutcome::completed);
  EXPECT_EQ(log.calls[a2[0]].completion_latency, std::optional<sim::Tick>(81 * s))
      << "recalled at 101";
  EXPECT_EQ(log.calls[a1[0]].outcome, CallOutcome::completed);
  EXPECT_EQ(log.calls[a1[0]].completion_latency, std::optional<sim::Tick>(140 * s))
      << "recalled at 150, when its call to z ends (b idle since 131)";
  EXPECT_EQ(log.times(0, RE::recalled), (std::vector<sim::Tick>{101 * s, 150 * s}));
  EXPECT_TRUE(all_idle(run.net, n));
}

// Both requests wait at b and both callers are idle: FIFO. And the callee's
// line reserved for the first recall holds the second back until it is free.
TEST(Callback, RequestsAtOneCalleeAreRecalledInFifoOrder) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a1", 0), address("a2", 0)};
  n.policies = {callback_policy("cb")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a2-to-b", 3, 1, 10.0, 30.0, 0),
                 call_at("a1-to-b", 2, 1, 20.0, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto first = accepted(log, 1);
  const auto second = accepted(log, 2);
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(log.calls[first[0]].completion_latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(log.calls[second[0]].completion_latency, std::optional<sim::Tick>(111 * s));
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "on answer the call is set up again (routing ... apply; any failure
// now ends the call `cleared`)". AB is full when a answers its recall.
TEST(Callback, SetUpThatMeetsCongestionClearsTheCall) {
  NetworkSpec n;
  n.exchanges = {exchange("A", one_request_per_address()), exchange("B")};
  n.populations = {address("a", 0), address("b", 1), address("h", 1), address("g", 0),
                   address("z", 1, std::nullopt)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {callback_policy("cb")};
  n.relations = {call_at("h-to-b", 2, 1, 1.0, 100.0), call_at("a-to-b", 0, 1, 10.0, 30.0, 0),
                 call_at("g-to-z", 3, 4, 50.0, 200.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto main = accepted(log, 1);
  ASSERT_EQ(main.size(), 1u);
  const CallSummary& a = log.calls[main[0]];
  EXPECT_EQ(a.first_failure, FailureCause::busy);
  EXPECT_EQ(a.outcome, CallOutcome::cleared);
  EXPECT_EQ(a.attempts, 2u);
  EXPECT_EQ(a.answered_attempts, 0u);
  EXPECT_FALSE(a.completion_latency.has_value());
  EXPECT_EQ(log.end_times[main[0]], 101 * s);
  EXPECT_EQ(log.times(0, RE::recall_answered), std::vector<sim::Tick>{101 * s});
  EXPECT_TRUE(all_idle(run.net, n));
}

// observer.hpp documents RequestEvent::setup_failed as "the recall's or return
// call's set-up failed (call cleared)". (A header contract, not SPEC.md.)
TEST(Callback, SetUpFailureAfterTheRecallIsAnnouncedAsSetupFailed) {
  NetworkSpec n;
  n.exchanges = {exchange("A", one_request_per_address()), exchange("B")};
  n.populations = {address("a", 0), address("b", 1), address("h", 1), address("g", 0),
                   address("z", 1, std::nullopt)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {callback_policy("cb")};
  n.relations = {call_at("h-to-b", 2, 1, 1.0, 100.0), call_at("a-to-b", 0, 1, 10.0, 30.0, 0),
                 call_at("g-to-z", 3, 4, 50.0, 200.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  EXPECT_EQ(run.log.times(0, RE::setup_failed), std::vector<sim::Tick>{101 * s});
}

// SPEC: "A request made on `no_answer` waits until the next call or intrusion
// involving the callee ends." a's call rings b unanswered until 30 s; both are
// idle from then on, but the recall waits for h's call with b to end at 150 s.
// The set-up then applies b's answer model again: answered, the call is
// completed; unanswered, it is cleared at the ring timeout.
TEST(Callback, RequestOnNoAnswerWaitsForTheNextCallInvolvingTheCalleeToEnd) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("a", 0), address("b", 0), address("h", 0)};
  n.policies = {callback_policy("ccnr", 2700.0, answer(1.0, 0.0, 20.0), {FailureCause::no_answer})};
  n.relations = {call_at("a-to-b", 0, 1, 10.0, 30.0, 0), call_at("h-to-b", 2, 1, 100.0, 50.0)};
  n.relations[0].answer = answer(0.5, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  std::size_t completed = 0, cleared = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    Sim run(n, registry, seed);
    ASSERT_EQ(run.go(), sim::RunStatus::done);
    const PolicyLog& log = run.log;
    ASSERT_EQ(log.of(0).size(), 1u) << "a rings b, holding its only line";
    const CallSummary& a = log.calls[log.of(0)[0]];
    if (a.first_failure != FailureCause::no_answer) continue;
    EXPECT_EQ(log.times(0, RE::requested), std::vector<sim::Tick>{30 * s}) << "seed " << seed;
    EXPECT_EQ(log.times(0, RE::recalled), std::vector<sim::Tick>{150 * s}) << "seed " << seed;
    EXPECT_EQ(a.attempts, 2u);
    if (a.outcome == CallOutcome::completed) {
      ++completed;
      EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(120 * s))
          << "from the ring timeout at 30 s";
      EXPECT_EQ(log.end_times[log.of(0)[0]], 180 * s);
    } else {
      ++cleared;
      EXPECT_EQ(a.outcome, CallOutcome::cleared) << "seed " << seed;
      EXPECT_EQ(log.end_times[log.of(0)[0]], 170 * s) << "seed " << seed;
    }
    EXPECT_TRUE(all_idle(run.net, n));
  }
  EXPECT_GT(completed, 0u);
  EXPECT_GT(cleared, 0u);
}

// An intrusion into the callee's call that outlasts that call: b's own call
// has ended (120 s) before a's request is made (150 s); the intrusion's end at
// 160 s is "the next ... intrusion involving the callee".
TEST(Callback, NoAnswerRequestIsArmedByTheEndOfAnIntrusionIntoTheCallee) {
  NetworkSpec n;
  CompletionSupport bridge;
  bridge.bridges = 1;
  n.exchanges = {exchange("X", bridge)};
  n.populations = {address("a", 0), address("b", 0), address("h", 0), address("x", 0)};
  n.policies = {callback_policy("ccnr", 2700.0, answer(1.0, 0.0, 20.0), {FailureCause::no_answer}),
                intrude_policy("intr")};
  n.relations = {call_at("h-to-b", 2, 1, 100.0, 20.0), call_at("x-to-b", 3, 1, 110.0, 50.0, 1),
                 call_at("a-to-b", 0, 1, 130.0, 30.0, 0)};
  n.relations[2].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  EXPECT_EQ(log.calls[log.of(1)[0]].outcome, CallOutcome::intruded);
  EXPECT_EQ(log.times(0, RE::requested), std::vector<sim::Tick>{150 * s});
  EXPECT_EQ(log.times(0, RE::recalled), std::vector<sim::Tick>{160 * s});
  EXPECT_TRUE(all_idle(run.net, n));
}

// The callee of a no_answer request makes an intrusion of its own: that is an
// intrusion involving the callee, so its end arms the request. (Reading of
// SPEC "the next call or intrusion involving the callee ends": the intruder
// is involved in its intrusion.)
TEST(Callback, NoAnswerRequestIsArmedByTheEndOfAnIntrusionMadeByTheCallee) {
  NetworkSpec n;
  CompletionSupport bridge;
  bridge.bridges = 1;
  n.exchanges = {exchange("X", bridge)};
  n.populations = {address("a", 0), address("x", 0), address("h", 0), address("y", 0)};
  n.policies = {callback_policy("ccnr", 2700.0, answer(1.0, 0.0, 20.0), {FailureCause::no_answer}),
                intrude_policy("intr")};
  n.relations = {call_at("a-to-x", 0, 1, 10.0, 30.0, 0), call_at("h-to-y", 2, 3, 40.0, 100.0),
                 call_at("x-to-y", 1, 3, 50.0, 20.0, 1)};
  n.relations[0].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].outcome, CallOutcome::intruded);
  EXPECT_EQ(log.end_times[log.of(2)[0]], 70 * s);
  EXPECT_EQ(log.times(0, RE::recalled), std::vector<sim::Tick>{70 * s});
  EXPECT_TRUE(all_idle(run.net, n));
}

// Callbacks wait behind camp-on calls at the freed callee (SPEC: "waiting
// camp-on calls are served first, then callback recalls, then message
// returns, each in FIFO order"), queued here in the opposite order.
TEST(Callback, FreedCalleeServesCampOnThenCallbackThenMessage) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("m", 0), address("k", 0),
                   address("c", 0)};
  n.policies = {message_policy("msg", 0.0), callback_policy("cb"), campon_policy("camp")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("m-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("k-to-b", 3, 1, 20.0, 30.0, 1), call_at("c-to-b", 4, 1, 30.0, 30.0, 2)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  EXPECT_EQ(log.times(2, RE::connected), std::vector<sim::Tick>{101 * s});
  EXPECT_EQ(log.times(1, RE::recalled), std::vector<sim::Tick>{131 * s});
  EXPECT_EQ(log.times(0, RE::message_returned), std::vector<sim::Tick>{161 * s});
  for (RelationId r = 1; r <= 3; ++r) {
    const auto main = accepted(log, r);
    ASSERT_EQ(main.size(), 1u);
    EXPECT_EQ(log.calls[main[0]].outcome, CallOutcome::completed) << "relation " << r;
  }
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
