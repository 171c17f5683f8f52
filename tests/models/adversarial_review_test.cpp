// Adversarial review of the completion model against SPEC §3 ("Event order",
// "Serving at an instant", "Capabilities per address", "Cancellation", the
// completion-policy table, "Accounting"). Each scenario places its calls at
// exact instants and states what SPEC says must happen; where release order
// could matter it runs in both directions and scrambled release orders.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "call_rows.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;
using Ticks = std::optional<sim::Tick>;

using Row = CallRow;

const CallSummary& summary_of(const PolicyLog& log, RelationId r) {
  const auto idx = log.of(r);
  EXPECT_EQ(idx.size(), 1u) << "relation " << r;
  return log.calls[idx.at(0)];
}

Ticks secs(double v) {
  return Ticks(sim::to_ticks(v));
}

// ---------------------------------------------------------------------------
// Failed on 2d8152f (serve_trunk_queues went on granting the next trunk
// camper after a grant failed at once, so the freed line went to it ahead of
// its own address's camp-on queue); passes since 40640d1. SPEC §3 "Serving at an instant": "(1)
// each freed line goes first to the camp-on queue of its own address". A trunk camper whose grant
// fails at once (no answer, no timeout: "an unanswered attempt fails at once", §2) frees its caller
// line during step 2; that line must still go to its own address's camp-on queue first, not to the
// next trunk camper.
//   1 s   a1 -> b1 holds AB (1 circuit) until 101 s.
//   10 s  a2 -> b2: congestion, camps on AB (a2's line held).
//   20 s  w -> a2: a2 busy, camps on at a2.
//   30 s  b3 -> a2: congestion, camps on AB (B->A is the same chain [AB]).
//   101 s AB frees: a2 is granted, b2 rings unanswered, fails at once (no_answer
//         is outside camp-on's `when`: cleared), freeing a2's line and AB.
//         a2's line goes to w (latency 81, ends 131); b3 gets AB, finds a2
//         busy and camps on there under the same request, connecting at 131 s
//         (latency 101, ends 171).
TEST(AdversarialReview, LineFreedByAFailedTrunkGrantGoesToItsOwnCampOnQueueFirst) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("A"), exchange("B")};
    n.populations = {address("a1", 0), address("b1", 1), address("a2", 0),
                     address("b2", 1), address("w", 0),  address("b3", 1)};
    n.trunk_groups = {group("AB", 0, 1, 1)};
    n.routes = {{0, 1, {{0}}}};
    n.policies = {campon_policy("camp")};
    n.relations = {
        reversed ? call_at("b1-to-a1", 1, 0, 1.0, 100.0) : call_at("a1-to-b1", 0, 1, 1.0, 100.0),
        call_at("a2-to-b2", 2, 3, 10.0, 50.0, 0), call_at("w-to-a2", 4, 2, 20.0, 30.0, 0),
        call_at("b3-to-a2", 5, 2, 30.0, 40.0, 0)};
    n.relations[1].answer = answer(0.0, 0.0, std::nullopt);
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 1).end, 101 * s);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 2).latency, secs(81)) << "w gets a2's freed line at 101 s";
  EXPECT_EQ(row_of(all, 2).end, 131 * s);
  EXPECT_EQ(row_of(all, 3).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 3).latency, secs(101)) << "b3 camps on at a2 behind w";
  EXPECT_EQ(row_of(all, 3).end, 171 * s);
}

// ---------------------------------------------------------------------------
// A trunk camper granted while its callee is busy camps on there under the
// same request, keeping its circuits (campon row). The ending call frees both
// AB and b1: b1's own camp-on queue (b2) goes first (step 1), then the trunk
// camper a2 gets AB (step 2), finds b1 busy and camps on at b1 holding AB;
// it connects (no answer model) when b2's call ends at 151 s.
//   a2: latency 151 - 10 = 141, ends 181. b2: latency 81, ends 151.
//   a3 -> b3 at 120 s finds AB held by the camper: congestion, cleared.
TEST(AdversarialReview, TrunkCamperGrantedWhileCalleeBusyCampsOnThereKeepingItsCircuit) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("A"), exchange("B")};
    n.populations = {address("a1", 0), address("b1", 1), address("a2", 0),
                     address("b2", 1), address("a3", 0), address("b3", 1)};
    n.trunk_groups = {group("AB", 0, 1, 1)};
    n.routes = {{0, 1, {{0}}}};
    n.policies = {campon_policy("camp")};
    n.relations = {
        reversed ? call_at("b1-to-a1", 1, 0, 1.0, 100.0) : call_at("a1-to-b1", 0, 1, 1.0, 100.0),
        call_at("a2-to-b1", 2, 1, 10.0, 30.0, 0), call_at("b2-to-b1", 3, 1, 20.0, 50.0, 0),
        call_at("a3-to-b3", 4, 5, 120.0, 10.0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 2).latency, secs(81));
  EXPECT_EQ(row_of(all, 2).end, 151 * s);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 1).latency, secs(141));
  EXPECT_EQ(row_of(all, 1).end, 181 * s);
  EXPECT_EQ(row_of(all, 3).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 3).end, 120 * s);
}

