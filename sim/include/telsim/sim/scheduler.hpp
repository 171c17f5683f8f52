#pragma once
/// The event engine: a clock, a pending-event set and cancellation handles.
///
/// This is the whole kernel surface: now(), schedule at a time (optionally
/// cancellable), cancel, and run until a horizon or while a condition holds.
/// It knows nothing of calls or trunks: events are (kind, argument) pairs
/// handed to a model's `on_event(kind, arg)`.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "telsim/sim/event.hpp"
#include "telsim/sim/event_handle.hpp"
#include "telsim/sim/pending_event_set.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::sim {

/// Per-replication engine settings: the guards against runaway scenarios
/// (scenario key `limits`) and the choice of pending-event set (scenario key
/// `engine.event_set`), which travels with them from the scenario to the
/// scheduler and never changes the results.
struct RunLimits {
  /// At most max_events_limit (below).
  std::uint64_t max_events = 10'000'000'000ull;
  std::uint64_t max_pending = 100'000'000ull;
  EventSetMode event_set = EventSetMode::automatic;
};

/// The largest `max_events` worth asking for: every event run was scheduled
/// once, and a run numbers at most 2^44 scheduled events (event.hpp). A run
/// within it can still exhaust the sequence only by scheduling far more than
/// it runs (events cancelled or left pending); scheduling then throws.
inline constexpr std::uint64_t max_events_limit = max_event_sequence;

/// Why a run returned. `interrupted`: the stop flag (set_stop_flag) was set.
/// Every status but `done` leaves the event that would have run next pending
/// and the clock at the last event run.
enum class RunStatus { done, event_limit, pending_limit, interrupted };

/// How often, in events run, a run looks at its stop flag (set_stop_flag).
/// Performance: free. step() already compared the events run with one
/// threshold per event (max_events); the threshold is now the next check
/// point, min(max_events, next multiple of 2^12), so the hot path keeps one
/// predictable branch and the flag (a relaxed load) is read in a cold path.
/// Why 2^12: at 3-100 M events/s (slower under sanitizers) 4096 events take
/// 0.04-1.4 ms; even 100 µs per event would look every 0.4 s, inside the one
/// second SPEC §4 allows from a signal to the exit.
inline constexpr std::uint64_t stop_check_interval = std::uint64_t{1} << 12;

/// The scheduler. `Set` is the pending-event set (see pending_event_set.hpp).
///
/// Order: (time, priority, sequence). Events at equal time and priority run
/// in the order they were scheduled. The sequence has 2^44 numbers per run;
/// scheduling past them throws std::length_error rather than reorder events.
///
/// Horizon rule: `run_until(T)` runs every event with time < T, leaves events
/// at T or later pending, and leaves the clock at T. So a window [a, b) is
/// "run_until(a)" then "run_until(b)" with nothing run twice or skipped.
///
/// Two pending sets, one order. Events of exogenous sources (an arrival
/// process keeps exactly one pending event, its next arrival) may go to a
/// second, small set through schedule_source_at(); everything else goes to
/// the main set. Each step runs the earlier of the two tops, so the order
/// over both is still (time, priority, sequence) — sequence numbers are
/// global — but the main set, which holds every call in progress, no longer
/// pays a sift for every arrival (performance: about a third fewer heap
/// operations on the Erlang loss model).
template <class Set = QuaternaryHeap>
class BasicScheduler {
 public:
  Tick now() const { return now_; }

  /// Schedules an event at absolute time `t` (>= now()).
  void schedule_at(Tick t, EventKind kind, std::uint32_t arg, Priority p = Priority::normal) {
    check_kind(kind);
    insert(set_,
           EventRecord{checked_time(t), make_event_key(p, take_sequence(), kind, false), arg, 0});
  }
  void schedule_after(Tick delay, EventKind kind, std::uint32_t arg,
                      Priority p = Priority::normal) {
    schedule_at(add(now_, delay), kind, arg, p);
  }

  /// Schedules an event of an exogenous source (see the class comment). Same
  /// order as schedule_at; not cancellable.
  void schedule_source_at(Tick t, EventKind kind, std::uint32_t arg,
                          Priority p = Priority::normal) {
    check_kind(kind);
    insert(sources_,
           EventRecord{checked_time(t), make_event_key(p, take_sequence(), kind, false), arg, 0});
  }

