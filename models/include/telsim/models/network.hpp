#pragma once
/// The network model of one replication: exchanges, populations, trunk
/// groups, routes, traffic relations and the calls in progress, driven by the
/// event engine. It announces what happens to a NetworkObserver and records
/// nothing itself.
#include <cstdint>
#include <memory>
#include <vector>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/ids.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/models/observer.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/sim/distribution.hpp"
#include "telsim/sim/random.hpp"
#include "telsim/sim/scheduler.hpp"

namespace telsim::models {

namespace detail {
struct CompletionState;
}

class Network final : private CallControl {
 public:
  /// Builds replication `replication` of a run seeded `seed`. Every random
  /// stream is derived from (seed, replication, purpose). `spec` must have
  /// been validated (the loader does that); it must outlive the network.
  Network(const NetworkSpec& spec, const PolicyRegistry& registry, std::uint64_t seed,
          std::uint64_t replication);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  void set_observer(NetworkObserver* observer) { observer_ = observer; }

  /// Runs the replication: calls whose first attempt falls in [warmup,
  /// horizon) are measured; after the horizon traffic keeps arriving,
  /// unmeasured, until every measured call has ended. Returns which limit
  /// stopped it, if any.
  sim::RunStatus run(sim::Tick warmup, sim::Tick horizon, const sim::RunLimits& limits);

  const sim::Scheduler& scheduler() const { return scheduler_; }

  // Inspection, for tests and the runner.
  std::uint32_t busy_circuits(TrunkGroupId g) const { return groups_[g].busy; }
  std::uint32_t busy_lines(std::uint32_t population, std::uint64_t index) const;
  std::size_t calls_in_progress() const { return calls_.size() - free_calls_.size(); }
  std::size_t measured_calls_in_progress() const { return measured_active_; }

  /// Sizes of every container that grows with the work in progress, for the
  /// tests that pin the memory bounds (docs/design-decisions.md "Memory
  /// bounds"). O(1).
  struct Footprint {
    std::size_t call_slots = 0;           ///< call records: the peak of calls in progress
    std::size_t calls_in_progress = 0;    ///< including ended calls awaiting their events
    std::size_t request_slots = 0;        ///< request records: the peak of live requests
    std::size_t live_requests = 0;        ///< completion requests outstanding now
    std::size_t callee_entries = 0;       ///< addresses with a callee queue entry
    std::size_t caller_entries = 0;       ///< addresses with a caller callback-list entry
    std::size_t outstanding_entries = 0;  ///< addresses with an outstanding-request count
    std::size_t pending_events = 0;       ///< records in the pending sets (cancelled included)
  };
  Footprint footprint() const;

  /// The engine's handler (public for the scheduler's template).
  void on_event(sim::EventKind kind, std::uint32_t arg);

 private:
  struct Population {
    AddressId base = 0;
    std::uint64_t count = 0;
    std::uint32_t lines = 0;  // 0 = unlimited
    std::uint32_t exchange = 0;
  };
  struct TrunkGroup {
    std::uint32_t busy = 0;
    std::uint32_t circuits = 0;
    std::uint32_t overflow_limit = 0;  // circuits usable by traffic that is not first-choice
  };
  struct Route {
    std::vector<std::vector<TrunkGroupId>> alternatives;
  };
  struct ProfileStep {
    double from;  // seconds since t=0
    double multiplier;
  };
  struct Relation {
    std::uint32_t from = 0;  // population
    std::uint32_t to = 0;
    bool same_population = false;
    bool per_idle_source = false;
    double rate = 0.0;  // aggregate first attempts (or candidates) per second
    std::vector<ProfileStep> profile;
    double next_arrival = 0.0;     // seconds, exact (not rounded to ticks)
    const Route* route = nullptr;  // nullptr: both ends on one exchange
    sim::Distribution holding;
    double answer_probability = 1.0;
    sim::Distribution answer_delay;
    bool answers_at_once = true;  // probability 1 and delay 0: no draw, no event
    sim::Tick answer_timeout = sim::never;
    PolicyId policy = no_index;
    sim::RandomStream arrivals{0};
    sim::RandomStream callee{0};
    sim::RandomStream holding_rng{0};
    sim::RandomStream answering{0};
  };
  struct Call {
    CallInfo info;
    sim::Tick holding = 0;
    sim::Tick first_failure_time = 0;
    sim::EventHandle timer;
    std::uint32_t answered_attempts = 0;
    std::uint32_t max_outstanding_requests = 0;
    PolicyId policy = no_index;     // the policy now in charge (the relation's, then fallbacks)
    std::int32_t alternative = -1;  // route alternative whose circuits are held
    const Route* route_held =
        nullptr;  // the route of those circuits (reversed for a message return)
    std::uint32_t request = no_index;          // slot of its outstanding completion request
    std::uint32_t bridge_exchange = no_index;  // exchange whose bridge an intrusion holds
    bool final_attempt = false;  // a recall's or return call's set-up: any failure clears the call
    // Answer, ring-timeout and end events are not cancellable (they are the
    // hot path). A call ended early (its request cancelled by ID) keeps its
    // slot until those have fired and been ignored, so no event ever reaches
    // a reused slot.
    std::uint8_t pending_events = 0;
    bool ended = false;
    bool made_request = false;  // for the request life cycle's `connected` count
    std::int8_t first_failure = -1;
    bool measured = false;
    bool holds_caller_line = false;
    bool holds_callee_line = false;
    bool rejected = false;
    bool unsupported = false;
    bool message = false;
    std::vector<PolicyId> acted;
  };
  struct PolicySlot {
    std::unique_ptr<CompletionPolicy> impl;
    std::uint32_t when_mask = 0;  // bit per FailureCause
    std::optional<CompletionMode> mode;
    PolicyId fallback = no_index;
    sim::RandomStream random{0};
  };

