// Invariants of the completion policies on a busy random network where every
// policy acts and falls back on another: every call ends once, in exactly one
// final outcome consistent with its history, and nothing stays busy.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <set>
#include <tuple>
#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;

ParamValue random_distribution(sim::Distribution d) {
  ParamValue v;
  v.kind = ParamKind::distribution;
  v.distribution = std::move(d);
  return v;
}

RelationSpec poisson(std::string name, std::uint32_t from, std::uint32_t to, double rate,
                     double mean_holding, std::uint32_t policy, double stop) {
  RelationSpec r;
  r.name = std::move(name);
  r.from = from;
  r.to = to;
  r.arrivals.rate = rate;
  r.arrivals.profile = {{stop, 0.0}};
  r.holding = sim::Distribution::exponential(mean_holding);
  r.answer.probability = 0.85;
  r.answer.delay = sim::Distribution::uniform(0.0, 10.0);
  r.answer.timeout = 8.0;
  r.policy = policy;
  return r;
}

NetworkSpec mixed_network(double stop) {
  NetworkSpec n;
  CompletionSupport a;
  a.bridges = 1;
  a.max_per_address = 3;
  CompletionSupport b;
  b.bridges = 1;
  b.max_per_address = 2;
  n.exchanges = {exchange("A", a), exchange("B", b), exchange("T")};
  n.populations = {{"homes", 0, 8, 1}, {"office", 1, 6, 2}, {"cc", 1, 1, 2}};
  n.trunk_groups = {group("AB", 0, 1, 3), group("AT", 0, 2, 2), {"TB", {2, 1}, 2, 1}};
  n.routes = {{0, 1, {{0}, {1, 2}}}};

  PolicySpec camp =
      campon_policy("camp", std::nullopt, 2, {FailureCause::busy, FailureCause::congestion}, 2);
  camp.params["patience"] = random_distribution(sim::Distribution::exponential(40.0));
  PolicySpec cb = callback_policy("cb", 300.0, answer(0.7, 0.0, 8.0),
                                  {FailureCause::busy, FailureCause::no_answer}, 3);
  cb.params["recall_answer"].answer.delay = sim::Distribution::uniform(0.0, 10.0);
  PolicySpec redial = redial_policy("redial", 20.0, 3);
  redial.params["delay"] = random_distribution(sim::Distribution::exponential(20.0));
  redial.params["persistence"].number = 0.6;
  PolicySpec msg = message_policy("msg", 30.0);
  msg.params["reaction"] = random_distribution(sim::Distribution::exponential(30.0));
  PolicySpec intr = intrude_policy("intr", 0);
  n.policies = {camp, cb, redial, msg, intr};

  n.relations = {poisson("homes-to-office", 0, 1, 0.04, 60.0, 0, stop),
                 poisson("office-to-homes", 1, 0, 0.04, 60.0, 1, stop),
                 poisson("homes-to-cc", 0, 2, 0.03, 90.0, 4, stop),
                 poisson("office-to-office", 1, 1, 0.02, 40.0, 3, stop),
                 poisson("homes-to-homes", 0, 0, 0.02, 30.0, 2, stop)};
  return n;
}

TEST(PolicyInvariants, EveryCallEndsOnceConsistentlyAndNothingStaysBusy) {
  const NetworkSpec n = mixed_network(3000.0);
  const PolicyRegistry registry = builtin_policy_registry();
  std::array<std::size_t, call_outcome_count> outcomes{};
  std::size_t rejected = 0, message = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    Sim run(n, registry, seed);
    ASSERT_EQ(run.go(3000.0), sim::RunStatus::done);
    const PolicyLog& log = run.log;
    ASSERT_GT(log.calls.size(), 200u);  // enough traffic for the checks below to bite
    std::set<std::tuple<RelationId, AddressId, AddressId, sim::Tick>> seen;
    std::size_t with_request = 0;
    for (std::size_t i = 0; i < log.calls.size(); ++i) {
      const CallSummary& c = log.calls[i];
      SCOPED_TRACE(::testing::Message()
                   << "seed " << seed << ", call " << i << " of relation " << c.relation
                   << " first attempt at " << c.first_attempt_time << ", outcome "
                   << to_string(c.outcome));
      EXPECT_TRUE(seen.insert({c.relation, c.caller, c.callee, c.first_attempt_time}).second)
          << "ended twice";
      EXPECT_TRUE(c.measured);
      EXPECT_GE(log.end_times[i], c.first_attempt_time);
      EXPECT_GE(c.attempts, 1u);
      ++outcomes[static_cast<std::size_t>(c.outcome)];
      rejected += c.rejected ? 1 : 0;
      message += c.message ? 1 : 0;
      with_request += c.max_outstanding_requests > 0 ? 1 : 0;
      // SPEC §3 Accounting: "A call is `connected` only if its first attempt is
      // answered without any policy acting".
      EXPECT_EQ(c.outcome == CallOutcome::connected, !c.first_failure.has_value());
      if (c.outcome == CallOutcome::connected) {
        EXPECT_EQ(c.attempts, 1u);
        EXPECT_TRUE(c.policies.empty());
      }
      // Latency for completed calls only; "an attempt counts as answered when its call connects".
      EXPECT_EQ(c.completion_latency.has_value(), c.outcome == CallOutcome::completed);
      if (c.completion_latency) {
        EXPECT_GE(*c.completion_latency, 0);
      }
      const bool connects =
          c.outcome == CallOutcome::connected || c.outcome == CallOutcome::completed;
      EXPECT_EQ(c.answered_attempts, connects ? 1u : 0u);
      if (c.message) {
        EXPECT_NE(std::find(c.policies.begin(), c.policies.end(), 3u), c.policies.end());
      }
      if (c.outcome == CallOutcome::intruded) {
        EXPECT_NE(std::find(c.policies.begin(), c.policies.end(), 4u), c.policies.end());
      }
    }
    // Each call makes at most one request here, and every request is announced once.
    std::size_t requested = 0;
    for (PolicyId p = 0; p < n.policies.size(); ++p) requested += log.count(p, RE::requested);
    EXPECT_EQ(requested, with_request) << "seed " << seed;
    EXPECT_TRUE(all_idle(run.net, n)) << "seed " << seed;
    EXPECT_EQ(run.net.calls_in_progress(), 0u) << "seed " << seed;
    EXPECT_EQ(run.net.measured_calls_in_progress(), 0u) << "seed " << seed;
  }
  // The network exercises every final outcome and both flags.
  for (std::size_t o = 0; o < call_outcome_count; ++o) {
    EXPECT_GT(outcomes[o], 0u) << to_string(static_cast<CallOutcome>(o));
  }
  EXPECT_GT(rejected, 0u);
  EXPECT_GT(message, 0u);
}

}  // namespace
}  // namespace telsim::models
