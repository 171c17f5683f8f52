// SPEC §3 "Serving at an instant" and "Event order", case by case: each
// scenario places its calls at exact instants and checks the contract's
// latencies, and runs in every release order that could have changed them:
// the call that frees the resources placed in either direction (so that
// either side's line is released first, and the hops in either order), and
// with the release order inside each event scrambled by the network's test
// switch. Every variant must give the same calls, outcomes, latencies and
// end times.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "call_rows.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;

// (1) A freed line goes to its own address's camp-on queue first, whichever
// side of the ending call held it. x's call with y ends at 101 s; w camps on
// at x since 10 s and y asked at 20 s (on its second line) to be called back
// by x. w connects at 101 s; y's recall must wait until x is idle again at
// 151 s, whether x was the caller of the ending call (its line released
// last, after y's) or its callee.
TEST(ServiceOrder, FreedLineGoesToItsOwnCampOnQueueBeforeAnyRecall) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("y", 0, 2), address("w", 0)};
    n.policies = {campon_policy("camp"), callback_policy("cb")};
    n.relations = {
        reversed ? call_at("y-to-x", 1, 0, 1.0, 100.0) : call_at("x-to-y", 0, 1, 1.0, 100.0),
        call_at("w-to-x", 2, 0, 10.0, 50.0, 0), call_at("y-to-x-cb", 1, 0, 20.0, 30.0, 1)};
    return n;
  };
  const auto all = run_every_order(build);
  const CallRow camper = row_of(all, 1);
  EXPECT_EQ(camper.outcome, CallOutcome::completed);
  EXPECT_EQ(camper.latency, std::optional<sim::Tick>(91 * s));
  const CallRow recalled = row_of(all, 2);
  EXPECT_EQ(recalled.outcome, CallOutcome::completed);
  EXPECT_EQ(recalled.latency, std::optional<sim::Tick>(131 * s)) << "recalled at 151 s, not 101 s";
  EXPECT_EQ(recalled.end, 181 * s);
}

// (2) Trunk camp-on queues: the earliest-queued head first among every queue
// that can be served, not group by group in release order. a1's call to c1
// holds AB and BC until 101 s. Queued before then: b1 on [BC] at 10 s, a3 on
// [AB, BC] at 20 s, a2 on [AB] at 30 s. At 101 s b1 goes first (BC), then
// a3 cannot (BC is taken) and a2 takes AB; a3 gets both at 181 s, when a2's
// call ends (b1's ended at 151 s). The ending call runs A-C or C-A, so its
// hops are released in either order.
TEST(ServiceOrder, EarliestQueuedTrunkCamperFirstWhateverTheHopReleaseOrder) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("A"), exchange("B"), exchange("C")};
    n.populations = {address("a1", 0), address("a2", 0), address("a3", 0), address("b1", 1),
                     address("b2", 1), address("c1", 2), address("c2", 2), address("c3", 2)};
    n.trunk_groups = {group("AB", 0, 1, 1), group("BC", 1, 2, 1)};
    n.routes = {{0, 2, {{0, 1}}}, {0, 1, {{0}}}, {1, 2, {{1}}}};
    n.policies = {campon_policy("camp")};
    n.relations = {
        reversed ? call_at("c1-to-a1", 5, 0, 1.0, 100.0) : call_at("a1-to-c1", 0, 5, 1.0, 100.0),
        call_at("b1-to-c2", 3, 6, 10.0, 50.0, 0), call_at("a3-to-c3", 2, 7, 20.0, 30.0, 0),
        call_at("a2-to-b2", 1, 4, 30.0, 80.0, 0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(row_of(all, 3).latency, std::optional<sim::Tick>(71 * s));
  EXPECT_EQ(row_of(all, 2).latency, std::optional<sim::Tick>(161 * s));
  for (RelationId r : {1u, 2u, 3u}) EXPECT_EQ(row_of(all, r).outcome, CallOutcome::completed);
}

// (3) Callback recalls: the earliest-made request first among all that can
// be served, whichever caller became idle first. y1 (at 10 s) and y2 (at
// 20 s) ask x, busy until 201 s, to call back; from 30 s to 330 s y1 and y2
// talk to each other, so at 201 s neither can be recalled. At 330 s both are
// idle at once: y1's request was made first and is recalled first (x then
// talks to y1 until 380 s), then y2's.
TEST(ServiceOrder, CallbacksRecallEarliestMadeFirstWhenTheirCallersFreeTogether) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("z", 0), address("y1", 0), address("y2", 0)};
    n.policies = {callback_policy("cb")};
    n.relations = {
        call_at("x-to-z", 0, 1, 1.0, 200.0), call_at("y1-to-x", 2, 0, 10.0, 50.0, 0),
        call_at("y2-to-x", 3, 0, 20.0, 50.0, 0),
        reversed ? call_at("y2-to-y1", 3, 2, 30.0, 300.0) : call_at("y1-to-y2", 2, 3, 30.0, 300.0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).latency, std::optional<sim::Tick>(320 * s));
  EXPECT_EQ(row_of(all, 2).latency, std::optional<sim::Tick>(360 * s));
}

