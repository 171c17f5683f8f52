#pragma once
/// What the network announces. Models never record or print: the runner
/// connects recorders from analysis/ through this interface. With no
/// observer attached every announcement is one predictable branch.
#include <cstdint>
#include <optional>
#include <vector>

#include "telsim/models/ids.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::models {

/// Everything about one call, announced once when it ends.
struct CallSummary {
  /// The call's number among the replication's measured calls, from 0, in
  /// order of first attempt (measured calls only; SPEC §4 `--calls`).
  std::uint64_t sequence = 0;
  RelationId relation = 0;
  AddressId caller = 0;
  AddressId callee = 0;
  bool measured = false;  ///< first attempt in [warmup, warmup + duration)
  std::optional<FailureCause> first_failure;
  CallOutcome outcome = CallOutcome::cleared;
  bool rejected = false;     ///< a request was refused on the way (overrun or full queue)
  bool unsupported = false;  ///< a mode was missing at the caller's exchange on the way
  bool message = false;      ///< a message was left on the way
  std::uint32_t attempts = 0;
  std::uint32_t answered_attempts = 0;
  sim::Tick first_attempt_time = 0;
  /// From the first attempt's failure to the final connection (completed calls only).
  std::optional<sim::Tick> completion_latency;
  /// Largest number of requests outstanding for the caller address, observed
  /// each time this call created a request (0 if it created none).
  std::uint32_t max_outstanding_requests = 0;
  /// Policy instances that acted on the call, in the order they first did
  /// (the last one is the instance that acted last: fallbacks only go on).
  std::vector<PolicyId> policies;
  /// The completion IDs of the requests made for the call, in the order made.
  std::vector<RequestId> completion_ids;
};

/// Steps in the life of a completion request (per policy instance).
enum class RequestEvent : std::uint8_t {
  requested,            ///< a request was created
  refused_overrun,      ///< the caller had max_per_address outstanding (LINEERR_COMPLETIONOVERRUN)
  refused_queue_full,   ///< camp-on queue at its queue_limit (LINEERR_RESOURCEUNAVAIL)
  refused_no_bridge,    ///< intrude: no connected call to join or no free bridge
                        ///< (LINEERR_RESOURCEUNAVAIL)
  refused_cause,        ///< the mode cannot act on the failure's cause (LINEERR_INVALCALLSTATE)
  refused_unsupported,  ///< the mode is missing from the caller's capabilities
                        ///< (LINEERR_INVALCALLCOMPLMODE)
  callee_free,       ///< the callee became free for it (camp-on served, recall or message reaction
                     ///< started)
  recalled,          ///< callback: the caller's phone rings
  recall_answered,   ///< callback: the caller answered the recall; the call is set up again
  message_returned,  ///< message: the callee returns the call
  connected,         ///< its call connected through it
  expired,           ///< callback: expiry ran out
  abandoned,         ///< camp-on: patience ran out
  recall_failed,     ///< callback: the recall was not answered
  cancelled,         ///< cancelled by its completion ID (lineUncompleteCall)
  setup_failed,      ///< the recall's or return call's set-up failed (call cleared)
};
inline constexpr std::size_t request_event_count = 16;
/// Whether the event is one of the refusals (their sum is `requests.refused`).
inline bool is_refusal(RequestEvent e) {
  return e >= RequestEvent::refused_overrun && e <= RequestEvent::refused_unsupported;
}
const char* to_string(RequestEvent e);

class NetworkObserver {
 public:
  virtual ~NetworkObserver() = default;
  /// A hop asked `group` for a circuit (camp-on grants are not requests).
  virtual void circuit_requested(TrunkGroupId group, bool granted, sim::Tick now) = 0;
  /// The request just announced as refused was refused only because of `reserve`: the
  /// call's bandwidth was free there, but not usable by traffic that is not first-choice.
  virtual void refused_by_reserve(TrunkGroupId group, sim::Tick now) { (void)group, (void)now; }
  /// The number of busy circuits of `group` changed to `busy`.
  virtual void circuits_changed(TrunkGroupId group, std::uint32_t busy, sim::Tick now) = 0;
  /// A call could not use `group` on an alternative and moved on to a later one.
  virtual void overflowed(TrunkGroupId group, sim::Tick now) = 0;
  /// A poisson arrival found its caller with no free line (no call placed).
  virtual void caller_busy(RelationId relation, bool measured, sim::Tick now) = 0;
  /// A call ended, with everything that happened to it.
  virtual void call_ended(const CallSummary& call, sim::Tick now) = 0;
  /// A completion request made by `policy` went through a step of its life.
  virtual void request_event(PolicyId policy, RequestEvent event, bool measured, sim::Tick now) {
    (void)policy, (void)event, (void)measured, (void)now;
  }
};

}  // namespace telsim::models
