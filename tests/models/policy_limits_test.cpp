// Completion requests against the caller exchange's `completion` support
// (SPEC §3 "Completion policies", Requests): max_per_address, modes, and the
// outstanding-request count.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;

// SPEC: "requests count against the caller exchange's `max_per_address`; one
// more is refused (outcome `rejected`, ...), and the policy's `fallback` takes
// over". a has three lines and places three calls at 10 s: two camp on, the
// third is refused and intrudes instead (intrusions are not limited).
TEST(Limits, RequestBeyondMaxPerAddressIsRejectedAndTheFallbackTakesOver) {
  NetworkSpec n;
  CompletionSupport x;
  x.max_per_address = 2;
  x.bridges = 1;
  n.exchanges = {exchange("X", x)};
  n.populations = {address("h", 0), address("b", 0), address("a", 0, 3)};
  n.policies = {campon_policy("camp", std::nullopt, std::nullopt,
                              {FailureCause::busy, FailureCause::congestion}, 1),
                intrude_policy("intr")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0),
                 calls_at("a-to-b", 2, 1, {10.0, 10.0, 10.0}, 30.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 3u);
  const auto campers = log.of(1, [](const CallSummary& c) { return !c.rejected; });
  const auto refused = log.of(1, [](const CallSummary& c) { return c.rejected; });
  ASSERT_EQ(campers.size(), 2u);
  ASSERT_EQ(refused.size(), 1u);
  const CallSummary& first = log.calls[campers[0]];
  const CallSummary& second = log.calls[campers[1]];
  EXPECT_EQ(first.outcome, CallOutcome::completed);
  EXPECT_EQ(first.completion_latency, std::optional<sim::Tick>(91 * s));
  EXPECT_EQ(first.max_outstanding_requests, 1u);
  EXPECT_EQ(second.outcome, CallOutcome::completed);
  EXPECT_EQ(second.completion_latency, std::optional<sim::Tick>(121 * s));
  EXPECT_EQ(second.max_outstanding_requests, 2u);
  const CallSummary& third = log.calls[refused[0]];
  EXPECT_EQ(third.outcome, CallOutcome::intruded);
  EXPECT_FALSE(third.unsupported);
  EXPECT_EQ(third.policies, (std::vector<PolicyId>{0, 1}));
  EXPECT_EQ(third.max_outstanding_requests, 0u);
  EXPECT_EQ(log.end_times[refused[0]], 40 * s);
  EXPECT_EQ(log.count(0, RE::requested), 2u);
  EXPECT_EQ(log.refusals(0), 1u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// The limit is the caller exchange's: A allows none, B any number.
TEST(Limits, MaxPerAddressIsTheCallerExchanges) {
  NetworkSpec n;
  CompletionSupport zero;
  zero.max_per_address = 0;
  CompletionSupport unlimited;
  unlimited.max_per_address = std::nullopt;
  n.exchanges = {exchange("A", zero), exchange("B", unlimited)};
  n.populations = {address("a", 0), address("b", 1), address("hb", 1),
                   address("c", 1), address("d", 0), address("hd", 0)};
  n.trunk_groups = {group("AB", 0, 1, 5)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp")};
  n.relations = {call_at("hb-to-b", 2, 1, 1.0, 100.0), call_at("hd-to-d", 5, 4, 2.0, 100.0),
                 call_at("a-to-b", 0, 1, 10.0, 10.0, 0), call_at("c-to-d", 3, 4, 20.0, 10.0, 0)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_FALSE(log.of(2).empty());
  for (const std::size_t i : log.of(2)) {
    EXPECT_TRUE(log.calls[i].rejected);
    EXPECT_EQ(log.calls[i].outcome, CallOutcome::cleared);
  }
  ASSERT_EQ(log.of(3).size(), 1u);
  EXPECT_FALSE(log.calls[log.of(3)[0]].rejected);
  EXPECT_EQ(log.calls[log.of(3)[0]].outcome, CallOutcome::completed);
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "`none`, `redial` and `intrude` create no request and are not limited".
TEST(Limits, NoneRedialAndIntrudeAreNotLimitedByMaxPerAddress) {
  NetworkSpec n;
  CompletionSupport x;
  x.max_per_address = 0;
  x.bridges = 1;
  n.exchanges = {exchange("X", x)};
  n.populations = {address("h", 0),  address("b", 0),  address("a1", 0),
                   address("a2", 0), address("a3", 0), address("a4", 0)};
  n.policies = {intrude_policy("intr"), redial_policy("again", 50.0, 2), campon_policy("camp"),
                none_policy("nothing")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a1-to-b", 2, 1, 10.0, 20.0, 0),
                 call_at("a2-to-b", 3, 1, 20.0, 20.0, 1), call_at("a3-to-b", 4, 1, 30.0, 20.0, 2),
                 call_at("a4-to-b", 5, 1, 40.0, 20.0, 3)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  EXPECT_EQ(log.calls[log.of(1)[0]].outcome, CallOutcome::intruded);
  EXPECT_FALSE(log.calls[log.of(1)[0]].rejected);
  ASSERT_FALSE(log.of(2).empty());
  for (const std::size_t i : log.of(2)) {
    EXPECT_FALSE(log.calls[i].rejected);
    EXPECT_EQ(log.calls[i].attempts, 2u) << "redialled once at 70 s, b still busy";
    EXPECT_EQ(log.calls[i].outcome, CallOutcome::cleared);
  }
  ASSERT_FALSE(log.of(3).empty());
  for (const std::size_t i : log.of(3)) EXPECT_TRUE(log.calls[i].rejected) << "camp-on is limited";
  ASSERT_FALSE(log.of(4).empty());
  for (const std::size_t i : log.of(4)) EXPECT_FALSE(log.calls[i].rejected);
  EXPECT_EQ(log.count(2, RE::requested), 0u);
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "A mode missing from the caller exchange's `completion.modes` is
// refused the same way (outcome `unsupported`, ...)" and the fallback takes
// over; "`when` is checked first, then the caller exchange's `completion.modes`".
TEST(Limits, ModeMissingAtTheCallerExchangeIsUnsupportedAndTheFallbackTakesOver) {
  NetworkSpec n;
  CompletionSupport x;
  x.modes = {false, true, true, true};  // no campon
  x.bridges = 1;
  n.exchanges = {exchange("X", x)};
  n.populations = {address("h", 0), address("b", 0), address("a", 0), address("c", 0),
                   address("b2", 0)};
  n.policies = {campon_policy("camp", std::nullopt, std::nullopt, {FailureCause::busy}, 1),
                intrude_policy("intr")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("c-to-b2", 3, 4, 20.0, 30.0, 0)};
  n.relations[2].answer = answer(0.0, 0.0, 20.0);
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  ASSERT_EQ(log.of(1).size(), 1u);
  const CallSummary& a = log.calls[log.of(1)[0]];
  EXPECT_TRUE(a.unsupported);
  EXPECT_FALSE(a.rejected);
  EXPECT_EQ(a.outcome, CallOutcome::intruded);
  EXPECT_NE(std::find(a.policies.begin(), a.policies.end(), 1u), a.policies.end());
  EXPECT_EQ(log.count(0, RE::requested), 0u);
  // no_answer is not in camp's `when`: plain `none`, nothing unsupported.
  ASSERT_EQ(log.of(2).size(), 1u);
  const CallSummary& c = log.calls[log.of(2)[0]];
  EXPECT_EQ(c.first_failure, FailureCause::no_answer);
  EXPECT_FALSE(c.unsupported);
  EXPECT_EQ(c.outcome, CallOutcome::cleared);
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "`completion_requests_max_outstanding` is observed each time a
// measured call of the relation creates a request: the number then
// outstanding for that caller address, whichever relation made them".
// a (two lines) camps on at b1 (relation 2), then at b2 (relation 3). Its
// further calls at 10 s find b1's queue full (queue_limit 1) and are rejected
// without a request.
TEST(Limits, MaxOutstandingCountsTheCallerAddressRequestsAcrossRelations) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b1", 0), address("k", 0), address("b2", 0),
                   address("a", 0, 2)};
  n.policies = {campon_policy("camp1", std::nullopt, 1), campon_policy("camp2", std::nullopt, 1)};
  n.relations = {call_at("h-to-b1", 0, 1, 1.0, 100.0), call_at("k-to-b2", 2, 3, 2.0, 100.0),
                 call_at("a-to-b1", 4, 1, 10.0, 10.0, 0), call_at("a-to-b2", 4, 3, 20.0, 10.0, 1)};
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  const auto first = log.of(2, [](const CallSummary& c) { return !c.rejected; });
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(log.of(3).size(), 1u);
  const CallSummary& c1 = log.calls[first[0]];
  const CallSummary& c2 = log.calls[log.of(3)[0]];
  EXPECT_EQ(c1.max_outstanding_requests, 1u);
  EXPECT_EQ(c2.max_outstanding_requests, 2u);
  EXPECT_EQ(c1.outcome, CallOutcome::completed);
  EXPECT_EQ(c2.outcome, CallOutcome::completed);
  for (const std::size_t i : log.of(2)) {
    if (i != first[0]) {
      EXPECT_EQ(log.calls[i].max_outstanding_requests, 0u);
    }
  }
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