  // Event kinds. Policy timers use policy_timer + tag (tag < 8).
  static constexpr sim::EventKind ev_arrival = 0;
  static constexpr sim::EventKind ev_answer = 1;
  static constexpr sim::EventKind ev_ring_timeout = 2;
  static constexpr sim::EventKind ev_call_end = 3;
  static constexpr sim::EventKind ev_policy_timer = 8;
  // Completion-request timers (arg = request slot), all cancellable.
  static constexpr sim::EventKind ev_patience_over = 16;
  static constexpr sim::EventKind ev_callback_expired = 17;
  static constexpr sim::EventKind ev_recall_answered = 18;
  static constexpr sim::EventKind ev_recall_unanswered = 19;
  static constexpr sim::EventKind ev_reaction_over = 20;

  // CallControl, for policies.
  sim::Tick now() const override { return scheduler_.now(); }
  const CallInfo& call(CallId id) const override { return calls_[id].info; }
  sim::RandomStream& random(PolicyId policy) override { return policies_[policy].random; }
  void end_call(CallId id, CallOutcome outcome) override;
  void retry(CallId id) override;
  bool caller_has_free_line(CallId id) const override;
  sim::EventHandle start_timer(CallId id, sim::Tick delay, std::uint8_t tag) override;
  bool cancel_timer(sim::EventHandle& timer) override { return scheduler_.cancel(timer); }
  void hand_to_fallback(CallId id, FailureCause cause) override;
  void release_resources(CallId id) override;
  RequestResult camp_on(CallId id, FailureCause cause, std::optional<sim::Tick> patience,
                        std::optional<std::uint64_t> queue_limit) override;
  RequestResult request_callback(CallId id, FailureCause cause, sim::Tick expiry,
                                 const AnswerSpec& recall_answer) override;
  RequestResult leave_message(CallId id, std::uint32_t message_id,
                              const sim::Distribution& reaction) override;
  bool intrude(CallId id) override;
  bool cancel_request(RequestId request, CallOutcome outcome) override;
  RequestId request_of(CallId id) const override;

  // Completion requests (network_completion.cpp).
  RequestResult open_request(CallId id, CompletionMode mode, FailureCause cause);
  void close_request(CallId id);
  void withdraw(std::uint32_t slot);
  void announce(std::uint32_t slot, RequestEvent e);
  void on_request_timer(sim::EventKind kind, std::uint32_t slot);
  void mark_address_freed(AddressId address);
  void mark_group_freed(TrunkGroupId group);
  void serve_pending();
  void serve_address(AddressId address);
  void serve_group(TrunkGroupId group);
  void connect_camped(CallId id);
  void grant_trunk_camper(std::uint32_t slot);
  void start_recall(std::uint32_t slot);
  void recall_answered(std::uint32_t slot);
  void return_message(std::uint32_t slot);
  void arm_callbacks_for(AddressId callee);
  std::uint32_t population_of(AddressId address) const;
  bool address_idle(AddressId address) const;

  void build_routes(const NetworkSpec& spec);
  void schedule_next_arrival(RelationId r);
  double next_arrival_after(Relation& rel, double t);
  void arrival(RelationId r);
  CallId new_call();
  void attempt(CallId id);
  bool seize_route(CallId id, const Route& route);
  /// Seizes one granted circuit on every hop of `chain` (a camp-on grant: no request).
  void seize_chain(const std::vector<TrunkGroupId>& chain);
  void release_circuits(Call& c);
  /// Frees the callee line the call holds, if it holds one.
  void release_callee_line(Call& c);
  void ring(CallId id);
  void connect(CallId id);
  void call_end(CallId id);
  /// Schedules a non-cancellable event of the call, counting it.
  void schedule_call_event(CallId id, sim::Tick delay, sim::EventKind kind, sim::Priority p);
  /// A non-cancellable event of the call fired: false if the call had ended
  /// (the event is then dropped, and the slot freed when it was the last).
  bool take_call_event(CallId id);
  void fail(CallId id, FailureCause cause);
  void dispatch_failure(CallId id, FailureCause cause);

  bool seize_line(std::uint32_t population, AddressId address);
  void release_line(std::uint32_t population, AddressId address);
  bool has_free_line(std::uint32_t population, AddressId address) const;

  const NetworkSpec& spec_;
  sim::Scheduler scheduler_;
  NetworkObserver* observer_ = nullptr;
  std::vector<Population> populations_;
  std::vector<std::uint32_t> busy_lines_;  // per address; unlimited populations are not tracked
  std::vector<TrunkGroup> groups_;
  std::vector<Route> routes_;               // distinct routes, both directions
  std::vector<std::uint32_t> route_index_;  // [from_exchange * exchanges + to_exchange]
  std::vector<Relation> relations_;
  std::vector<PolicySlot> policies_;
  std::vector<Call> calls_;
  std::vector<CallId> free_calls_;
  std::size_t measured_active_ = 0;
  sim::Tick warmup_ = 0;
  sim::Tick horizon_ = sim::never;
  CallSummary summary_;  // reused: announcing a call allocates nothing
  std::unique_ptr<detail::CompletionState> completion_;  // null when no policy makes requests
};

}  // namespace telsim::models
