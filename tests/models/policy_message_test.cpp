// MESSAGE (SPEC §3 "Completion policies"): the caller leaves a message and is
// released; the callee returns the call once idle, after its reaction time.
//
// A caller released at once places further calls at the same tick (see
// policy_fixture.hpp); where that happens the caller exchange allows one
// request per address, so they are refused and cleared at once.
#include <gtest/gtest.h>

#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;
using Changes = std::vector<std::pair<sim::Tick, std::uint32_t>>;

CompletionSupport one_request_per_address() {
  CompletionSupport c;
  c.max_per_address = 1;
  return c;
}

/// Exchanges A and B joined by G1 (the route A -> B) and G2 (the route B -> A).
NetworkSpec two_exchanges_two_directions() {
  NetworkSpec n;
  n.exchanges = {exchange("A", one_request_per_address()), exchange("B")};
  n.trunk_groups = {group("G1", 0, 1, 2), group("G2", 0, 1, 2)};
  n.routes = {{0, 1, {{0}}}, {1, 0, {{1}}}};
  return n;
}

// SPEC: "the caller is released; once the callee is idle, after `reaction`, it
// returns the call ...: a call from callee to caller over the route from the
// callee's exchange to the caller's, answered by the caller under the
// relation's answer model (outcome `message` on the way; `completed` when the
// return call connects ...)"; §5 attempts include return calls.
TEST(Message, OnBusyTheCalleeReturnsTheCallAfterItsReactionOverItsOwnRoute) {
  NetworkSpec n = two_exchanges_two_directions();
  n.populations = {address("a", 0), address("b", 1), address("h", 1)};
  n.policies = {message_policy("msg", 20.0)};
  n.relations = {call_at("h-to-b", 2, 1, 1.0, 100.0), call_at("a-to-b", 0, 1, 10.0, 30.0, 0)};
  n.relations[1].answer = answer(1.0, 3.0, 10.0);  // a answers 3 s after its phone rings
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  struct Seen {
    std::uint32_t g1, g2, a_lines, b_lines;
  };
  std::vector<Seen> at_connect;
  run.log.probe = [&](const RequestRecord& r) {
    if (r.event == RE::connected) {
      at_connect.push_back({run.net.busy_circuits(0), run.net.busy_circuits(1),
                            run.net.busy_lines(0, 0), run.net.busy_lines(1, 0)});
    }
  };
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  const auto main = log.of(1, [](const CallSummary& c) { return c.message; });
  ASSERT_EQ(main.size(), 1u);
  const CallSummary& a = log.calls[main[0]];
  EXPECT_FALSE(a.rejected);
  EXPECT_EQ(a.first_failure, FailureCause::busy);
  EXPECT_EQ(a.outcome, CallOutcome::completed);
  EXPECT_EQ(a.attempts, 2u) << "the first attempt and the return call";
  EXPECT_EQ(a.answered_attempts, 1u);
  // b idle at 101, reaction 20 s, a answers at 124.
  EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(114 * s));
  EXPECT_EQ(log.end_times[main[0]], 154 * s);
  EXPECT_EQ(log.times(0, RE::callee_free), std::vector<sim::Tick>{101 * s});
  EXPECT_EQ(log.times(0, RE::message_returned), std::vector<sim::Tick>{121 * s});
  EXPECT_EQ(log.times(0, RE::connected), std::vector<sim::Tick>{124 * s});
  // The caller was released at once: its further calls at 10 s were placed (and refused).
  for (const std::size_t i : log.of(1)) {
    if (i == main[0]) continue;
    EXPECT_TRUE(log.calls[i].rejected);
    EXPECT_FALSE(log.calls[i].message);
  }
  // The return call runs B -> A over G2; G1 (A -> B) is not used after 10 s.
  EXPECT_EQ(log.changes_of(1), (Changes{{121 * s, 1}, {154 * s, 0}}));
  for (const auto& change : log.changes_of(0)) EXPECT_EQ(change.first, 10 * s);
  ASSERT_EQ(at_connect.size(), 1u);
  EXPECT_EQ(at_connect[0].g1, 0u);
  EXPECT_EQ(at_connect[0].g2, 1u);
  EXPECT_EQ(at_connect[0].a_lines, 1u);
  EXPECT_EQ(at_connect[0].b_lines, 1u);
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// SPEC: "... `cleared` if it fails": the caller is busy when the callee returns the call.
TEST(Message, ReturnCallToABusyCallerClearsTheCall) {
  NetworkSpec n = two_exchanges_two_directions();
  n.populations = {address("a", 0), address("b", 1), address("h", 1),
                   address("z", 0, std::nullopt)};
  n.policies = {message_policy("msg", 20.0)};
  n.relations = {call_at("h-to-b", 2, 1, 1.0, 100.0), call_at("a-to-b", 0, 1, 10.0, 30.0, 0),
                 call_at("a-to-z", 0, 3, 115.0, 100.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto main = log.of(1, [](const CallSummary& c) { return c.message; });
  ASSERT_EQ(main.size(), 1u);
  const CallSummary& a = log.calls[main[0]];
  EXPECT_EQ(a.outcome, CallOutcome::cleared);
  EXPECT_EQ(a.attempts, 2u);
  EXPECT_EQ(a.answered_attempts, 0u);
  EXPECT_FALSE(a.completion_latency.has_value());
  EXPECT_EQ(log.end_times[main[0]], 121 * s);
  EXPECT_EQ(log.times(0, RE::message_returned), std::vector<sim::Tick>{121 * s});
  EXPECT_EQ(log.times(0, RE::setup_failed), std::vector<sim::Tick>{121 * s});
  EXPECT_EQ(log.changes_of(1), (Changes{{121 * s, 1}, {121 * s, 0}}));
  EXPECT_TRUE(all_idle(run.net, n));
}

// On no_answer the callee is idle at once: the reaction starts at the ring
// timeout. The return call is answered by the caller under the relation's
// answer model (probability 0.5 here): completed or cleared at its timeout.
TEST(Message, OnNoAnswerTheReactionStartsAtTheRingTimeout) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("a", 0), address("b", 0)};
  n.policies = {message_policy("msg", 20.0, 0, {FailureCause::no_answer})};
  n.relations = {call_at("a-to-b", 0, 1, 10.0, 30.0, 0)};
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
    EXPECT_TRUE(a.message);
    EXPECT_EQ(a.attempts, 2u);
    EXPECT_EQ(log.times(0, RE::callee_free), std::vector<sim::Tick>{30 * s}) << "seed " << seed;
    EXPECT_EQ(log.times(0, RE::message_returned), std::vector<sim::Tick>{50 * s})
        << "seed " << seed;
    if (a.outcome == CallOutcome::completed) {
      ++completed;
      EXPECT_EQ(a.completion_latency, std::optional<sim::Tick>(20 * s))
          << "from the ring timeout at 30 s";
      EXPECT_EQ(log.end_times[log.of(0)[0]], 80 * s);
    } else {
      ++cleared;
      EXPECT_EQ(a.outcome, CallOutcome::cleared) << "seed " << seed;
      EXPECT_EQ(log.end_times[log.of(0)[0]], 70 * s) << "seed " << seed;
      EXPECT_EQ(log.times(0, RE::setup_failed), std::vector<sim::Tick>{70 * s}) << "seed " << seed;
    }
    EXPECT_TRUE(all_idle(run.net, n));
  }
  EXPECT_GT(completed, 0u);
  EXPECT_GT(cleared, 0u);
}