// Patience runs "through both phases"; when it ends the request is cancelled
// and everything it holds is released: a trunk camper camped on at a busy
// callee (holding AB) abandons at 160 s, and AB goes to the next trunk
// camper a3 at once (latency 160 - 30 = 130, ends 180).
TEST(AdversarialReview, PatienceOfATrunkCamperCampedAtTheCalleeFreesItsCircuitToTheNextCamper) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("A"), exchange("B")};
    n.populations = {address("a1", 0), address("b1", 1), address("a2", 0), address("b2", 1),
                     address("b4", 1), address("a3", 0), address("b3", 1)};
    n.trunk_groups = {group("AB", 0, 1, 1)};
    n.routes = {{0, 1, {{0}}}};
    n.policies = {campon_policy("camp", 150.0)};
    n.relations = {
        reversed ? call_at("b1-to-a1", 1, 0, 1.0, 100.0) : call_at("a1-to-b1", 0, 1, 1.0, 100.0),
        call_at("b4-to-b2", 4, 3, 1.0, 299.0), call_at("a2-to-b2", 2, 3, 10.0, 30.0, 0),
        call_at("a3-to-b3", 5, 6, 30.0, 20.0, 0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::abandoned);
  EXPECT_EQ(row_of(all, 2).end, 160 * s);
  EXPECT_EQ(row_of(all, 3).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 3).latency, secs(130));
  EXPECT_EQ(row_of(all, 3).end, 180 * s);
}

// One call end frees a camp-on target (x) and a recall target (y): the
// camper w connects to x and a's callback to y is recalled, both at 101 s.
// w: latency 91, ends 151. a: latency 81, ends 131.
TEST(AdversarialReview, OneCallEndServesACamperAtOneEndAndARecallAtTheOther) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("y", 0), address("w", 0), address("a", 0)};
    n.policies = {campon_policy("camp"), callback_policy("cb")};
    n.relations = {
        reversed ? call_at("y-to-x", 1, 0, 1.0, 100.0) : call_at("x-to-y", 0, 1, 1.0, 100.0),
        call_at("w-to-x", 2, 0, 10.0, 50.0, 0), call_at("a-to-y", 3, 1, 20.0, 30.0, 1)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).latency, secs(91));
  EXPECT_EQ(row_of(all, 1).end, 151 * s);
  EXPECT_EQ(row_of(all, 2).latency, secs(81));
  EXPECT_EQ(row_of(all, 2).end, 131 * s);
}

// A hunt group (x, 2 lines): each freed line goes to x's camp-on queue in
// FIFO order (w1 at 101 s, w2 at 102 s); a's callback to x waits for x to be
// idle with no camper waiting: at 151 s (w1's call ends). a: latency 139.
TEST(AdversarialReview, HuntGroupServesCampersLineByLineBeforeACallback) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0, 2), address("y1", 0), address("y2", 0),
                     address("w1", 0),   address("w2", 0), address("a", 0)};
    n.policies = {campon_policy("camp"), callback_policy("cb")};
    n.relations = {
        reversed ? call_at("x-to-y1", 0, 1, 1.0, 100.0) : call_at("y1-to-x", 1, 0, 1.0, 100.0),
        reversed ? call_at("x-to-y2", 0, 2, 2.0, 100.0) : call_at("y2-to-x", 2, 0, 2.0, 100.0),
        call_at("w1-to-x", 3, 0, 10.0, 50.0, 0), call_at("w2-to-x", 4, 0, 11.0, 60.0, 0),
        call_at("a-to-x", 5, 0, 12.0, 20.0, 1)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 2).latency, secs(91));
  EXPECT_EQ(row_of(all, 2).end, 151 * s);
  EXPECT_EQ(row_of(all, 3).latency, secs(91));
  EXPECT_EQ(row_of(all, 3).end, 162 * s);
  EXPECT_EQ(row_of(all, 4).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 4).latency, secs(139));
  EXPECT_EQ(row_of(all, 4).end, 171 * s);
}

