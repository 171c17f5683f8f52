// Invariants of the completion policies on a busy random network where every
// policy acts and falls back on another: every call ends once, in exactly one
// final outcome consistent with its history, and nothing stays busy.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
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
  cb.params["cancel_after"] = random_distribution(sim::Distribution::exponential(400.0));
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

/// The mixed network on a coarse grid, so that events coincide all the time:
/// scripted first attempts at whole seconds (several relations often at the
/// same one), holding times, answer delays, timeouts, patience and reactions
/// in whole multiples of 5 s.
NetworkSpec tied_network(std::uint64_t seed) {
  NetworkSpec n = mixed_network(3000.0);
  std::mt19937_64 rng(seed);
  const double holdings[] = {30.0, 60.0, 40.0, 20.0, 30.0};
  for (std::size_t r = 0; r < n.relations.size(); ++r) {
    RelationSpec& rel = n.relations[r];
    std::vector<double> at;
    for (int k = 0; k < 120; ++k) at.push_back(static_cast<double>(rng() % 3000));
    std::sort(at.begin(), at.end());
    rel.arrivals = ArrivalSpec{};
    rel.arrivals.kind = ArrivalSpec::Kind::scripted;
    rel.arrivals.at = at;
    rel.holding = sim::Distribution::deterministic(holdings[r]);
    rel.answer = answer(0.85, r % 2 == 0 ? 0.0 : 5.0, 10.0);
  }
  n.policies[0].params["patience"] = random_distribution(sim::Distribution::deterministic(40.0));
  n.policies[1].params["recall_answer"].answer.delay = sim::Distribution::deterministic(5.0);
  n.policies[1].params["cancel_after"] =
      random_distribution(sim::Distribution::deterministic(300.0));
  n.policies[2].params["delay"] = random_distribution(sim::Distribution::deterministic(20.0));
  n.policies[3].params["reaction"] = random_distribution(sim::Distribution::deterministic(30.0));
  return n;
}

struct Trace {
  std::vector<std::tuple<RelationId, AddressId, AddressId, sim::Tick, int, sim::Tick, std::uint32_t,
                         std::vector<RequestId>>>
      calls;
  std::vector<std::tuple<PolicyId, int, sim::Tick>> requests;
  bool operator==(const Trace&) const = default;
};

Trace trace_of(const NetworkSpec& n, std::uint64_t seed, std::uint64_t scramble) {
  const PolicyRegistry registry = builtin_policy_registry();
  Sim run(n, registry, seed);
  run.net.scramble_release_order_for_testing(scramble);
  EXPECT_EQ(run.go(4000.0), sim::RunStatus::done);
  EXPECT_TRUE(all_idle(run.net, n));
  Trace t;
  for (std::size_t i = 0; i < run.log.calls.size(); ++i) {
    const CallSummary& c = run.log.calls[i];
    t.calls.emplace_back(c.relation, c.caller, c.callee, c.first_attempt_time,
                         static_cast<int>(c.outcome), c.completion_latency.value_or(-1), c.attempts,
                         c.completion_ids);
  }
  for (const auto& r : run.log.requests)
    t.requests.emplace_back(r.policy, static_cast<int>(r.event), r.now);
  return t;
}

// SPEC §3 "Serving at an instant": what is freed is served in an order that
// does not depend on the order in which it was freed. On busy networks where
// every policy acts, with events coinciding all the time, permuting the
// release order inside every event (callee line, each hop, caller line)
// changes nothing: the same calls end the same way at the same instants, and
// every completion request goes through the same steps.
TEST(PolicyInvariants, ResultsDoNotDependOnTheReleaseOrderInsideAnEvent) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    for (const bool tied : {false, true}) {
      const NetworkSpec n = tied ? tied_network(seed) : mixed_network(3000.0);
      const Trace reference = trace_of(n, seed, 0);
      ASSERT_GT(reference.calls.size(), 200u);
      ASSERT_GT(reference.requests.size(), 100u);
      for (std::uint64_t scramble = 1; scramble <= 6; ++scramble) {
        EXPECT_TRUE(trace_of(n, seed, scramble) == reference)
            << "seed " << seed << (tied ? ", tied" : "") << ", scramble " << scramble;
      }
    }
  }
}

}  // namespace
}  // namespace telsim::models
