#pragma once
/// The network model of one replication: exchanges, populations, trunk
/// groups, routes, traffic relations and the calls in progress, driven by the
/// event engine. It announces what happens to a NetworkObserver and records
/// nothing itself.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
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
class PolicyPort;
}  // namespace detail

class Network final {
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
  /// stopped it, if any, or `interrupted` once `*stop` (if given) is non-zero
  /// (within sim::stop_check_interval events; the flag must outlive the run).
  sim::RunStatus run(sim::Tick warmup, sim::Tick horizon, const sim::RunLimits& limits,
                     const std::atomic<int>* stop = nullptr);

  const sim::Scheduler& scheduler() const { return scheduler_; }
  /// See sim::Scheduler::set_clock_out: how far a running replication got, for progress.
  void set_clock_out(std::atomic<sim::Tick>* clock) { scheduler_.set_clock_out(clock); }

  /// For the tests of the service order ("Serving at an instant"): with a
  /// non-zero key, every release of all of a call's resources (its callee
  /// line, the circuits of each hop, its caller line) happens in an order
  /// scrambled by the key and the call, instead of the fixed order. Results
  /// must not change.
  void scramble_release_order_for_testing(std::uint64_t key) { scramble_key_ = key; }

  // Inspection, for tests and the runner.
  std::uint32_t busy_circuits(TrunkGroupId g) const { return groups_[g].busy; }
  std::uint32_t busy_lines(std::uint32_t population, std::uint64_t index) const;
  std::size_t calls_in_progress() const { return calls_.size() - free_call_count_; }
  std::size_t measured_calls_in_progress() const { return measured_active_; }
  /// sizeof the record of one call in progress (Call is private), for the
  /// runner's memory estimate (scenarios/work_estimate.hpp). O(1).
  static std::size_t call_record_bytes();

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
    std::size_t timer_slots = 0;          ///< policy timer records: the peak of live timers
  };
  Footprint footprint() const;

  /// The engine's handler (public for the scheduler's template).
  void on_event(sim::EventKind kind, std::uint32_t arg);

 private:
  friend class detail::PolicyPort;

  struct Population {
    AddressId base = 0;
    std::uint64_t count = 0;
    std::uint32_t lines = 0;  // 0 = unlimited
    std::uint32_t exchange = 0;
    // The callers' capabilities: the population's own, else its exchange's.
    std::array<bool, completion_mode_count> modes{true, true, true, true};
    std::optional<std::uint32_t> max_per_address;
  };
  struct TrunkGroup {
    std::uint32_t busy = 0;
    std::uint32_t circuits = 0;
    std::uint32_t overflow_limit = 0;  // circuits usable by traffic that is not first-choice
  };
  struct Route {
    std::vector<std::vector<TrunkGroupId>> alternatives;
    RouteStrategy strategy = RouteStrategy::sequential;
    std::uint32_t current = 1;    // dar: the other alternative it tries now
    sim::RandomStream random{0};  // random and dar draws, per route and direction
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
    std::vector<sim::Tick> scripted;  // scripted first attempts (`at`), in order
    std::size_t next_scripted = 0;
    bool is_scripted = false;
    double next_arrival = 0.0;  // seconds, exact (not rounded to ticks)
    Route* route = nullptr;     // nullptr: both ends on one exchange
    sim::Distribution holding;
    std::uint32_t bandwidth = 1;  // circuits a call holds on every hop
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
    std::uint32_t generation = 0;   // moves on each time the slot is reused
    CallSlot next_free = no_index;  // the next free slot, while this one is free (fills padding)
    sim::Tick holding = 0;
    sim::Tick first_failure_time = 0;
    std::uint64_t sequence = 0;  // number among measured calls
    std::uint32_t answered_attempts = 0;
    std::uint32_t max_outstanding_requests = 0;
    PolicyId policy = no_index;     // the policy now in charge (the relation's, then fallbacks)
    std::int32_t alternative = -1;  // route alternative whose circuits are held
    const Route* route_held =
        nullptr;  // the route of those circuits (reversed for a message return)
    std::uint32_t request = no_index;          // slot of its outstanding completion request
    std::uint32_t bridge_exchange = no_index;  // exchange whose bridge an intrusion holds
    std::uint32_t first_timer = no_index;      // its policy timers, linked through them
    bool final_attempt = false;  // a recall's or return call's set-up: any failure clears the call
    // Answer, ring-timeout and end events are not cancellable (they are the
    // hot path). A call ended early (its request cancelled by ID) keeps its
    // slot until those have fired and been ignored, so no event ever reaches
    // a reused slot.
    std::uint8_t pending_events = 0;
    bool ended = false;
    bool made_request = false;  // for the request life cycle's `connected` count
    bool connected = false;     // counted in the connected calls of its parties
    std::int8_t first_failure = -1;
    bool measured = false;
    bool holds_caller_line = false;
    bool holds_callee_line = false;
    bool rejected = false;
    bool unsupported = false;
    bool message = false;
    std::vector<PolicyId> acted;
    std::vector<RequestId> completion_ids;
  };
  struct PolicyTimer {
    CallSlot call = 0;
    std::uint32_t generation = 0;  // of the timer record (TimerId)
    std::uint32_t tag = 0;
    PolicyId policy = no_index;     // the policy that started it
    std::uint32_t next = no_index;  // the call's next timer
    sim::EventHandle event;
  };
  struct PolicySlot {
    std::unique_ptr<CompletionPolicy> impl;
    std::unique_ptr<detail::PolicyPort> port;
    std::uint32_t when_mask = 0;  // bit per FailureCause
    std::optional<CompletionMode> mode;
    PolicyId fallback = no_index;
    sim::RandomStream random{0};
  };

  // Event kinds.
  static constexpr sim::EventKind ev_arrival = 0;
  static constexpr sim::EventKind ev_answer = 1;
  static constexpr sim::EventKind ev_ring_timeout = 2;
  static constexpr sim::EventKind ev_call_end = 3;
  static constexpr sim::EventKind ev_policy_timer = 8;  // arg = timer slot, cancellable
  // Completion-request timers (arg = request slot), all cancellable.
  static constexpr sim::EventKind ev_patience_over = 16;
  static constexpr sim::EventKind ev_callback_expired = 17;
  static constexpr sim::EventKind ev_recall_answered = 18;
  static constexpr sim::EventKind ev_recall_unanswered = 19;
  static constexpr sim::EventKind ev_reaction_over = 20;
  static constexpr sim::EventKind ev_cancel_request = 21;

  // The policies' side (network_policy_port.cpp): IDs are checked here.
  Call& live_call(CallId id);
  const Call& known_call(CallId id) const;
  CallId id_of(CallSlot slot) const { return CallId{slot, calls_[slot].generation}; }
  sim::Tick now() const { return scheduler_.now(); }
  detail::PolicyPort& port(PolicyId p) { return *policies_[p].port; }
  void end_call(CallSlot id, CallOutcome outcome);
  void release_resources(CallSlot id);
  bool caller_has_free_line(CallSlot id) const;
  TimerId start_timer(CallSlot id, PolicyId policy, sim::Tick delay, std::uint32_t tag);
  bool cancel_timer(TimerId timer);
  void cancel_timers_of(Call& c);
  void hand_to_fallback(CallSlot id, FailureCause cause);
  void refuse(CallSlot id, RequestEvent refusal);
  void watch_idle(CallSlot id, PolicyId policy, AddressId address);
  RequestResult camp_on(CallSlot id, FailureCause cause, std::optional<sim::Tick> patience,
                        std::optional<std::uint64_t> queue_limit,
                        std::optional<sim::Tick> cancel_after);
  RequestResult request_callback(CallSlot id, FailureCause cause, sim::Tick expiry,
                                 const AnswerSpec& recall_answer,
                                 std::optional<sim::Tick> cancel_after);
  RequestResult leave_message(CallSlot id, FailureCause cause, std::uint32_t message_id,
                              const sim::Distribution& reaction,
                              std::optional<sim::Tick> cancel_after);
  RequestResult intrude(CallSlot id);
  bool cancel_request(RequestId request);
  RequestId request_of(CallSlot id) const;
  std::optional<RequestInfo> request_info(RequestId request) const;

  // Completion requests (network_completion.cpp).
  RequestResult open_request(CallSlot id, CompletionMode mode, FailureCause cause,
                             std::optional<sim::Tick> cancel_after);
  void close_request(CallSlot id, RequestEnd end);
  void withdraw(std::uint32_t slot);
  void announce(std::uint32_t slot, RequestEvent e);
  void announce_policy(const Call& c, RequestEvent e);
  void on_request_timer(sim::EventKind kind, std::uint32_t slot);
  void mark_address_freed(AddressId address);
  void mark_group_freed(TrunkGroupId group);
  // The service pass (network_service.cpp), SPEC §3 "Serving at an instant".
  /// After an event: the service pass, then the policies' deferred hooks,
  /// again until neither has anything left.
  void settle();
  void run_hooks();
  void serve_pending();
  void serve_campon_queues(const std::vector<AddressId>& freed);
  void serve_trunk_queues(const std::vector<TrunkGroupId>& freed);
  void serve_recalls(const std::vector<AddressId>& freed);
  void serve_messages(const std::vector<AddressId>& freed);
  void notify_idle_watchers(const std::vector<AddressId>& freed);
  void connect_camped(CallSlot id);
  void grant_trunk_camper(std::uint32_t slot);
  void start_recall(std::uint32_t slot);
  void recall_answered(std::uint32_t slot);
  void return_message(std::uint32_t slot);
  void arm_callbacks_for(AddressId callee);
  std::uint32_t population_of(AddressId address) const;
  bool address_idle(AddressId address) const;
  bool has_connected_call(AddressId address) const;
  void count_connected(AddressId address, int delta);

  void build_routes(const NetworkSpec& spec, std::uint64_t seed, std::uint64_t replication);
  void schedule_next_arrival(RelationId r);
  [[gnu::noinline]] void schedule_next_scripted_arrival(RelationId r);
  double next_arrival_after(Relation& rel, double t);
  void arrival(RelationId r);
  CallSlot new_call();
  void attempt(CallSlot id);
  /// Seizes the circuits of one alternative of `route` by its strategy (SPEC §3 "Route
  /// strategies"); false if none was tried successfully (congestion).
  bool seize_route(CallSlot id, Route& route, std::uint32_t bandwidth);
  /// After the first alternative refused: the others, by the route's strategy.
  [[gnu::noinline]] bool seize_other_alternative(CallSlot id, Route& route,
                                                 std::uint32_t bandwidth);
  /// Tries alternative `a` whole; on a refusal gives back what it took and, when
  /// `more_to_try`, counts the refusing group's overflow.
  bool seize_alternative(CallSlot id, const Route& route, std::size_t a, std::uint32_t bandwidth,
                         bool more_to_try);
  /// lba: the other alternative whose busiest hop has the most usable free circuits.
  std::size_t least_busy_alternative(const Route& route) const;
  /// Seizes `bandwidth` granted circuits on every hop of `chain` (a camp-on grant: no request).
  void seize_chain(const std::vector<TrunkGroupId>& chain, std::uint32_t bandwidth);
  void release_circuits(Call& c);
  // Performance: the test-only scrambled orders stay out of the hot functions.
  [[gnu::cold, gnu::noinline]] void release_circuits_scrambled(Call& c);
  [[gnu::cold, gnu::noinline]] void release_resources_scrambled(Call& c);
  void release_caller_line(Call& c);
  /// Frees the callee line the call holds, if it holds one.
  void release_callee_line(Call& c);
  void ring(CallSlot id);
  void connect(CallSlot id);
  void call_end(CallSlot id);
  /// Schedules a non-cancellable event of the call, counting it.
  void schedule_call_event(CallSlot id, sim::Tick delay, sim::EventKind kind, sim::Priority p);
  /// A non-cancellable event of the call fired: false if the call had ended
  /// (the event is then dropped, and the slot freed when it was the last).
  bool take_call_event(CallSlot id);
  void free_call(CallSlot id) {
    calls_[id].next_free = first_free_call_;
    first_free_call_ = id;
    ++free_call_count_;
  }
  void fail(CallSlot id, FailureCause cause);
  void dispatch_failure(CallSlot id, FailureCause cause);
  void policy_timer_fired(std::uint32_t timer);
  void announce_call_end(CallSlot id, CallOutcome outcome);
  // Performance: what only calls a policy acted on have, out of end_call's way.
  [[gnu::noinline]] void end_completion_state(Call& c);
  [[gnu::noinline]] void defer_call_ended_hooks(CallSlot id, CallOutcome outcome);

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
  // Free call slots, last freed first, linked through Call::next_free
  // (performance: no vector growth check on the hot path).
  CallSlot first_free_call_ = no_index;
  std::size_t free_call_count_ = 0;
  std::vector<PolicyTimer> timers_;
  std::vector<std::uint32_t> free_timers_;
  std::size_t measured_active_ = 0;
  std::uint64_t measured_calls_ = 0;
  sim::Tick warmup_ = 0;
  sim::Tick horizon_ = sim::never;
  std::uint64_t scramble_key_ = 0;
  CallSummary summary_;  // reused: announcing a call allocates nothing
  std::unique_ptr<detail::CompletionState> completion_;  // null when no policy makes requests
};

}  // namespace telsim::models