// A ring timeout on one line of a hunt group is a release whose line goes
// to the camper at once (step 1); the no_answer callback it creates is not
// armed until the next call involving x ends (w's at 75 s): then x and a are
// idle and a is recalled at 75 s. Its set-up rings x under the relation's
// answer model (never answers, timeout 20 s): cleared at 95 s after 2 attempts.
TEST(AdversarialReview, RingTimeoutOnAHuntGroupLineGoesToTheCamperAndArmsNothing) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("x", 0, 2), address("y", 0), address("a", 0), address("w", 0)};
  n.policies = {campon_policy("camp"), callback_policy("cb")};
  n.relations = {call_at("y-to-x", 1, 0, 1.0, 100.0), call_at("a-to-x", 2, 0, 5.0, 30.0, 1),
                 call_at("w-to-x", 3, 0, 10.0, 50.0, 0)};
  n.relations[1].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 2).latency, secs(15));
  EXPECT_EQ(row_of(all, 2).end, 75 * s);
  EXPECT_EQ(run.log.times(1, RE::recalled), std::vector<sim::Tick>{75 * s});
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 1).end, 95 * s);
  EXPECT_EQ(row_of(all, 1).attempts, 2u);
}

// intrude row: "a line that is ringing or reserved for a recall is no call to
// join". x's line is reserved for a's recall from 101 s (a answers after
// 10 s); i's intrusion at 105 s is refused although a bridge is free
// (cleared at 105 s). Once a's call is set up again (111 s, latency 101),
// j intrudes at 120 s (intruded, ends 130 s).
TEST(AdversarialReview, IntrusionOnALineReservedForARecallIsRefused) {
  NetworkSpec n;
  CompletionSupport bridged;
  bridged.bridges = 1;
  n.exchanges = {exchange("X", bridged)};
  n.populations = {address("x", 0), address("z", 0), address("a", 0), address("i", 0),
                   address("j", 0)};
  n.policies = {callback_policy("cb", 2700.0, answer(1.0, 10.0, 20.0)), intrude_policy("intr")};
  n.relations = {call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("a-to-x", 2, 0, 10.0, 30.0, 0),
                 call_at("i-to-x", 3, 0, 105.0, 10.0, 1), call_at("j-to-x", 4, 0, 120.0, 10.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 1).latency, secs(101));
  EXPECT_EQ(row_of(all, 1).end, 141 * s);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 2).end, 105 * s);
  EXPECT_EQ(run.log.count(1, RE::refused_no_bridge), 1u);
  EXPECT_EQ(row_of(all, 3).outcome, CallOutcome::intruded);
  EXPECT_EQ(row_of(all, 3).latency, std::nullopt);
  EXPECT_EQ(row_of(all, 3).end, 130 * s);
}

// The bridge is the callee's exchange's: A has none, B one. a -> b (busy)
// intrudes through B's bridge; b2 -> a2 (busy) is refused (A has no bridge).
TEST(AdversarialReview, IntrusionUsesTheCalleesExchangeBridges) {
  NetworkSpec n;
  CompletionSupport bridged;
  bridged.bridges = 1;
  n.exchanges = {exchange("A"), exchange("B", bridged)};
  n.populations = {address("a1", 0), address("b1", 1), address("a2", 0),
                   address("b2", 1), address("a3", 0), address("b3", 1)};
  n.trunk_groups = {group("AB", 0, 1, 10)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {intrude_policy("intr")};
  n.relations = {call_at("a1-to-b1", 0, 1, 1.0, 100.0), call_at("b2-to-a2", 3, 2, 2.0, 100.0),
                 call_at("a3-to-b1", 4, 1, 10.0, 20.0, 0),
                 call_at("b3-to-a2", 5, 2, 11.0, 20.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::intruded);
  EXPECT_EQ(row_of(all, 2).end, 30 * s);
  EXPECT_EQ(row_of(all, 3).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 3).end, 11 * s);
  // The intruder holds its circuit for its own holding time.
  EXPECT_EQ(run.log.busy_at(0, 20 * s), 3u);
  EXPECT_EQ(run.log.busy_at(0, 30 * s), 2u);
}

// Event order: at equal times both are releases, so they run in the order
// scheduled. (a) x's call end at 101 s was scheduled at 1 s, w's patience
// (91 s) at 10 s: the line frees first and w connects (latency 91).
// (b) x's call connects at 20 s (answer delay 15 s), so its end at 101 s was
// scheduled after the patience: w abandons at 101 s.
TEST(AdversarialReview, PatienceAndLineFreeingAtTheSameInstantRunInScheduledOrder) {
  const PolicyRegistry registry = builtin_policy_registry();
  for (const bool late_connect : {false, true}) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("y", 0), address("w", 0)};
    n.policies = {campon_policy("camp", 91.0)};
    n.relations = {
        late_connect ? call_at("y-to-x", 1, 0, 5.0, 81.0) : call_at("y-to-x", 1, 0, 1.0, 100.0),
        call_at("w-to-x", 2, 0, 10.0, 50.0, 0)};
    if (late_connect) n.relations[0].answer = answer(1.0, 15.0, 30.0);
    for (const std::uint64_t scramble : {0u, 1u, 2u, 3u}) {
      Sim run(n, registry);
      run.net.scramble_release_order_for_testing(scramble);
      ASSERT_EQ(run.go(), sim::RunStatus::done);
      const auto all = rows(run.log);
      EXPECT_EQ(row_of(all, 0).end, 101 * s);
      if (late_connect) {
        EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::abandoned);
        EXPECT_EQ(row_of(all, 1).end, 101 * s);
      } else {
        EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::completed);
        EXPECT_EQ(row_of(all, 1).latency, secs(91));
        EXPECT_EQ(row_of(all, 1).end, 151 * s);
      }
    }
  }
}

