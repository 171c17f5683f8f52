#pragma once
// What one policy instance sees of the network: a CallControl bound to its
// PolicyId, so that `random()` is its own stream and what it does is counted
// under its name. Every call ID it passes is checked for staleness.
#include "telsim/models/completion_policy.hpp"
#include "telsim/models/network.hpp"

namespace telsim::models::detail {

class PolicyPort final : public CallControl {
 public:
  PolicyPort(Network& network, PolicyId policy) : net_(network), policy_(policy) {}

  sim::Tick now() const override;
  const CallInfo& call(CallId id) const override;
  bool is_live(CallId id) const override;
  sim::RandomStream& random() override;
  void end_call(CallId id, CallOutcome outcome) override;
  void release_resources(CallId id) override;
  void retry(CallId id) override;
  bool caller_has_free_line(CallId id) const override;
  bool address_idle(AddressId address) const override;
  TimerId start_timer(CallId id, sim::Tick delay, std::uint32_t tag) override;
  bool cancel_timer(TimerId timer) override;
  void hand_to_fallback(CallId id, FailureCause cause) override;
  void decline(CallId id, FailureCause cause) override;
  void watch_idle(CallId id, AddressId address) override;
  RequestResult camp_on(CallId id, FailureCause cause, std::optional<sim::Tick> patience,
                        std::optional<std::uint64_t> queue_limit,
                        std::optional<sim::Tick> cancel_after) override;
  RequestResult request_callback(CallId id, FailureCause cause, sim::Tick expiry,
                                 const AnswerSpec& recall_answer,
                                 std::optional<sim::Tick> cancel_after) override;
  RequestResult leave_message(CallId id, FailureCause cause, std::uint32_t message_id,
                              const sim::Distribution& reaction,
                              std::optional<sim::Tick> cancel_after) override;
  RequestResult intrude(CallId id) override;
  bool cancel_request(RequestId request) override;
  RequestId request_of(CallId id) const override;
  std::optional<RequestInfo> request(RequestId request) const override;

 private:
  /// The slot of a live call; throws std::logic_error for a stale or ended ID.
  CallSlot live(CallId id) const;

  Network& net_;
  PolicyId policy_;
};

}  // namespace telsim::models::detail
