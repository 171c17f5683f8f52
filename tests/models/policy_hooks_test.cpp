// The policy interface's guarantees (plug-in ABI version 2): several timers
// per call with whole 32-bit tags, all cancelled when the call ends; stale
// call IDs detected; each policy drawing from its own stream; and the
// life-cycle hooks (call_ended, request_ended, address_idle) called once,
// after the event, with what the policy needs to forget a call.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models {
namespace {

using namespace policy_testing;

struct HookLog {
  std::vector<std::pair<std::uint32_t, sim::Tick>> timers;  // tag, when
  std::vector<std::pair<CallOutcome, sim::Tick>> ended;
  std::vector<std::pair<RequestEnd, RequestInfo>> requests;
  std::vector<std::pair<AddressId, sim::Tick>> idle;
  std::vector<std::string> errors;
  std::optional<CallId> kept;
  std::vector<double> draws;
};

/// On busy: camps on with cancel_after 50 s, starts three timers (tags 7,
/// 0xdeadbeef and 300 s later 0xfeedface, which the call's end cancels), and
/// watches the caller's own address.
class HookPolicy final : public CompletionPolicy {
 public:
  explicit HookPolicy(HookLog& log) : log_(log) {}
  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    log_.kept = id;
    log_.draws.push_back(network.random().uniform_open0());
    network.start_timer(id, 5 * s, 7);
    network.start_timer(id, 6 * s, 0xdeadbeefu);
    const TimerId late = network.start_timer(id, 300 * s, 0xfeedfaceu);
    (void)late;
    const TimerId cancelled = network.start_timer(id, 7 * s, 99);
    EXPECT_TRUE(network.cancel_timer(cancelled));
    EXPECT_FALSE(network.cancel_timer(cancelled)) << "a handle cancels once";
    // The caller stays busy (camped) until its call ends: the watch goes with the call.
    network.watch_idle(id, network.call(id).caller);
    const RequestResult r = network.camp_on(id, cause, std::nullopt, std::nullopt, 50 * s);
    EXPECT_TRUE(r.accepted());
    const auto info = network.request(r.id);
    EXPECT_TRUE(info.has_value());
    if (info) {
      EXPECT_EQ(info->call, id);
      EXPECT_EQ(info->mode, CompletionMode::campon);
      EXPECT_EQ(info->made_at, network.now());
    }
  }
  void timer_fired(CallControl& network, CallId, std::uint32_t tag) override {
    log_.timers.emplace_back(tag, network.now());
  }
  void call_ended(CallControl& network, CallId id, CallOutcome outcome) override {
    log_.ended.emplace_back(outcome, network.now());
    EXPECT_EQ(network.call(id).attempts, 1u) << "an ended call can still be read";
    EXPECT_FALSE(network.is_live(id));
    try {
      network.start_timer(id, s, 1);
      log_.errors.push_back("(none)");
    } catch (const std::logic_error& e) {
      log_.errors.push_back(e.what());
    }
  }
  void request_ended(CallControl&, const RequestInfo& request, RequestEnd end) override {
    log_.requests.emplace_back(end, request);
  }
  void address_idle(CallControl& network, CallId, AddressId address) override {
    log_.idle.emplace_back(address, network.now());
  }

 private:
  HookLog& log_;
};

PolicyRegistry hook_registry(HookLog& log) {
  PolicyRegistry registry = builtin_policy_registry();
  PolicyType t;
  t.name = "hooks";
  t.description = "test: every hook";
  t.mode = CompletionMode::campon;
  t.default_when = {FailureCause::busy};
  t.create = [&log](const PolicySpec&) { return std::make_unique<HookPolicy>(log); };
  registry.add(std::move(t));
  return registry;
}