// Cancellation: "A request served (callee free, recall started, message
// return started) before then is no longer cancelled." cancel_after 81 s on
// requests made at 20 s lands at 101 s, the instant x frees (its end,
// scheduled at 1 s, runs first): the camper connects and the callback's
// recall starts, and neither is cancelled.
TEST(AdversarialReview, CancelAfterAtTheInstantOfServiceDoesNotCancelAServedRequest) {
  const PolicyRegistry registry = builtin_policy_registry();
  for (const bool callback : {false, true}) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("y", 0), address("w", 0)};
    PolicySpec p = callback ? callback_policy("cb") : campon_policy("camp");
    p.params["cancel_after"] = distribution_value(81.0);
    n.policies = {p};
    n.relations = {call_at("y-to-x", 1, 0, 1.0, 100.0), call_at("w-to-x", 2, 0, 20.0, 50.0, 0)};
    Sim run(n, registry);
    ASSERT_EQ(run.go(), sim::RunStatus::done);
    const auto all = rows(run.log);
    EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::completed) << callback;
    EXPECT_EQ(row_of(all, 1).latency, secs(81));
    EXPECT_EQ(row_of(all, 1).end, 151 * s);
    EXPECT_EQ(run.log.count(0, RE::cancelled), 0u);
    EXPECT_TRUE(all_idle(run.net, n));
  }
}

// ... and a cancellation scheduled before the freeing release at the same
// instant wins: x's call connects at 30 s (answer delay 25 s) so its end at
// 101 s is scheduled after w's cancellation (made at 20 s): w is cancelled
// at 101 s, and its request no longer holds anything.
TEST(AdversarialReview, CancelAfterScheduledBeforeTheFreeingReleaseCancels) {
  const PolicyRegistry registry = builtin_policy_registry();
  for (const bool callback : {false, true}) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("y", 0), address("w", 0), address("v", 0)};
    PolicySpec p = callback ? callback_policy("cb") : campon_policy("camp");
    p.params["cancel_after"] = distribution_value(81.0);
    n.policies = {p};
    n.relations = {call_at("y-to-x", 1, 0, 5.0, 71.0), call_at("w-to-x", 2, 0, 20.0, 50.0, 0),
                   call_at("v-to-x", 3, 0, 101.0, 10.0)};
    n.relations[0].answer = answer(1.0, 25.0, 30.0);
    Sim run(n, registry);
    ASSERT_EQ(run.go(), sim::RunStatus::done);
    const auto all = rows(run.log);
    EXPECT_EQ(row_of(all, 0).end, 101 * s);
    EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::cancelled) << callback;
    EXPECT_EQ(row_of(all, 1).end, 101 * s);
    EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::connected) << "x is free for v at 101 s";
    EXPECT_EQ(run.log.count(0, RE::cancelled), 1u);
  }
}

// A message's reaction ends at the same instant as the caller's other call:
// that end is a release and runs first, so the return call finds a idle.
//   10 s a -> x busy: message; x idle at 101 s, reaction 30 s -> due 131 s.
//   40 s a -> q, held 91 s: ends 131 s. Return x -> a at 131 s connects:
//   latency 121, ends 131 + 20.
TEST(AdversarialReview, MessageReturnDueAsTheCallerFreesFindsTheCallerIdle) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("z", 0), address("a", 0), address("q", 0)};
    n.policies = {message_policy("msg", 30.0)};
    n.relations = {
        call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("a-to-x", 2, 0, 10.0, 20.0, 0),
        reversed ? call_at("q-to-a", 3, 2, 40.0, 91.0) : call_at("a-to-q", 2, 3, 40.0, 91.0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 1).latency, secs(121));
  EXPECT_EQ(row_of(all, 1).end, 151 * s);
  EXPECT_EQ(row_of(all, 1).attempts, 2u);
}

