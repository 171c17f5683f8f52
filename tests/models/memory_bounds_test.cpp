// Memory bounds (issue 6 item 5): what the network keeps is bounded by the
// work in progress, not by the work done. A long run with camp-on, callback
// and message requests on busy lines and a congested group checks, between
// events, that every per-address completion entry holds a live request, and
// at the end that nothing is left; a run ten times longer needs no more call
// or request records than the peak of work in progress explains.
#include <gtest/gtest.h>

#include <algorithm>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;

RelationSpec busy_poisson(std::string name, std::uint32_t from, std::uint32_t to, double rate,
                          std::uint32_t policy, double stop) {
  RelationSpec r;
  r.name = std::move(name);
  r.from = from;
  r.to = to;
  r.arrivals.rate = rate;
  r.arrivals.profile = {{stop, 0.0}};
  r.holding = sim::Distribution::exponential(60.0);
  r.answer.probability = 0.8;
  r.answer.delay = sim::Distribution::exponential(5.0);
  r.answer.timeout = 20.0;
  r.policy = policy;
  return r;
}

NetworkSpec request_heavy_network(double stop) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {{"homes-a", 0, 1000, 1}, {"homes-b", 1, 1000, 1}};
  n.trunk_groups = {group("AB", 0, 1, 40)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {campon_policy("camp", 30.0), callback_policy("cb", 600.0),
                message_policy("msg", 20.0)};
  // About 0.3 Erlang per line: busy callees and a congested AB all the time.
  n.relations = {busy_poisson("a-to-b", 0, 1, 0.4, 0, stop),
                 busy_poisson("b-to-a", 1, 0, 0.4, 1, stop),
                 busy_poisson("a-to-a", 0, 0, 2.5, 2, stop)};
  return n;
}

/// Checks the footprint between events: `caller_busy` is announced at the
/// start of an arrival, before the event has changed anything.
class BoundsProbe final : public NetworkObserver {
 public:
  explicit BoundsProbe(const Network& net) : net_(net) {}
  void circuit_requested(TrunkGroupId, bool, sim::Tick) override {}
  void circuits_changed(TrunkGroupId, std::uint32_t, sim::Tick) override {}
  void overflowed(TrunkGroupId, sim::Tick) override {}
  void caller_busy(RelationId, bool, sim::Tick) override {
    const Network::Footprint f = net_.footprint();
    ++checks;
    max_live = std::max(max_live, f.live_requests);
    max_callee_entries = std::max(max_callee_entries, f.callee_entries);
    // Every entry holds at least one live request.
    EXPECT_LE(f.callee_entries, f.live_requests);
    EXPECT_LE(f.caller_entries, f.live_requests);
    EXPECT_LE(f.outstanding_entries, f.live_requests);
    EXPECT_LE(f.live_requests, f.request_slots);
    EXPECT_LE(f.calls_in_progress, f.call_slots);
  }
  void call_ended(const CallSummary& call, sim::Tick) override {
    ++calls;
    if (call.policies.empty()) return;
    ++calls_with_policy;
  }
  void request_event(PolicyId, RequestEvent e, bool, sim::Tick) override {
    if (e == RequestEvent::requested) ++requests;
  }

  std::size_t checks = 0;
  std::size_t calls = 0;
  std::size_t calls_with_policy = 0;
  std::size_t requests = 0;
  std::size_t max_live = 0;
  std::size_t max_callee_entries = 0;

 private:
  const Network& net_;
};

struct Outcome {
  Network::Footprint end;
  std::size_t calls = 0;
  std::size_t requests = 0;
  std::size_t call_slots = 0;
  std::size_t request_slots = 0;
};

Outcome run_for(double stop) {
  const NetworkSpec n = request_heavy_network(stop);
  const PolicyRegistry registry = builtin_policy_registry();
  Network net(n, registry, 7, 0);
  BoundsProbe probe(net);
  net.set_observer(&probe);
  EXPECT_EQ(net.run(0, sim::to_ticks(stop), {.max_events = 100'000'000, .max_pending = 1'000'000}),
            sim::RunStatus::done);
  EXPECT_GT(probe.checks, 1000u);
  EXPECT_GT(probe.calls_with_policy, probe.calls / 10);  // the policies are busy
  EXPECT_GT(probe.max_live, 20u);
  Outcome o;
  o.end = net.footprint();
  o.calls = probe.calls;
  o.requests = probe.requests;
  o.call_slots = o.end.call_slots;
  o.request_slots = o.end.request_slots;
  return o;
}

TEST(MemoryBounds, CompletionEntriesHoldLiveRequestsAndNothingIsLeftAtTheEnd) {
  const Outcome o = run_for(20000.0);
  // Many more requests than addresses: a map that kept every address ever
  // queued at would have reached the 2000 addresses.
  EXPECT_GT(o.requests, 10'000u);
  EXPECT_EQ(o.end.live_requests, 0u);
  EXPECT_EQ(o.end.callee_entries, 0u);
  EXPECT_EQ(o.end.caller_entries, 0u);
  EXPECT_EQ(o.end.outstanding_entries, 0u);
  EXPECT_EQ(o.end.calls_in_progress, 0u);
  // Traffic stopped at the horizon and every call has ended: only the
  // cancelled-timer records still waiting for their time may remain.
  EXPECT_LT(o.end.call_slots, o.calls / 20);
  EXPECT_LT(o.end.request_slots, o.requests / 20);
}

TEST(MemoryBounds, RecordsFollowTheWorkInProgressNotTheHorizon) {
  const Outcome short_run = run_for(4000.0);
  const Outcome long_run = run_for(40000.0);
  EXPECT_GT(long_run.calls, 8 * short_run.calls);
  // Peaks of a stationary process grow only slowly with the horizon; records
  // kept per call done would grow tenfold.
  EXPECT_LT(long_run.call_slots, 2 * short_run.call_slots);
  EXPECT_LT(long_run.request_slots, 2 * short_run.request_slots);
}

}  // namespace
}  // namespace telsim::models
