#pragma once
/// The completion-policy interface: what the network asks a policy, and what
/// a policy may ask the network to do with a call.
///
/// The network calls a policy at a few well-named moments: an attempt of a
/// call it handles failed with a cause in its `when` list; one of its timers
/// fired; an address became idle (only if the policy asked to hear of it).
/// `when` filtering, the exchange's mode check and fallbacks are the
/// network's job, so a policy only ever sees failures it must act on.
#include <cstdint>
#include <optional>

#include "telsim/models/ids.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/sim/random.hpp"
#include "telsim/sim/scheduler.hpp"

namespace telsim::models {

/// A call as a policy sees it.
struct CallInfo {
  AddressId caller = 0;
  AddressId callee = 0;
  RelationId relation = 0;
  std::uint32_t attempts = 0;  ///< attempts made so far, the first included
  sim::Tick first_attempt_time = 0;
};

/// A completion request's ID (TAPI's completion ID): unique within a
/// replication; 0 is never an ID.
using RequestId = std::uint64_t;

/// Why the network refused a completion request.
enum class Refusal : std::uint8_t {
  none,
  overrun,     ///< the caller address has max_per_address outstanding (LINEERR_COMPLETIONOVERRUN)
  queue_full,  ///< camp-on queue at its queue_limit
};

struct RequestResult {
  RequestId id = 0;
  Refusal refusal = Refusal::none;
  bool accepted() const { return refusal == Refusal::none; }
};

/// Operations the network offers to policies. Each acts on one call.
///
/// The completion operations (camp_on, request_callback, leave_message,
/// intrude) keep or release the call's resources as their mode prescribes,
/// and on refusal leave the call as it was, marked `rejected`, for the
/// policy to hand to its fallback.
class CallControl {
 public:
  virtual sim::Tick now() const = 0;
  virtual const CallInfo& call(CallId id) const = 0;
  /// The policy instance's own random stream ("policy/<name>").
  virtual sim::RandomStream& random(PolicyId policy) = 0;
  /// Ends the call with a final outcome; everything it holds is released.
  virtual void end_call(CallId id, CallOutcome outcome) = 0;
  /// Releases every line and circuit the call holds now (a policy that
  /// keeps some, like camp-on, does not call it).
  virtual void release_resources(CallId id) = 0;
  /// Makes a new attempt now: seizes the caller's line, routes, rings the callee.
  virtual void retry(CallId id) = 0;
  virtual bool caller_has_free_line(CallId id) const = 0;
  /// A cancellable timer that calls timer_fired(id, tag) on the call's policy.
  virtual sim::EventHandle start_timer(CallId id, sim::Tick delay, std::uint8_t tag) = 0;
  virtual bool cancel_timer(sim::EventHandle& timer) = 0;
  /// The policy cannot act: the call goes to the policy's `fallback`, which
  /// handles this failure and the call's later ones.
  virtual void hand_to_fallback(CallId id, FailureCause cause) = 0;

  /// CAMPON: on `busy` the call waits FIFO at the callee keeping its caller
  /// line and circuits; on `congestion` it waits FIFO for its first route
  /// alternative keeping only its caller line. `patience` nullopt = unlimited;
  /// `queue_limit` nullopt = unlimited (per queue).
  virtual RequestResult camp_on(CallId id, FailureCause cause, std::optional<sim::Tick> patience,
                                std::optional<std::uint64_t> queue_limit) = 0;
  /// CALLBACK: the caller hangs up; the request queues FIFO at the callee
  /// and recalls the caller when both are idle. `recall_answer` is how the
  /// caller answers the recall. A request made on `no_answer` waits until
  /// the next call or intrusion involving the callee ends.
  virtual RequestResult request_callback(CallId id, FailureCause cause, sim::Tick expiry,
                                         const AnswerSpec& recall_answer) = 0;
  /// MESSAGE: the caller is released; once the callee is idle, after
  /// `reaction`, the callee returns the call.
  virtual RequestResult leave_message(CallId id, std::uint32_t message_id,
                                      const sim::Distribution& reaction) = 0;
  /// INTRUDE: joins the callee's call through a free bridge at the callee's
  /// exchange for the call's own holding time; false if no bridge is free.
  virtual bool intrude(CallId id) = 0;
  /// lineUncompleteCall: cancels the request, releases whatever it holds,
  /// withdraws it from every queue and ends its call with `outcome`.
  /// Returns false if no such request is outstanding.
  virtual bool cancel_request(RequestId request, CallOutcome outcome) = 0;
  /// The request outstanding for the call, or 0.
  virtual RequestId request_of(CallId id) const = 0;

 protected:
  ~CallControl() = default;
};

class CompletionPolicy {
 public:
  virtual ~CompletionPolicy() = default;

  /// An attempt of `id` failed with `cause`, which is in this policy's `when`.
  virtual void attempt_failed(CallControl& network, CallId id, FailureCause cause) = 0;
  /// A timer started by this policy for `id` fired.
  virtual void timer_fired(CallControl& network, CallId id, std::uint8_t tag) = 0;

  PolicyId id() const { return id_; }
  void set_id(PolicyId id) { id_ = id; }

 private:
  PolicyId id_ = no_index;
};

}  // namespace telsim::models