// Callback recalls before message returns, and a return call that fails at
// once (its caller busy) ends `cleared`:
//   x busy until 101 s. a leaves a message (10 s, reaction 5 s); b asks for a
//   callback (20 s) and is busy 30..106 s; a is busy 50..150 s.
//   101 s: x idle, b busy: a's reaction starts (due 106 s).
//   106 s: b's call end (a release) runs first: b is recalled (x reserved,
//          set up at once, latency 86, ends 136 s); the due message waits.
//   136 s: x idle: the return to a fails at once (a busy): cleared at 136 s.
TEST(AdversarialReview, RecallBeforeMessageReturnAndAReturnFailingAtOnce) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("z", 0), address("a", 0),
                     address("b", 0), address("q", 0), address("q2", 0)};
    n.policies = {message_policy("msg", 5.0), callback_policy("cb")};
    n.relations = {
        call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("a-to-x", 2, 0, 10.0, 20.0, 0),
        call_at("b-to-x", 3, 0, 20.0, 30.0, 1),
        reversed ? call_at("q-to-b", 4, 3, 30.0, 76.0) : call_at("b-to-q", 3, 4, 30.0, 76.0),
        reversed ? call_at("q2-to-a", 5, 2, 50.0, 100.0) : call_at("a-to-q2", 2, 5, 50.0, 100.0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 2).latency, secs(86));
  EXPECT_EQ(row_of(all, 2).end, 136 * s);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 1).end, 136 * s);
  EXPECT_EQ(row_of(all, 1).attempts, 2u);
}

// Redial meets camp-on: a's redial at 101 s comes after x's release at 101 s
// and after w's camp-on is served, so it finds x busy and waits another
// 96 s: it connects at 197 s (latency 192, 3 attempts).
TEST(AdversarialReview, RedialAtTheInstantALineFreesLosesToTheCamper) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("x", 0), address("y", 0), address("w", 0), address("a", 0)};
    n.policies = {campon_policy("camp"), redial_policy("retry", 96.0)};
    n.relations = {
        reversed ? call_at("x-to-y", 0, 1, 1.0, 100.0) : call_at("y-to-x", 1, 0, 1.0, 100.0),
        call_at("w-to-x", 2, 0, 10.0, 50.0, 0), call_at("a-to-x", 3, 0, 5.0, 20.0, 1)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).latency, secs(91));
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 2).latency, secs(192));
  EXPECT_EQ(row_of(all, 2).end, 217 * s);
  EXPECT_EQ(row_of(all, 2).attempts, 3u);
}

// max_per_address counts per caller address across relations, and a
// population's own completion block replaces its exchange's (the exchange
// allows 1; a's population 1, b's unlimited). a's callback (ID 1) leaves no
// room for a's camp-on (rejected, cleared at 11 s, no ID); b holds a
// callback (ID 2) and a camp-on (ID 3) at once. At 101 s b's camper
// connects; at 111 s a's callback (made first) is recalled before b's
// (131 s).
TEST(AdversarialReview, MaxPerAddressAcrossRelationsWithPopulationOverrides) {
  NetworkSpec n;
  CompletionSupport one;
  one.max_per_address = 1;
  n.exchanges = {exchange("X", one)};
  PopulationSpec a = address("a", 0);
  a.completion.has_max_per_address = true;
  a.completion.max_per_address = 1;
  PopulationSpec b = address("b", 0);
  b.completion.has_max_per_address = true;
  b.completion.max_per_address = std::nullopt;
  n.populations = {address("x", 0), address("z", 0), a, b};
  n.policies = {callback_policy("cb", 2700.0, answer(1.0, 0.0, 20.0), {FailureCause::busy}),
                campon_policy("camp")};
  n.relations = {call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("a-cb", 2, 0, 10.0, 20.0, 0),
                 call_at("a-camp", 2, 0, 11.0, 20.0, 1), call_at("b-cb", 3, 0, 12.0, 20.0, 0),
                 call_at("b-camp", 3, 0, 13.0, 10.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 2).end, 11 * s);
  EXPECT_TRUE(summary_of(run.log, 2).rejected);
  EXPECT_TRUE(summary_of(run.log, 2).completion_ids.empty());
  EXPECT_EQ(row_of(all, 4).latency, secs(88));
  EXPECT_EQ(row_of(all, 4).end, 111 * s);
  EXPECT_EQ(row_of(all, 1).latency, secs(101));
  EXPECT_EQ(row_of(all, 1).end, 131 * s);
  EXPECT_EQ(row_of(all, 3).latency, secs(119));
  EXPECT_EQ(row_of(all, 3).end, 151 * s);
  EXPECT_EQ(summary_of(run.log, 1).completion_ids, std::vector<RequestId>{1});
  EXPECT_EQ(summary_of(run.log, 3).completion_ids, std::vector<RequestId>{2});
  EXPECT_EQ(summary_of(run.log, 4).completion_ids, std::vector<RequestId>{3});
  EXPECT_EQ(summary_of(run.log, 3).max_outstanding_requests, 1u);
  EXPECT_EQ(summary_of(run.log, 4).max_outstanding_requests, 2u);
}

