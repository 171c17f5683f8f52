// Cancelling a completion request by its ID (SPEC §3: "Cancelling a request by
// its ID (TAPI `lineUncompleteCall`) releases whatever it holds and withdraws
// it from every queue"), and request IDs ("a completion ID, unique within a
// replication"). A test policy type, registered in a local registry, makes
// the requests, records their IDs and cancels them from a timer.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;
using RE = RequestEvent;
using Changes = std::vector<std::pair<sim::Tick, std::uint32_t>>;

struct Recorder {
  std::map<RelationId, double> cancel_after;  ///< seconds from the request to its cancellation
  std::vector<RequestId> ids;                 ///< every request made, in order
  std::vector<sim::Tick> cancel_times;
  std::vector<bool> first_cancel;   ///< cancel_request's result
  std::vector<bool> second_cancel;  ///< the same ID again, at once
  std::vector<bool> zero_cancel;    ///< ID 0, which is never an ID
};

enum class Kind { campon, callback, message };

/// Makes a request of its kind; on refusal hands the call to its fallback.
class CancellingPolicy final : public CompletionPolicy {
 public:
  CancellingPolicy(Recorder& recorder, Kind kind) : recorder_(recorder), kind_(kind) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    RequestResult result;
    switch (kind_) {
      case Kind::campon:
        result = network.camp_on(id, cause, std::nullopt, std::nullopt, std::nullopt);
        break;
      case Kind::callback:
        result = network.request_callback(id, cause, sim::to_ticks(2700.0), answer(1.0, 10.0, 20.0),
                                          std::nullopt);
        break;
      case Kind::message:
        result = network.leave_message(id, cause, 0, sim::Distribution::deterministic(20.0),
                                       std::nullopt);
        break;
    }
    if (!result.accepted()) {
      network.hand_to_fallback(id, cause);
      return;
    }
    const RequestId request = network.request_of(id);
    EXPECT_EQ(request, result.id);
    recorder_.ids.push_back(request);
    const auto it = recorder_.cancel_after.find(network.call(id).relation);
    if (it == recorder_.cancel_after.end()) return;
    pending_[id.slot] = request;
    network.start_timer(id, sim::to_ticks(it->second), 0);
  }

  void timer_fired(CallControl& network, CallId id, std::uint32_t) override {
    const RequestId request = pending_.at(id.slot);
    pending_.erase(id.slot);
    recorder_.cancel_times.push_back(network.now());
    recorder_.first_cancel.push_back(network.cancel_request(request));
    recorder_.second_cancel.push_back(network.cancel_request(request));
    recorder_.zero_cancel.push_back(network.cancel_request(0));
  }

 private:
  Recorder& recorder_;
  Kind kind_;
  std::map<CallSlot, RequestId> pending_;  // by the call's slot: one call per slot at a time
};

/// The built-ins plus "cancel-campon", "cancel-callback" and "cancel-message".
PolicyRegistry registry_with(Recorder& recorder) {
  PolicyRegistry registry = builtin_policy_registry();
  const struct {
    const char* name;
    Kind kind;
    CompletionMode mode;
  } types[] = {{"cancel-campon", Kind::campon, CompletionMode::campon},
               {"cancel-callback", Kind::callback, CompletionMode::callback},
               {"cancel-message", Kind::message, CompletionMode::message}};
  for (const auto& t : types) {
    PolicyType type;
    type.name = t.name;
    type.description = "test: a request that may be cancelled by ID from a timer";
    type.mode = t.mode;
    type.default_when = {FailureCause::busy};
    type.origin = "policy_cancel_test";
    type.create = [&recorder, kind = t.kind](const PolicySpec&) {
      return std::make_unique<CancellingPolicy>(recorder, kind);
    };
    registry.add(std::move(type));
  }
  return registry;
}

PolicySpec cancelling(const char* type, std::vector<FailureCause> when = {
                                            FailureCause::busy, FailureCause::congestion}) {
  return policy(type, type, std::move(when), std::nullopt);
}

CompletionSupport one_request_per_address() {
  CompletionSupport c;
  c.max_per_address = 1;
  return c;
}

