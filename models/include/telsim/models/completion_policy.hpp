#pragma once
/// The completion-policy interface (plug-in ABI version 2): what the network
/// asks a policy, and what a policy may ask the network to do with a call.
///
/// The network calls a policy at a few well-named moments:
///  - an attempt of a call it handles failed with a cause in its `when` list
///    (`attempt_failed`);
///  - one of its timers fired (`timer_fired`);
///  - a call it acted on ended (`call_ended`), a request it made ended
///    (`request_ended`), an address it watches became idle (`address_idle`):
///    the life-cycle hooks, as Asterisk's CC agents have them.
/// `when` filtering, the caller's mode check and fallbacks are the network's
/// job, so a policy only ever sees failures it must act on.
///
/// Each policy instance gets its own CallControl: `random()` is that
/// instance's stream and nobody else's, and what it does is counted under
/// its name. Calls are named by CallId, a slot with a generation: an ID kept
/// after its call ended and the slot was reused is detected (std::logic_error)
/// instead of reaching another call.
#include <cstdint>
#include <optional>

#include "telsim/models/ids.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/sim/distribution.hpp"
#include "telsim/sim/random.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::models {

/// A call as a policy sees it.
struct CallInfo {
  AddressId caller = 0;
  AddressId callee = 0;
  RelationId relation = 0;
  std::uint32_t attempts = 0;  ///< attempts made so far, the first included
  sim::Tick first_attempt_time = 0;
};

/// Why a completion request was refused (TAPI's lineCompleteCall errors).
enum class Refusal : std::uint8_t {
  none,
  overrun,     ///< the caller address has max_per_address outstanding (LINEERR_COMPLETIONOVERRUN)
  queue_full,  ///< camp-on queue at its queue_limit (LINEERR_RESOURCEUNAVAIL)
  no_bridge,   ///< intrude: no connected call to join, or no free bridge (LINEERR_RESOURCEUNAVAIL)
};

struct RequestResult {
  RequestId id = 0;
  Refusal refusal = Refusal::none;
  bool accepted() const { return refusal == Refusal::none; }
};

/// A completion request as a policy sees it.
struct RequestInfo {
  RequestId id = 0;
  CallId call;
  PolicyId policy = no_index;  ///< the instance that made it
  CompletionMode mode = CompletionMode::campon;
  FailureCause cause = FailureCause::busy;  ///< the failure it was made on
  std::uint32_t message_id = 0;             ///< MESSAGE: the predefined message left
  sim::Tick made_at = 0;
};

/// How a request ended (the `request_ended` hook).
enum class RequestEnd : std::uint8_t {
  served,         ///< camp-on got the callee's line; callback set up again; message's return
                  ///< call ended after connecting
  abandoned,      ///< camp-on patience ran out
  expired,        ///< callback expiry ran out
  recall_failed,  ///< callback recall unanswered
  cancelled,      ///< cancelled by its completion ID (cancel_after, or cancel_request)
  setup_failed,   ///< the return call's set-up failed
  withdrawn,      ///< its call ended otherwise (a policy ended it)
};

/// A policy timer, cancellable through this handle; stale handles are harmless.
struct TimerId {
  std::uint32_t slot = no_index;
  std::uint32_t generation = 0;
};

/// Operations the network offers to one policy instance. Each acts on one call.
///
/// The completion operations (camp_on, request_callback, leave_message,
/// intrude) keep or release the call's resources as their mode prescribes,
/// and on refusal leave the call as it was, marked `rejected` (overrun, full
/// queue), for the policy to hand to its fallback; the refusal is counted
/// under its cause. `cancel_after` (nullopt = never) cancels the request by
/// its completion ID that long after it is made, if it is still outstanding
/// (SPEC §3 "Cancellation").
class CallControl {
 public:
  virtual sim::Tick now() const = 0;
  /// The call. Throws std::logic_error if `id` is stale.
  virtual const CallInfo& call(CallId id) const = 0;
  /// Whether `id` names a call that has not ended.
  virtual bool is_live(CallId id) const = 0;
  /// This policy instance's own random stream ("policy/<name>").
  virtual sim::RandomStream& random() = 0;
  /// Ends the call with a final outcome; everything it holds is released.
  virtual void end_call(CallId id, CallOutcome outcome) = 0;
  /// Releases every line and circuit the call holds now (a policy that
  /// keeps some, like camp-on, does not call it).
  virtual void release_resources(CallId id) = 0;
  /// Makes a new attempt now: seizes the caller's line, routes, rings the callee.
  virtual void retry(CallId id) = 0;
  virtual bool caller_has_free_line(CallId id) const = 0;
  /// Whether the address has a free line now (an unlimited address always has).
  virtual bool address_idle(AddressId address) const = 0;
  /// A timer that calls timer_fired(id, tag) on this policy after `delay`.
  /// Any number per call; the tag comes back whole. Every timer of a call is
  /// cancelled when the call ends.
  virtual TimerId start_timer(CallId id, sim::Tick delay, std::uint32_t tag) = 0;
  /// Cancels the timer if it is still pending; returns whether it was.
  virtual bool cancel_timer(TimerId timer) = 0;
  /// The policy cannot act (its request was refused): the call goes to the
  /// policy's `fallback`, which handles this failure and the call's later ones.
  virtual void hand_to_fallback(CallId id, FailureCause cause) = 0;
  /// The policy's mode cannot act on this cause (a callback on congestion):
  /// counted as a refusal (LINEERR_INVALCALLSTATE), then as hand_to_fallback.
  virtual void decline(CallId id, FailureCause cause) = 0;
  /// Calls address_idle(id, address) on this policy once, after the first
  /// event at whose end `address` is idle (at the end of this one if it is
  /// idle now). Dropped if the call ends first.
  virtual void watch_idle(CallId id, AddressId address) = 0;