// A message request counts "until the return call ends": a (2 lines,
// max_per_address 1) cannot make a callback while its return call is on
// (rejected at 120 s), and can once it has ended (156 s).
TEST(AdversarialReview, MessageRequestCountsUntilItsReturnCallEnds) {
  NetworkSpec n;
  CompletionSupport one;
  one.max_per_address = 1;
  n.exchanges = {exchange("X", one)};
  n.populations = {address("x", 0), address("z", 0), address("a", 0, 2), address("y", 0),
                   address("q", 0)};
  n.policies = {message_policy("msg", 5.0), callback_policy("cb")};
  n.relations = {call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("q-to-y", 4, 3, 1.0, 299.0),
                 call_at("a-to-x", 2, 0, 10.0, 50.0, 0),
                 calls_at("a-to-y", 2, 3, {120.0, 160.0}, 10.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 2).latency, secs(96));
  EXPECT_EQ(row_of(all, 2).end, 156 * s);
  const auto cb = run.log.of(3);
  ASSERT_EQ(cb.size(), 2u);
  EXPECT_TRUE(run.log.calls[cb[0]].rejected);
  EXPECT_EQ(run.log.calls[cb[0]].outcome, CallOutcome::cleared);
  EXPECT_EQ(run.log.end_times[cb[0]], 120 * s);
  EXPECT_FALSE(run.log.calls[cb[1]].rejected);
  EXPECT_EQ(run.log.calls[cb[1]].outcome, CallOutcome::completed);
  EXPECT_EQ(run.log.calls[cb[1]].completion_latency, secs(140));  // y idle at 300 s
}

// A fallback chain: intrude (no bridge) -> campon (queue_limit 1) ->
// callback. a camps on (ID 1); b finds the queue full (rejected) and gets a
// callback (ID 2). a connects at 101 s (latency 91); b is recalled when x is
// idle again at 131 s (latency 111). The policies that acted are listed in order.
TEST(AdversarialReview, FallbackChainIntrudeCamponCallback) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("x", 0), address("z", 0), address("a", 0), address("b", 0)};
  n.policies = {callback_policy("cb"),
                campon_policy("camp", std::nullopt, 1, {FailureCause::busy}, 0),
                intrude_policy("intr", 1)};
  n.relations = {call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("a-to-x", 2, 0, 10.0, 30.0, 2),
                 call_at("b-to-x", 3, 0, 20.0, 30.0, 2)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).latency, secs(91));
  EXPECT_EQ(row_of(all, 1).end, 131 * s);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 2).latency, secs(111));
  EXPECT_EQ(row_of(all, 2).end, 161 * s);
  const CallSummary& b = summary_of(run.log, 2);
  EXPECT_TRUE(b.rejected);
  EXPECT_EQ(b.completion_ids, std::vector<RequestId>{2});
  EXPECT_EQ(b.policies, (std::vector<PolicyId>{2, 1, 0}));
  EXPECT_EQ(summary_of(run.log, 1).completion_ids, std::vector<RequestId>{1});
  EXPECT_EQ(run.log.count(2, RE::refused_no_bridge), 2u);
  EXPECT_EQ(run.log.count(1, RE::refused_queue_full), 1u);
}

// A population's own `modes` replace the exchange's: c's population offers
// only campon, so its callback is refused (unsupported) and the fallback
// camps on (completed at 101 s, latency 91). `when` is checked first: a
// no_answer failure outside the callback's `when` is cleared and not
// counted unsupported.
TEST(AdversarialReview, PopulationModesReplaceTheExchangesAndWhenComesFirst) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  PopulationSpec c = address("c", 0);
  c.completion.modes = std::array<bool, completion_mode_count>{true, false, false, false};
  PopulationSpec d = address("d", 0);
  d.completion.modes = std::array<bool, completion_mode_count>{true, false, false, false};
  n.populations = {address("x", 0), address("z", 0), c, d, address("u", 0)};
  n.policies = {campon_policy("camp"),
                callback_policy("cb", 2700.0, answer(1.0, 0.0, 20.0), {FailureCause::busy}, 0)};
  n.relations = {call_at("z-to-x", 1, 0, 1.0, 100.0), call_at("c-to-x", 2, 0, 10.0, 30.0, 1),
                 call_at("d-to-u", 3, 4, 10.0, 30.0, 1)};
  n.relations[2].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 1).latency, secs(91));
  EXPECT_TRUE(summary_of(run.log, 1).unsupported);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 2).end, 30 * s);
  EXPECT_FALSE(summary_of(run.log, 2).unsupported);
}