// SPEC: "(if the callee is busy by then, as soon as it is idle again)".
TEST(Message, CalleeBusyWhenTheReactionEndsReturnsTheCallTheMomentItIsIdleAgain) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0), address("k", 0)};
  n.policies = {message_policy("msg", 20.0)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("k-to-b", 3, 1, 110.0, 50.0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].outcome, CallOutcome::connected)
      << "b was idle during the reaction";
  const auto main = log.of(1, [](const CallSummary& c) { return c.message; });
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(log.times(0, RE::message_returned), std::vector<sim::Tick>{160 * s});
  EXPECT_EQ(log.calls[main[0]].outcome, CallOutcome::completed);
  EXPECT_EQ(log.calls[main[0]].completion_latency, std::optional<sim::Tick>(150 * s));
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "`message` (until the return call ends)" holds a request, and
// completion_requests_max_outstanding counts "the number then outstanding for
// that caller address, whichever relation made them". a (two lines) camps on
// at d while b's return call rings it: two outstanding; after the return call
// has ended, a camp-on at d2 finds one.
TEST(Message, RequestIsOutstandingUntilTheReturnCallEnds) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("a", 0, 2), address("b", 0),  address("d", 0),
                   address("k", 0),    address("d2", 0), address("k2", 0)};
  n.policies = {message_policy("msg", 20.0, 0, {FailureCause::no_answer}),
                campon_policy("camp", 5.0, 1)};
  n.relations = {
      call_at("a-to-b", 0, 1, 10.0, 30.0, 0),  // rings until 30; returned 50..70 unanswered
      call_at("k-to-d", 3, 2, 1.0, 500.0), call_at("k2-to-d2", 5, 4, 2.0, 500.0),
      call_at("a-to-d", 0, 2, 60.0, 10.0, 1), call_at("a-to-d2", 0, 4, 80.0, 10.0, 1)};
  n.relations[0].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto main = log.of(0, [](const CallSummary& c) { return c.message; });
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(log.end_times[main[0]], 70 * s) << "the return call rang a unanswered from 50 to 70";
  const auto at_d = log.of(3, [](const CallSummary& c) { return !c.rejected; });
  const auto at_d2 = log.of(4, [](const CallSummary& c) { return !c.rejected; });
  ASSERT_EQ(at_d.size(), 1u);
  ASSERT_EQ(at_d2.size(), 1u);
  EXPECT_EQ(log.calls[at_d[0]].max_outstanding_requests, 2u);
  EXPECT_EQ(log.calls[at_d2[0]].max_outstanding_requests, 1u);
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