// a camps on at b (busy until 101 s) at 10 s; its request is cancelled by ID
// at 60 s. Timers at 15 s and 16 s fire with their tags whole; the one at
// 310 s is cancelled with the call; the one cancelled by hand never fires.
TEST(PolicyHooks, TimersTagsCancellationAndHooks) {
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("a", 0)};
  n.policies = {policy("p", "hooks", {FailureCause::busy}, std::nullopt)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0)};
  HookLog log;
  const PolicyRegistry registry = hook_registry(log);
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  EXPECT_EQ(log.timers, (std::vector<std::pair<std::uint32_t, sim::Tick>>{{7u, 15 * s},
                                                                          {0xdeadbeefu, 16 * s}}));
  ASSERT_EQ(log.ended.size(), 1u);
  EXPECT_EQ(log.ended[0], std::make_pair(CallOutcome::cancelled, 60 * s));
  ASSERT_EQ(log.requests.size(), 1u);
  EXPECT_EQ(log.requests[0].first, RequestEnd::cancelled);
  EXPECT_EQ(log.requests[0].second.id, 1u) << "completion IDs count from 1";
  EXPECT_EQ(log.requests[0].second.made_at, 10 * s);
  ASSERT_EQ(log.errors.size(), 1u);
  EXPECT_NE(log.errors[0].find("has ended"), std::string::npos) << log.errors[0];
  EXPECT_TRUE(log.idle.empty()) << "a watch of an ended call is dropped";
  EXPECT_EQ(run.net.footprint().timer_slots, 4u);
  EXPECT_TRUE(all_idle(run.net, n));
  ASSERT_EQ(run.log.calls.size(), 2u);
  EXPECT_EQ(run.log.calls[0].completion_ids, std::vector<RequestId>{1u});
}

/// Keeps the ID of the first call it sees and clears it; tries to read it
/// again when a later call (in the same, reused slot) fails.
class StalePolicy final : public CompletionPolicy {
 public:
  explicit StalePolicy(std::vector<std::string>& errors) : errors_(errors) {}
  void attempt_failed(CallControl& network, CallId id, FailureCause) override {
    if (!first_) {
      first_ = id;
    } else {
      EXPECT_EQ(id.slot, first_->slot) << "the test needs the slot reused";
      EXPECT_NE(id.generation, first_->generation);
      EXPECT_FALSE(network.is_live(*first_));
      try {
        network.call(*first_);
        errors_.push_back("(none)");
      } catch (const std::logic_error& e) {
        errors_.push_back(e.what());
      }
    }
    network.end_call(id, CallOutcome::cleared);
  }

 private:
  std::vector<std::string>& errors_;
  std::optional<CallId> first_;
};

// A call ID kept after its call ended finds its slot reused by a later call:
// the network throws instead of reaching that other call.
TEST(PolicyHooks, StaleCallIdIsDetected) {
  std::vector<std::string> errors;
  PolicyRegistry registry = builtin_policy_registry();
  PolicyType t;
  t.name = "stale";
  t.description = "test: keeps a call ID too long";
  t.default_when = {FailureCause::busy};
  t.create = [&errors](const PolicySpec&) { return std::make_unique<StalePolicy>(errors); };
  registry.add(std::move(t));
  NetworkSpec n;
  n.exchanges = {exchange("X")};
  n.populations = {address("h", 0), address("b", 0), address("a", 0), address("c", 0)};
  n.policies = {policy("p", "stale", {FailureCause::busy}, std::nullopt)};
  n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                 call_at("c-to-b", 3, 1, 20.0, 30.0, 0)};
  Sim run(n, registry);
  ASSERT_EQ(run.go(), sim::RunStatus::done);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("stale call ID"), std::string::npos) << errors[0];
}

// Two policy instances of one type draw from their own streams: the same
// draws whatever the other instance does.
TEST(PolicyHooks, EachPolicyDrawsFromItsOwnStream) {
  const auto first_draws = [](bool other_active) {
    NetworkSpec n;
    n.exchanges = {exchange("X")};
    n.populations = {address("h", 0), address("b", 0), address("a", 0),
                     address("g", 0), address("e", 0), address("f", 0)};
    n.policies = {policy("p", "hooks", {FailureCause::busy}, std::nullopt),
                  policy("q", "hooks", {FailureCause::busy}, std::nullopt)};
    n.relations = {call_at("h-to-b", 0, 1, 1.0, 100.0), call_at("a-to-b", 2, 1, 10.0, 30.0, 0),
                   call_at("g-to-e", 3, 4, 2.0, 100.0),
                   call_at("f-to-e", 5, 4, other_active ? 5.0 : 500.0, 30.0, 1)};
    HookLog log;
    const PolicyRegistry registry = hook_registry(log);
    Sim run(n, registry);
    EXPECT_EQ(run.go(), sim::RunStatus::done);
    return log.draws;
  };
  const std::vector<double> alone = first_draws(false);
  const std::vector<double> together = first_draws(true);
  ASSERT_EQ(alone.size(), 1u);
  ASSERT_EQ(together.size(), 2u);
  EXPECT_EQ(together[1], alone[0]) << "p's draw at 10 s is the same whether q drew at 5 s";
  EXPECT_NE(together[0], together[1]);
}

}  // namespace
}  // namespace telsim::models
