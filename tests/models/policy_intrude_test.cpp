// INTRUDE (SPEC §3 "Completion policies"): the caller joins the busy callee's
// call through a conference bridge at the callee's exchange.
#include <gtest/gtest.h>

#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;
using Changes = std::vector<std::pair<sim::Tick, std::uint32_t>>;

// SPEC: "the caller joins the callee's call at once if the callee's exchange has
// a free bridge, holding its caller line, its circuits and the bridge for its
// own holding time whatever the intruded call does (outcome `intruded`);
// otherwise `fallback`"; "intruded calls ... count in the outcomes, not the
// latency"; §5 "an intrusion does not" count as answered.
TEST(Intrude, JoinsThroughTheCalleeExchangesBridgeForItsOwnHoldingTime) {
  NetworkSpec n;
  CompletionSupport no_bridge;
  no_bridge.bridges = 0;
  CompletionSupport one_bridge;
  one_bridge.bridges = 1;
  n.exchanges = {exchange("A", no_bridge), exchange("B", one_bridge)};
  n.populations = {address("h", 1), address("b", 1), address("a1", 0), address("a2", 0),
                   address("a3", 0)};
  n.trunk_groups = {group("AB", 0, 1, 3)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {intrude_policy("intr", 1), campon_policy("camp")};
  n.relations = {
      call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a1-to-b", 2, 1, 10.0, 30.0, 0),
      call_at("a2-to-b", 3, 1, 20.0, 30.0, 0),    // the bridge is in use: camps on instead
      call_at("a3-to-b", 4, 1, 50.0, 100.0, 0)};  // the bridge is free again; outlasts h's call
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  for (RelationId r = 1; r <= 3; ++r)
    ASSERT_EQ(log.of(r).size(), 1u) << "every caller's line is held";

  const CallSummary& a1 = log.calls[log.of(1)[0]];
  EXPECT_EQ(a1.first_failure, FailureCause::busy);
  EXPECT_EQ(a1.outcome, CallOutcome::intruded);
  EXPECT_EQ(a1.attempts, 1u);
  EXPECT_EQ(a1.answered_attempts, 0u);
  EXPECT_FALSE(a1.completion_latency.has_value());
  EXPECT_EQ(a1.max_outstanding_requests, 0u) << "an intrusion is no request";
  EXPECT_EQ(log.end_times[log.of(1)[0]], 40 * s);

  const CallSummary& a2 = log.calls[log.of(2)[0]];
  EXPECT_EQ(a2.outcome, CallOutcome::completed);
  EXPECT_EQ(a2.policies, (std::vector<PolicyId>{0, 1}));
  EXPECT_EQ(a2.completion_latency, std::optional<sim::Tick>(81 * s));

  const CallSummary& a3 = log.calls[log.of(3)[0]];
  EXPECT_EQ(a3.outcome, CallOutcome::intruded);
  EXPECT_EQ(log.end_times[log.of(3)[0]], 150 * s)
      << "its own holding time, past the intruded call's end";

  EXPECT_EQ(
      log.changes_of(0),
      (Changes{{10 * s, 1}, {20 * s, 2}, {40 * s, 1}, {50 * s, 2}, {131 * s, 1}, {150 * s, 0}}));
  EXPECT_EQ(log.count(0, RE::requested), 0u);
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// Bridges at the caller's exchange do not count: "if the callee's exchange has a free bridge".
TEST(Intrude, WithoutABridgeAtTheCalleeExchangeTheFallbackTakesOver) {
  NetworkSpec n;
  CompletionSupport bridges;
  bridges.bridges = 5;
  CompletionSupport none;
  none.bridges = 0;
  n.exchanges = {exchange("A", bridges), exchange("B", none)};
  n.populations = {address("h", 1), address("b", 1), address("a", 0)};
  n.trunk_groups = {group("AB", 0, 1, 3)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {intrude_policy("intr", 1), redial_policy("again", 100.0, 2)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_FALSE(log.of(1).empty());
  for (const std::size_t i : log.of(1)) {
    const CallSummary& a = log.calls[i];
    EXPECT_NE(a.outcome, CallOutcome::intruded);
    EXPECT_EQ(a.policies, (std::vector<PolicyId>{0, 1}));
  }
  // The first of them redials at 110 s and gets through; the others give up.
  EXPECT_FALSE(
      log.of(1, [](const CallSummary& c) { return c.outcome == CallOutcome::completed; }).empty());
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "`when` ([busy])": intrude cannot act on no_answer even when listed; the fallback does.
TEST(Intrude, CannotActOnNoAnswerAndHandsItToTheFallback) {
  NetworkSpec n;
  CompletionSupport bridge;
  bridge.bridges = 1;
  n.exchanges = {exchange("X", bridge)};
  n.populations = {address("a", 0), address("b", 0)};
  n.policies = {
      intrude_policy("intr", 1, {FailureCause::busy, FailureCause::no_answer}),
      campon_policy("camp", std::nullopt, std::nullopt,
                    {FailureCause::busy, FailureCause::congestion, FailureCause::no_answer})};
  n.relations = {call_at("a-to-b", 0, 1, 10.0, 30.0, 0)};
  n.relations[0].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  ASSERT_EQ(run.log.of(0).size(), 1u);
  const CallSummary& a = run.log.calls[run.log.of(0)[0]];
  EXPECT_EQ(a.first_failure, FailureCause::no_answer);
  EXPECT_EQ(a.outcome, CallOutcome::cleared)
      << "camp-on has nothing to wait for on no_answer; its fallback is none";
  EXPECT_EQ(a.policies, (std::vector<PolicyId>{0, 1}));
  EXPECT_EQ(run.log.end_times[run.log.of(0)[0]], 30 * s);
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