  /// CAMPON: on `busy` the call waits FIFO at the callee keeping its caller
  /// line and circuits; on `congestion` it waits FIFO for its first route
  /// alternative keeping only its caller line. `patience` nullopt = unlimited;
  /// `queue_limit` nullopt = unlimited (per queue).
  virtual RequestResult camp_on(CallId id, FailureCause cause, std::optional<sim::Tick> patience,
                                std::optional<std::uint64_t> queue_limit,
                                std::optional<sim::Tick> cancel_after) = 0;
  /// CALLBACK: the caller hangs up; the request queues FIFO at the callee
  /// and recalls the caller when both are idle. `recall_answer` is how the
  /// caller answers the recall. A request made on `no_answer` waits until
  /// the next call or intrusion involving the callee ends.
  virtual RequestResult request_callback(CallId id, FailureCause cause, sim::Tick expiry,
                                         const AnswerSpec& recall_answer,
                                         std::optional<sim::Tick> cancel_after) = 0;
  /// MESSAGE: the caller leaves predefined message `message_id` and is
  /// released; once the callee is idle, after `reaction`, it returns the call.
  /// `cause` is the failure it acts on (the request's RequestInfo::cause).
  virtual RequestResult leave_message(CallId id, FailureCause cause, std::uint32_t message_id,
                                      const sim::Distribution& reaction,
                                      std::optional<sim::Tick> cancel_after) = 0;
  /// INTRUDE: joins the callee's connected call through a free bridge at the
  /// callee's exchange for the call's own holding time; refused (no_bridge)
  /// if the callee has no connected call or no bridge is free.
  virtual RequestResult intrude(CallId id) = 0;
  /// lineUncompleteCall: cancels the request, releases whatever it holds,
  /// withdraws it from every queue and ends its call `cancelled`. Returns
  /// false if no such request is outstanding.
  virtual bool cancel_request(RequestId request) = 0;
  /// The request outstanding for the call, or 0.
  virtual RequestId request_of(CallId id) const = 0;
  /// The outstanding request with this ID, if any.
  virtual std::optional<RequestInfo> request(RequestId request) const = 0;

 protected:
  ~CallControl() = default;
};

class CompletionPolicy {
 public:
  virtual ~CompletionPolicy() = default;

  /// An attempt of `id` failed with `cause`, which is in this policy's `when`.
  virtual void attempt_failed(CallControl& network, CallId id, FailureCause cause) = 0;
  /// A timer this policy started for `id` fired.
  virtual void timer_fired(CallControl& network, CallId id, std::uint32_t tag) {
    (void)network, (void)id, (void)tag;
  }
  /// A call this policy acted on ended (after its resources were released).
  /// `network.call(id)` still reads it; nothing else may act on it.
  virtual void call_ended(CallControl& network, CallId id, CallOutcome outcome) {
    (void)network, (void)id, (void)outcome;
  }
  /// A request this policy made ended; `request.call` may still be live
  /// (served) or have ended (every other end).
  virtual void request_ended(CallControl& network, const RequestInfo& request, RequestEnd end) {
    (void)network, (void)request, (void)end;
  }
  /// `address`, which this policy watched for `id` (watch_idle), is idle.
  virtual void address_idle(CallControl& network, CallId id, AddressId address) {
    (void)network, (void)id, (void)address;
  }

  PolicyId id() const { return id_; }
  void set_id(PolicyId id) { id_ = id; }

 private:
  PolicyId id_ = no_index;
};

}  // namespace telsim::models