// c1 camps on at b and is cancelled at 30 s: it ends there, its line is free,
// c2 (queued behind it) is served first at 101 s, and c1's next request is
// not refused although its exchange allows one per address.
TEST(Cancel, CampOnCancelledWhileQueuedLeavesNoTrace) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0),  address("b", 0), address("c1", 0),
                   address("c2", 0), address("k", 0), address("d", 0)};
  n.policies = {cancelling("cancel-campon")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("c1-to-b", 2, 1, 10.0, 40.0, 0),
                 call_at("c2-to-b", 3, 1, 20.0, 40.0, 0), call_at("k-to-d", 4, 5, 2.0, 100.0),
                 call_at("c1-to-d", 2, 5, 50.0, 10.0, 0)};
  Recorder recorder;
  recorder.cancel_after = {{1, 20.0}};
  const PolicyRegistry registry = registry_with(recorder);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;

  EXPECT_EQ(recorder.cancel_times, std::vector<sim::Tick>{30 * s});
  EXPECT_EQ(recorder.first_cancel, std::vector<bool>{true});
  EXPECT_EQ(recorder.second_cancel, std::vector<bool>{false}) << "the ID is gone once cancelled";
  EXPECT_EQ(recorder.zero_cancel, std::vector<bool>{false});
  EXPECT_EQ(log.times(0, RE::cancelled), std::vector<sim::Tick>{30 * s});

  ASSERT_EQ(log.of(1).size(), 1u) << "one end for the cancelled call";
  const CallSummary& c1 = log.calls[log.of(1)[0]];
  EXPECT_EQ(c1.outcome, CallOutcome::cancelled);
  EXPECT_EQ(log.end_times[log.of(1)[0]], 30 * s);
  EXPECT_EQ(c1.attempts, 1u);
  EXPECT_EQ(c1.answered_attempts, 0u);
  EXPECT_FALSE(c1.completion_latency.has_value());

  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].completion_latency, std::optional<sim::Tick>(81 * s))
      << "c2 is served at 101 s as if c1 had never queued";

  ASSERT_EQ(log.of(4).size(), 1u);
  const CallSummary& again = log.calls[log.of(4)[0]];
  EXPECT_FALSE(again.rejected) << "the cancelled request no longer counts against max_per_address";
  EXPECT_EQ(again.max_outstanding_requests, 1u);
  EXPECT_EQ(again.outcome, CallOutcome::completed);
  EXPECT_EQ(again.completion_latency, std::optional<sim::Tick>(52 * s));
  // Nothing happens to c1's first call after its cancellation (c1's next request comes at 50 s).
  for (const auto& r : log.requests) {
    if (r.now > 30 * s && r.now < 50 * s)
      ADD_FAILURE() << "request event " << to_string(r.event) << " at " << r.now;
  }
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// A call waiting for circuits (camp-on on congestion) is withdrawn from the
// trunk queue: the circuit freed at 101 s goes to c2.
TEST(Cancel, TrunkCamperCancelledWhileQueuedLeavesTheTrunkQueue) {
  NetworkSpec n;
  n.exchanges = {exchange("A"), exchange("B")};
  n.populations = {address("h", 0),  address("g", 1, std::nullopt),
                   address("c1", 0), address("c2", 0),
                   address("b1", 1), address("b2", 1)};
  n.trunk_groups = {group("AB", 0, 1, 1)};
  n.routes = {{0, 1, {{0}}}};
  n.policies = {cancelling("cancel-campon")};
  n.relations = {call_at("h-to-g", 0, 1, 1.0, 100.0), call_at("c1-to-b1", 2, 4, 10.0, 10.0, 0),
                 call_at("c2-to-b2", 3, 5, 20.0, 10.0, 0)};
  Recorder recorder;
  recorder.cancel_after = {{1, 20.0}};
  const PolicyRegistry registry = registry_with(recorder);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  EXPECT_EQ(recorder.first_cancel, std::vector<bool>{true});
  ASSERT_EQ(log.of(1).size(), 1u);
  EXPECT_EQ(log.calls[log.of(1)[0]].outcome, CallOutcome::cancelled);
  EXPECT_EQ(log.end_times[log.of(1)[0]], 30 * s);
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].completion_latency, std::optional<sim::Tick>(81 * s));
  EXPECT_EQ(log.changes_of(0), (Changes{{1 * s, 1}, {101 * s, 0}, {101 * s, 1}, {111 * s, 0}}));
  EXPECT_TRUE(all_idle(run.net, n));
}

