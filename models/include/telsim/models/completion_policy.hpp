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

/// Operations the network offers to policies. Each acts on one call.
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