// (4) Every event that frees a line runs as a release: an arrival at the same
// instant finds the line free. b rings unanswered from 10 s; its ring
// timeout at 30 s frees it, and c's call placed at exactly 30 s connects.
// (c's arrival was scheduled first, at t = 0: without the release priority
// it would run first and find b busy.)
TEST(ServiceOrder, RingTimeoutIsAReleaseForAnArrivalAtTheSameInstant) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("a", 0), address("b", 0), address("c", 0)};
  n.relations = {call_at("a-to-b", 0, 1, 10.0, 100.0), call_at("c-to-b", 2, 1, 30.0, 100.0)};
  n.relations[0].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 0).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 0).end, 30 * s);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::connected);
}

// A camp-on's patience ending at 50 s frees w's line: a call to w placed at
// exactly 50 s connects.
TEST(ServiceOrder, PatienceEndIsAReleaseForAnArrivalAtTheSameInstant) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("w", 0), address("v", 0)};
  n.policies = {campon_policy("camp", 40.0)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("w-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("v-to-w", 3, 2, 50.0, 30.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::abandoned);
  EXPECT_EQ(row_of(all, 1).end, 50 * s);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::connected);
}

// An unanswered recall (timeout 20 s) frees both reserved lines at 121 s: a
// call to the callee placed at exactly 121 s connects.
TEST(ServiceOrder, UnansweredRecallIsAReleaseForAnArrivalAtTheSameInstant) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("a", 0), address("d", 0)};
  n.policies = {callback_policy("cb", 2700.0, answer(0.0, 0.0, 20.0))};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("d-to-b", 3, 1, 121.0, 30.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::recall_failed);
  EXPECT_EQ(row_of(all, 1).end, 121 * s);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::connected);
}

// A cancellation by ID (cancel_after 25 s) frees the camped call's caller
// line at 35 s: a call to that caller placed at exactly 35 s connects.
TEST(ServiceOrder, CancellationIsAReleaseForAnArrivalAtTheSameInstant) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("w", 0), address("v", 0)};
  PolicySpec camp = campon_policy("camp");
  camp.params["cancel_after"] = distribution_value(25.0);
  n.policies = {camp};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("w-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("v-to-w", 3, 2, 35.0, 30.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::cancelled);
  EXPECT_EQ(row_of(all, 1).end, 35 * s);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::connected);
  EXPECT_EQ(run.log.count(0, RE::cancelled), 1u);
}

// (5) A call that camped on a trunk goes on to the callee as any attempt
// does: the callee's answer model applies. The circuit frees at 101 s; the
// callee never answers and its ring timeout (20 s) clears the call at 121 s
// (no_answer is outside camp-on's `when`).
TEST(ServiceOrder, TrunkCamperRingsUnderTheCalleesAnswerModel) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("a1", 0), address("b1", 1), address("a2", 0), address("b2", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("a1-to-b1", 0, 1, 1.0, 100.0), call_at("a2-to-b2", 2, 3, 10.0, 30.0, 0)};
  n.relations[1].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  const CallRow camper = row_of(all, 1);
  EXPECT_EQ(camper.outcome, CallOutcome::cleared);
  EXPECT_EQ(camper.end, 121 * s);
  EXPECT_EQ(run.log.count(0, RE::callee_free), 1u);
  EXPECT_EQ(run.log.count(0, RE::connected), 0u);
}

// The trunk camper's callee answers after 5 s: the call is completed, its
// latency running to the answer (101 s + 5 s - 10 s).
TEST(ServiceOrder, TrunkCamperAnsweredAfterItsDelayIsCompletedThen) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("a1", 0), address("b1", 1), address("a2", 0), address("b2", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("a1-to-b1", 0, 1, 1.0, 100.0), call_at("a2-to-b2", 2, 3, 10.0, 30.0, 0)};
  n.relations[1].answer = answer(1.0, 5.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const CallRow camper = row_of(rows(run.log), 1);
  EXPECT_EQ(camper.outcome, CallOutcome::completed);
  EXPECT_EQ(camper.latency, std::optional<sim::Tick>(96 * s));
  EXPECT_EQ(camper.end, 136 * s);
}

// SPEC's intrude row: a callee whose line rings (or is reserved for a
// recall) has no connected call to join. b rings unanswered from 5 s to
// 25 s; i's intrusion at 10 s is refused (no_bridge) and its fallback, none,
// clears it, though a bridge is free.
TEST(ServiceOrder, IntrusionNeedsAConnectedCallToJoin) {
  NetworkSpec n;
  CompletionSupport bridged;
  bridged.bridges = 1;
  n.exchanges = {exchange("X", bridged)};
  n.populations = {address("a", 0), address("b", 0), address("i", 0)};
  n.policies = {intrude_policy("intr")};
  n.relations = {call_at("a-to-b", 0, 1, 5.0, 100.0), call_at("i-to-b", 2, 1, 10.0, 30.0, 0)};
  n.relations[0].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const CallRow intruder = row_of(rows(run.log), 1);
  EXPECT_EQ(intruder.outcome, CallOutcome::cleared);
  EXPECT_EQ(intruder.end, 10 * s);
  EXPECT_EQ(run.log.count(0, RE::refused_no_bridge), 1u);
}

}  // namespace
}  // namespace telsim::models