  /// Schedules an event that can be cancelled through the returned handle.
  EventHandle schedule_cancellable_at(Tick t, EventKind kind, std::uint32_t arg,
                                      Priority p = Priority::normal) {
    check_kind(kind);
    const Tick when = checked_time(t);
    const std::uint64_t sequence = take_sequence();  // before a slot is taken: it may throw
    std::uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(Slot{0, 0});
    }
    slots_[slot].arg = arg;
    const std::uint32_t gen = slots_[slot].gen;
    insert(set_, EventRecord{when, make_event_key(p, sequence, kind, true), slot, gen});
    return EventHandle{slot, gen};
  }
  EventHandle schedule_cancellable_after(Tick delay, EventKind kind, std::uint32_t arg,
                                         Priority p = Priority::normal) {
    return schedule_cancellable_at(add(now_, delay), kind, arg, p);
  }

  /// Cancels the event if it is still pending; returns whether it was.
  /// The handle is emptied either way.
  bool cancel(EventHandle& h) {
    const bool pending = is_pending(h);
    if (pending) retire_slot(h.slot);
    h = EventHandle{};
    return pending;
  }

  bool is_pending(const EventHandle& h) const {
    return !h.empty() && h.slot < slots_.size() && slots_[h.slot].gen == h.gen;
  }

  /// Runs events with time < horizon, then sets the clock to the horizon
  /// (unless a limit stopped the run first).
  template <class Handler>
  RunStatus run_until(Tick horizon, Handler& handler) {
    next_check_ = executed_;  // limits and stop flag: looked at before the first event
    for (;;) {
      Set* next = earliest();
      if (next == nullptr || next->top().time >= horizon) break;
      const RunStatus s = step(*next, handler);
      if (s != RunStatus::done) return s;
    }
    if (horizon > now_) now_ = horizon;
    return RunStatus::done;
  }

  /// Runs events while `keep_going()` is true and events remain; the clock
  /// stays at the last event run.
  template <class Handler, class Predicate>
  RunStatus run_while(Handler& handler, Predicate keep_going) {
    next_check_ = executed_;
    for (;;) {
      Set* next = earliest();
      if (next == nullptr || !keep_going()) break;
      const RunStatus s = step(*next, handler);
      if (s != RunStatus::done) return s;
    }
    return RunStatus::done;
  }

  /// Sets the limits and, if the set has modes (AdaptiveEventSet), pins or
  /// frees its choice of implementation, migrating pending records.
  void set_limits(const RunLimits& limits) {
    limits_ = limits;
    if constexpr (requires(Set & s) { s.set_mode(limits.event_set); }) {
      set_.set_mode(limits.event_set);
      sources_.set_mode(limits.event_set);
    }
  }
  const RunLimits& limits() const { return limits_; }

  /// A flag that stops a run with RunStatus::interrupted once non-zero, or
  /// nullptr for none. A run looks at it before its first event and then
  /// every stop_check_interval events; it may be set from any thread or a
  /// signal handler. Only read here; it must outlive the runs. While it stays
  /// set, runs return at once; cleared, a run continues where it stopped.
  void set_stop_flag(const std::atomic<int>* flag) { stop_ = flag; }

  /// Where a run publishes its clock for another thread (a progress bar), or
  /// nullptr: stored at the same check points as the stop flag is read, so the
  /// hot path pays nothing. It must outlive the runs.
  void set_clock_out(std::atomic<Tick>* clock) { clock_out_ = clock; }

  /// For tests only: the sequence number the next scheduled event takes, so
  /// that a test can reach the end of the 2^44 numbers without scheduling
  /// them all. Models must never call it: lowering it breaks the order.
  void set_next_sequence_for_testing(std::uint64_t sequence) { next_sequence_ = sequence; }

  /// Events handed to the model so far (cancelled ones are not counted).
  std::uint64_t events_executed() const { return executed_; }
  /// Records in the pending sets, including cancelled ones not yet dropped.
  std::size_t pending() const {
    return set_.size() + sources_.size() - (consumed_ != nullptr ? 1 : 0);
  }
  std::size_t peak_pending() const { return peak_pending_; }
  /// The main pending set (inspection: which implementation runs).
  const Set& main_set() const { return set_; }
  bool empty() const { return pending() == 0; }
  /// Time of the earliest pending record (cancelled ones included), or
  /// `never`. Meant for use between runs, not inside a handler.
  Tick next_time() const {
    const Set* next = const_cast<BasicScheduler*>(this)->earliest();
    return next == nullptr ? never : next->top().time;
  }

 private:
  struct Slot {
    std::uint32_t gen;
    std::uint32_t arg;
  };

  static Tick add(Tick a, Tick b) { return (b > never - a) ? never : a + b; }

  Tick checked_time(Tick t) const {
    // A model that schedules into the past has a bug that would silently
    // reorder history; stay loud in Release builds too.
    if (t < now_) [[unlikely]]
      throw_past(t, now_);
    return t;
  }

  // Out of line and cold, so that the checks above inline into the hot path.
  [[noreturn, gnu::cold, gnu::noinline]] static void throw_past(Tick t, Tick now) {
    throw std::logic_error("event scheduled in the past (t=" + std::to_string(t) +
                           ", now=" + std::to_string(now) + ")");
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void throw_kind(EventKind kind) {
    throw std::logic_error("event kind " + std::to_string(kind) + " above the largest, " +
                           std::to_string(max_event_kind));
  }

  [[noreturn, gnu::cold, gnu::noinline]] static void throw_sequence_exhausted() {
    throw std::length_error(
        "event sequence exhausted: this replication scheduled more than 2^44 (" +
        std::to_string(max_event_sequence + 1) +
        ") events, the most the engine can order; limits.max_events (at most 2^44 - 1) bounds "
        "the events run, so nearly all of these were cancelled or left pending: the model "
        "schedules far more events than it runs (a timer rescheduled and cancelled without "
        "end?)");
  }

  // The next sequence number. A number past max_event_sequence would carry
  // into the priority bits of the key and silently reorder events. One
  // predictable compare per schedule; the throw is out of line, and on it
  // nothing has changed.
  std::uint64_t take_sequence() {
    if (next_sequence_ > max_event_sequence) [[unlikely]]
      throw_sequence_exhausted();
    return next_sequence_++;
  }

  static void check_kind(EventKind kind) {
    // Bit 15 of the kind field marks cancellable records.
    if (kind > max_event_kind) [[unlikely]]
      throw_kind(kind);
  }

  /// The set whose top runs next, or nullptr when both are empty.
  Set* earliest() {
    if (sources_.empty()) return set_.empty() ? nullptr : &set_;
    if (set_.empty() || sources_.top() < set_.top()) return &sources_;
    return &set_;
  }

  // By value and always inline, as QuaternaryHeap::push.
  [[gnu::always_inline]] void insert(Set& target, EventRecord e) {
    if (consumed_ == &target) {
      // The record being dispatched is still at this set's top: reuse its place.
      target.replace_top(e);
      consumed_ = nullptr;
    } else {
      target.push(e);
    }
    const std::size_t total = set_.size() + sources_.size();
    if (total > peak_pending_) peak_pending_ = total;
  }

  void retire_slot(std::uint32_t slot) {
    ++slots_[slot].gen;
    free_slots_.push_back(slot);
  }

  template <class Handler>
  RunStatus step(Set& from, Handler& handler) {
    const EventRecord e = from.top();
    if (e.is_cancellable() && slots_[e.arg].gen != e.gen) {  // cancelled: drop it
      from.pop();
      return RunStatus::done;
    }
    if (executed_ >= next_check_) [[unlikely]] {
      const RunStatus s = check_point();
      if (s != RunStatus::done) return s;
    }
    if (set_.size() + sources_.size() > limits_.max_pending) return RunStatus::pending_limit;
    std::uint32_t arg = e.arg;
    if (e.is_cancellable()) {
      arg = slots_[e.arg].arg;
      retire_slot(e.arg);
    }
    now_ = e.time;
    ++executed_;
    consumed_ = &from;
    try {
      handler.on_event(e.kind(), arg);
    } catch (...) {
      // Leave the set consistent: the event ran (or failed), it is not pending.
      if (consumed_ != nullptr) {
        consumed_->pop();
        consumed_ = nullptr;
      }
      throw;
    }
    if (consumed_ != nullptr) {
      consumed_->pop();
      consumed_ = nullptr;
    }
    return RunStatus::done;
  }

  // The cold half of the event-count check (see stop_check_interval).
  [[gnu::noinline]] RunStatus check_point() {
    if (executed_ >= limits_.max_events) return RunStatus::event_limit;
    if (stop_ != nullptr && stop_->load(std::memory_order_relaxed) != 0) {
      return RunStatus::interrupted;
    }
    if (clock_out_ != nullptr) clock_out_->store(now_, std::memory_order_relaxed);
    next_check_ = std::min(limits_.max_events, (executed_ | (stop_check_interval - 1)) + 1);
    return RunStatus::done;
  }

  Set set_;      // everything else
  Set sources_;  // exogenous sources' next events
  // The set whose top is being dispatched (its record stays there until the
  // handler schedules into that set or returns), or nullptr.
  Set* consumed_ = nullptr;
  Tick now_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t executed_ = 0;
  // step() calls check_point() when executed_ reaches it (<= max_events).
  std::uint64_t next_check_ = 0;
  const std::atomic<int>* stop_ = nullptr;
  std::atomic<Tick>* clock_out_ = nullptr;
  std::size_t peak_pending_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  RunLimits limits_;
};

/// The 4-ary heap for small sets, the ladder queue for large ones.
using Scheduler = BasicScheduler<AdaptiveEventSet>;

}  // namespace telsim::sim