// Cancelled while the caller's recall rings (recalled at 101 s, it would
// answer at 111 s): the reserved callee line and the caller's line go back at
// once and the recall's answer never comes.
TEST(Cancel, CallbackCancelledDuringItsRecallReleasesBothLines) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0), address("d", 0)};
  n.policies = {cancelling("cancel-callback", {FailureCause::busy})};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("d-to-b", 3, 1, 106.0, 10.0)};
  Recorder recorder;
  recorder.cancel_after = {{1, 95.0}};
  const PolicyRegistry registry = registry_with(recorder);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  EXPECT_EQ(recorder.cancel_times, std::vector<sim::Tick>{105 * s});
  EXPECT_EQ(recorder.first_cancel, std::vector<bool>{true});
  const auto main = log.of(1, [](const CallSummary& c) { return !c.rejected; });
  ASSERT_EQ(main.size(), 1u);
  EXPECT_EQ(log.calls[main[0]].outcome, CallOutcome::cancelled);
  EXPECT_EQ(log.end_times[main[0]], 105 * s);
  EXPECT_EQ(log.count(0, RE::recalled), 1u);
  EXPECT_EQ(log.count(0, RE::recall_answered), 0u);
  ASSERT_EQ(log.of(2).size(), 1u);
  EXPECT_EQ(log.calls[log.of(2)[0]].outcome, CallOutcome::connected)
      << "b's reserved line was released";
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// SPEC: "`message` (until the return call ends)" holds its request, so the
// request can be cancelled while the return call is up (121 s .. 151 s):
// cancelled at 140 s, the call ends there, once, with everything released,
// and nothing more happens to it.
TEST(Cancel, MessageCancelledDuringItsReturnCallEndsTheCallOnce) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0), address("b", 0), address("a", 0)};
  n.policies = {cancelling("cancel-message", {FailureCause::busy})};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0)};
  Recorder recorder;
  recorder.cancel_after = {{1, 130.0}};
  const PolicyRegistry registry = registry_with(recorder);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  EXPECT_EQ(log.times(0, RE::message_returned), std::vector<sim::Tick>{121 * s});
  EXPECT_EQ(recorder.cancel_times, std::vector<sim::Tick>{140 * s});
  EXPECT_EQ(recorder.first_cancel, std::vector<bool>{true});
  const auto main = log.of(1, [](const CallSummary& c) { return c.message; });
  EXPECT_EQ(main.size(), 1u) << "the cancelled call is announced once";
  ASSERT_FALSE(main.empty());
  EXPECT_EQ(log.calls[main[0]].outcome, CallOutcome::cancelled);
  EXPECT_EQ(log.end_times[main[0]], 140 * s);
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    EXPECT_LE(log.end_times[i], 140 * s)
        << "call_ended announced after the cancellation, outcome "
        << to_string(log.calls[i].outcome) << ", relation " << log.calls[i].relation;
  }
  EXPECT_TRUE(all_idle(run.net, n));
  EXPECT_EQ(run.net.calls_in_progress(), 0u);
}

// The same cancellation, followed by two unrelated calls: each must keep its
// own line and holding time, and every line must be idle at the end.
TEST(Cancel, MessageCancelledDuringItsReturnCallDoesNotDisturbLaterCalls) {
  NetworkSpec n;
  n.exchanges = {exchange("X", one_request_per_address())};
  n.populations = {address("h", 0),  address("b", 0),  address("a", 0), address("d1", 0),
                   address("e1", 0), address("d2", 0), address("e2", 0)};
  n.policies = {cancelling("cancel-message", {FailureCause::busy})};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("d1-to-e1", 3, 4, 200.0, 50.0), call_at("d2-to-e2", 5, 6, 210.0, 50.0)};
  Recorder recorder;
  recorder.cancel_after = {{1, 130.0}};
  const PolicyRegistry registry = registry_with(recorder);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  const PolicyLog& log = run.log;
  for (RelationId r : {2u, 3u}) {
    EXPECT_EQ(log.of(r).size(), 1u) << "relation " << r;
    for (const std::size_t i : log.of(r)) {
      EXPECT_EQ(log.calls[i].outcome, CallOutcome::connected) << "relation " << r;
      EXPECT_EQ(log.end_times[i] - log.calls[i].first_attempt_time, 50 * s) << "relation " << r;
    }
  }
  EXPECT_TRUE(all_idle(run.net, n));
}

// SPEC: "a completion ID, unique within a replication". Ten requests, five at
// a time, so request slots are reused; no ID is 0 and none repeats.
TEST(Cancel, RequestIdsAreUniqueWithinAReplication) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0)};
  n.policies = {cancelling("cancel-campon")};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("h-to-b-again", 0, 1, 300.0, 100.0)};
  for (std::uint32_t i = 0; i < 5; ++i) {
    n.populations.push_back(address("c" + std::to_string(i), 0));
    n.relations.push_back(call_at("first-" + std::to_string(i), 2 + i, 1, 10.0 + 10.0 * i, 5.0, 0));
    n.relations.push_back(
        call_at("second-" + std::to_string(i), 2 + i, 1, 310.0 + 10.0 * i, 5.0, 0));
  }
  Recorder recorder;
  const PolicyRegistry registry = registry_with(recorder);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  ASSERT_EQ(recorder.ids.size(), 10u);
  EXPECT_EQ(std::count(recorder.ids.begin(), recorder.ids.end(), RequestId{0}), 0);
  EXPECT_EQ(std::set<RequestId>(recorder.ids.begin(), recorder.ids.end()).size(), 10u);
  for (const auto& c : run.log.calls) {
    if (c.relation >= 2) {
      EXPECT_EQ(c.outcome, CallOutcome::completed);
    }
  }
  EXPECT_TRUE(all_idle(run.net, n));
}

}  // namespace
}  // namespace telsim::models
