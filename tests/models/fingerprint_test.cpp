// Determinism fingerprint: a hash of everything one replication of a small
// metro network announces, in order, completion-request events included.
// Any change to event order, random streams, routing, the call life cycle or
// the order in which completion requests are served changes it. Update the
// golden values only on purpose, and say why in the commit message.
#include <gtest/gtest.h>

#include <cstdint>

#include "network_fixture.hpp"
#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

class TraceHash final : public NetworkObserver {
 public:
  void circuit_requested(TrunkGroupId g, bool granted, sim::Tick now) override {
    mix(1, g, granted ? 1 : 0, now);
  }
  void circuits_changed(TrunkGroupId g, std::uint32_t busy, sim::Tick now) override {
    mix(2, g, busy, now);
  }
  void overflowed(TrunkGroupId g, sim::Tick now) override { mix(3, g, 0, now); }
  void caller_busy(RelationId r, bool measured, sim::Tick now) override {
    mix(4, r, measured, now);
  }
  void call_ended(const CallSummary& c, sim::Tick now) override {
    mix(5, c.relation, static_cast<std::uint64_t>(c.outcome), now);
    mix(6, c.caller, c.callee, c.first_attempt_time);
    mix(7, c.attempts, c.answered_attempts, c.completion_latency.value_or(-1));
    for (const RequestId id : c.completion_ids) mix(8, id, c.sequence, c.measured);
  }
  void request_event(PolicyId policy, RequestEvent event, bool measured, sim::Tick now) override {
    mix(9, policy, static_cast<std::uint64_t>(event) * 2 + (measured ? 1 : 0), now);
  }
  std::uint64_t value() const { return hash_; }
  std::uint64_t count() const { return count_; }

 private:
  void mix(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::int64_t d) {
    for (const std::uint64_t word : {a, b, c, static_cast<std::uint64_t>(d)}) {
      hash_ ^= word;
      hash_ *= 0x100000001b3ull;
    }
    ++count_;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
  std::uint64_t count_ = 0;
};

NetworkSpec metro() {
  NetworkSpec n;
  n.exchanges = {{"A", {}}, {"B", {}}, {"T", {}}};
  n.populations = {{"homes", 0, 400, 1}, {"office", 1, 200, 2}, {"cc", 1, 1, 12}};
  n.trunk_groups = {{"AB", {0, 1}, 12, 0}, {"AT", {0, 2}, 8, 0}, {"TB", {2, 1}, 8, 2}};
  n.routes = {{0, 1, {{0}, {1, 2}}}};
  n.policies = {testing::redial_policy("again", 20.0, 0.7, 4)};
  n.relations = {
      testing::relation("homes-to-office", 0, 1, 0.08, sim::Distribution::exponential(120.0)),
      testing::relation("office-to-homes", 1, 0, 0.05, sim::Distribution::lognormal(150.0, 90.0)),
      testing::relation("homes-to-cc", 0, 2, 0.06, sim::Distribution::erlang(2, 200.0)),
      testing::relation("office-internal", 1, 1, 0.03, sim::Distribution::uniform(30.0, 90.0))};
  n.relations[0].answer.probability = 0.85;
  n.relations[0].answer.delay = sim::Distribution::exponential(6.0);
  n.relations[0].answer.timeout = 25.0;
  n.relations[2].policy = 0;
  n.relations[2].arrivals.profile = {{1000.0, 1.6}, {3000.0, 0.8}};
  return n;
}

ParamValue exponential(double mean) {
  ParamValue v;
  v.kind = ParamKind::distribution;
  v.distribution = sim::Distribution::exponential(mean);
  return v;
}

/// The same metro with every completion policy at work: camp-on with
/// patience and cancellation, callback, message, intrusion and redial as
/// fallbacks, on busy, no-answer and congested calls.
NetworkSpec metro_with_policies() {
  NetworkSpec n = metro();
  n.exchanges[0].completion.max_per_address = 2;
  n.exchanges[1].completion.bridges = 2;
  n.trunk_groups[0].circuits = 6;
  PolicySpec camp = policy_testing::campon_policy("camp", std::nullopt, 4);
  camp.params["patience"] = exponential(60.0);
  camp.params["cancel_after"] = exponential(200.0);
  camp.fallback = 1;
  PolicySpec cb = policy_testing::callback_policy("cb", 600.0);
  cb.params["cancel_after"] = exponential(900.0);
  cb.fallback = 2;
  PolicySpec msg = policy_testing::message_policy("msg", 40.0);
  PolicySpec intr = policy_testing::intrude_policy("intr", 0);
  n.policies = {camp, cb, msg, intr, testing::redial_policy("again", 20.0, 0.7, 4)};
  n.relations[0].policy = 0;
  n.relations[1].policy = 3;
  n.relations[2].policy = 1;
  n.relations[3].policy = 4;
  n.relations[1].answer.timeout = 20.0;
  n.relations[1].answer.probability = 0.8;
  return n;
}

std::pair<std::uint64_t, std::uint64_t> fingerprint(std::uint64_t seed,
                                                    const NetworkSpec& n = metro()) {
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, seed, 0);
  TraceHash trace;
  net.set_observer(&trace);
  net.run(300 * sim::ticks_per_second, 4300 * sim::ticks_per_second, {});
  return {trace.value(), trace.count()};
}

TEST(Fingerprint, MetroReplicationTraceIsUnchanged) {
  const auto [hash, count] = fingerprint(42);
  EXPECT_EQ(count, 9975u);
  EXPECT_EQ(hash, 16320078240199324626u);
}

TEST(Fingerprint, PoliciesMetroReplicationTraceIsUnchanged) {
  const auto [hash, count] = fingerprint(42, metro_with_policies());
  EXPECT_EQ(count, 10251u);
  EXPECT_EQ(hash, 10846228526979114196u);
}

TEST(Fingerprint, DependsOnTheSeed) {
  EXPECT_NE(fingerprint(42).first, fingerprint(43).first);
}

}  // namespace
}  // namespace telsim::models