// Two requests for one call, IDs in the order made: a2 camps on AB (ID 1),
// is granted at 101 s, rings b2 unanswered until 121 s; no_answer is in
// camp-on's `when` but camp-on cannot act on it, so the fallback callback
// takes the call (ID 2, made on no_answer, not armed: nothing involving b2
// ends) and it expires at 121 + 100 s. Latency is not counted.
TEST(AdversarialReview, TrunkCamperUnansweredGoesToTheFallbackWithASecondRequest) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("a1", 0), address("b1", 1), address("a2", 0), address("b2", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {callback_policy("cb", 100.0, answer(1.0, 0.0, 20.0), {FailureCause::no_answer}),
                campon_policy("camp", std::nullopt, std::nullopt,
                              {FailureCause::congestion, FailureCause::no_answer}, 0)};
  n.relations = {call_at("a1-to-b1", 0, 1, 1.0, 100.0), call_at("a2-to-b2", 2, 3, 10.0, 30.0, 1)};
  n.relations[1].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const CallSummary& c = summary_of(run.log, 1);
  EXPECT_EQ(c.outcome, CallOutcome::expired);
  EXPECT_EQ(run.log.end_times[run.log.of(1)[0]], 221 * s);
  EXPECT_EQ(c.completion_ids, (std::vector<RequestId>{1, 2}));
  EXPECT_EQ(c.first_failure, std::optional<FailureCause>(FailureCause::congestion));
  EXPECT_EQ(c.completion_latency, std::nullopt);
  EXPECT_EQ(run.log.count(1, RE::refused_cause), 1u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// A recall's set-up finds the route congested: "any failure now ends the call
// cleared" (at 101 s, 2 attempts), releasing the reserved lines.
TEST(AdversarialReview, RecallSetUpMeetingCongestionIsCleared) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("a", 0), address("b", 1), address("z", 1), address("a1", 0),
                   address("b1", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {callback_policy("cb")};
  n.relations = {call_at("z-to-b", 2, 1, 1.0, 100.0), call_at("a-to-b", 0, 1, 10.0, 30.0, 0),
                 call_at("a1-to-b1", 3, 4, 50.0, 100.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 1).outcome, CallOutcome::cleared);
  EXPECT_EQ(row_of(all, 1).end, 101 * s);
  EXPECT_EQ(row_of(all, 1).attempts, 2u);
  EXPECT_EQ(run.log.count(0, RE::setup_failed), 1u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// Trunk queues whose chains are the same groups in opposite directions:
// the earliest-queued head goes first whichever way it runs.
//   a1 <-> c1 holds AB and BC until 101 s; a2 -> c2 camps at 10 s
//   ([AB, BC]); c3 -> a3 camps at 20 s ([BC, AB]). At 101 s a2 gets both
//   (latency 91, ends 131); c3 at 131 s (latency 111).
TEST(AdversarialReview, OppositeDirectionTrunkCampersAreServedEarliestQueuedFirst) {
  const auto build = [](bool reversed) {
    NetworkSpec n;
    n.exchanges = {exchange("A"), exchange("B"), exchange("C")};
    n.populations = {address("a1", 0), address("a2", 0), address("a3", 0),
                     address("c1", 2), address("c2", 2), address("c3", 2)};
    n.trunk_groups = {group("AB", 0, 1, 1), group("BC", 1, 2, 1)};
    n.routes = {{0, 2, {{0, 1}}}};
    n.policies = {campon_policy("camp")};
    n.relations = {
        reversed ? call_at("c1-to-a1", 3, 0, 1.0, 100.0) : call_at("a1-to-c1", 0, 3, 1.0, 100.0),
        call_at("a2-to-c2", 1, 4, 10.0, 30.0, 0), call_at("c3-to-a3", 5, 2, 20.0, 30.0, 0)};
    return n;
  };
  const auto all = run_every_order(build);
  EXPECT_EQ(row_of(all, 1).latency, secs(91));
  EXPECT_EQ(row_of(all, 1).end, 131 * s);
  EXPECT_EQ(row_of(all, 2).latency, secs(111));
  EXPECT_EQ(row_of(all, 2).end, 161 * s);
}

// Measurement window: a call is measured if its first attempt is in
// [warmup, warmup + duration) = [100, 200). The run goes on after 200 s
// until every measured call has ended, traffic still arriving unmeasured.
TEST(AdversarialReview, MeasurementWindowEdges) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("x", 0), address("y", 0), address("a", 0), address("b", 0),
                   address("c", 0), address("d", 0), address("e", 0), address("f", 0)};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("y-to-x", 1, 0, 99.0, 51.0), call_at("a-to-x", 2, 0, 100.0, 100.0, 0),
                 call_at("b-to-x", 3, 0, 200.0, 10.0, 0), call_at("c-to-d", 4, 5, 199.0, 100.0),
                 call_at("e-to-f", 6, 7, 220.0, 10.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.net.run(sim::to_ticks(100.0), sim::to_ticks(200.0),
                        {.max_events = 1'000'000, .max_pending = 1'000'000}),
            sim::RunStatus::done);
  EXPECT_FALSE(summary_of(run.log, 0).measured);
  const CallSummary& a = summary_of(run.log, 1);
  EXPECT_TRUE(a.measured);
  EXPECT_EQ(a.outcome, CallOutcome::completed);
  EXPECT_EQ(a.completion_latency, secs(50));
  EXPECT_TRUE(summary_of(run.log, 3).measured);
  EXPECT_EQ(run.log.end_times[run.log.of(3)[0]], 299 * s);
  EXPECT_FALSE(summary_of(run.log, 4).measured);
  for (const auto& c : run.log.calls) {
    if (c.relation == 2) {
      EXPECT_FALSE(c.measured);
    }
  }
  // Request events carry the call's measured flag.
  for (const auto& r : run.log.requests) EXPECT_EQ(r.measured, r.now < 200 * s);
}

// A no_answer callback is armed by the end of an intrusion involving its
// callee ("the next call or intrusion involving the callee ends"): x (2 lines)
// talks to y all along; a rings x unanswered until 25 s; u's call rings x's
// other line 30..50 s; i intrudes on x 35..45 s (arming a's request). When
// u's ring times out at 50 s, x and a are idle: a is recalled at 50 s.
TEST(AdversarialReview, IntrusionEndArmsANoAnswerCallback) {
  NetworkSpec n;
  CompletionSupport bridged;
  bridged.bridges = 1;
  n.exchanges = {exchange("X", bridged)};
  n.populations = {address("x", 0, 2), address("y", 0), address("a", 0), address("u", 0),
                   address("i", 0)};
  n.policies = {callback_policy("cb", 1000.0), intrude_policy("intr")};
  n.relations = {call_at("y-to-x", 1, 0, 1.0, 299.0), call_at("a-to-x", 2, 0, 5.0, 30.0, 0),
                 call_at("u-to-x", 3, 0, 30.0, 10.0), call_at("i-to-x", 4, 0, 35.0, 10.0, 1)};
  n.relations[2].answer = answer(0.0, 0.0, 20.0);
  n.relations[1].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  EXPECT_EQ(row_of(rows(run.log), 3).outcome, CallOutcome::intruded);
  EXPECT_EQ(run.log.times(0, RE::recalled), std::vector<sim::Tick>{50 * s});
}

// Scripted calls (SPEC §2 `at`): a busy caller places no call (caller_busy);
// a call placed at the instant the caller's line is released finds it free
// (releases come before seizures).
TEST(AdversarialReview, ScriptedCallFromABusyCallerAndAtTheInstantItFrees) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("x", 0), address("y", 0), address("z", 0)};
  n.relations = {call_at("y-to-x", 1, 0, 1.0, 100.0),
                 calls_at("x-to-z", 0, 2, {50.0, 101.0}, 10.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  EXPECT_EQ(run.log.busy_callers_of(1), 1u);
  const Row z = row_of(rows(run.log), 1);
  EXPECT_EQ(z.outcome, CallOutcome::connected);
  EXPECT_EQ(z.end, 111 * s);
}

// Cancellation of a trunk camper that has camped on at its busy callee
// releases its caller line and its circuit (SPEC: "everything it holds is
// released (a camped call's caller line and circuits)"): cancel_after 100 s
// from 10 s; AB goes to the next trunk camper a3 at 110 s (latency 80).
TEST(AdversarialReview, CancellingATrunkCamperCampedAtTheCalleeFreesItsCircuit) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("a1", 0), address("b1", 1), address("a2", 0), address("b2", 1),
                   address("b4", 1), address("a3", 0), address("b3", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  PolicySpec cancelling = campon_policy("camp-cancel");
  cancelling.params["cancel_after"] = distribution_value(100.0);
  n.policies = {cancelling, campon_policy("camp")};
  n.relations = {call_at("a1-to-b1", 0, 1, 1.0, 100.0), call_at("b4-to-b2", 4, 3, 1.0, 299.0),
                 call_at("a2-to-b2", 2, 3, 10.0, 30.0, 0),
                 call_at("a3-to-b3", 5, 6, 30.0, 20.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const auto all = rows(run.log);
  EXPECT_EQ(row_of(all, 2).outcome, CallOutcome::cancelled);
  EXPECT_EQ(row_of(all, 2).end, 110 * s);
  EXPECT_EQ(row_of(all, 3).outcome, CallOutcome::completed);
  EXPECT_EQ(row_of(all, 3).latency, secs(80));
  EXPECT_EQ(row_of(all, 3).end, 130 * s);
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
