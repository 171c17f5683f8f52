#pragma once
/// The event engine: a clock, a pending-event set and cancellation handles.
///
/// This is the whole kernel surface: now(), schedule at a time (optionally
/// cancellable), cancel, and run until a horizon or while a condition holds.
/// It knows nothing of calls or trunks: events are (kind, argument) pairs
/// handed to a model's `on_event(kind, arg)`.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "telsim/sim/event.hpp"
#include "telsim/sim/pending_event_set.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::sim {

/// Names one cancellable event. Cancelling through a handle whose event has
/// already fired (or was cancelled) is harmless: the slot's generation has
/// moved on, so the handle no longer matches and `cancel` returns false.
struct EventHandle {
  static constexpr std::uint32_t no_slot = 0xffffffffu;
  std::uint32_t slot = no_slot;
  std::uint32_t gen = 0;
  bool empty() const { return slot == no_slot; }
};

/// Guards against runaway scenarios, per replication.
struct RunLimits {
  std::uint64_t max_events = 10'000'000'000ull;
  std::uint64_t max_pending = 100'000'000ull;
};

enum class RunStatus { done, event_limit, pending_limit };

/// The scheduler. `Set` is the pending-event set (see pending_event_set.hpp).
///
/// Order: (time, priority, sequence). Events at equal time and priority run
/// in the order they were scheduled.
///
/// Horizon rule: `run_until(T)` runs every event with time < T, leaves events
/// at T or later pending, and leaves the clock at T. So a window [a, b) is
/// "run_until(a)" then "run_until(b)" with nothing run twice or skipped.
template <class Set = QuaternaryHeap>
class BasicScheduler {
 public:
  Tick now() const { return now_; }

  /// Schedules an event at absolute time `t` (>= now()).
  void schedule_at(Tick t, EventKind kind, std::uint32_t arg, Priority p = Priority::normal) {
    check_kind(kind);
    insert(EventRecord{checked_time(t), make_event_key(p, next_sequence_++, kind, false), arg, 0});
  }
  void schedule_after(Tick delay, EventKind kind, std::uint32_t arg,
                      Priority p = Priority::normal) {
    schedule_at(add(now_, delay), kind, arg, p);
  }

  /// Schedules an event that can be cancelled through the returned handle.
  EventHandle schedule_cancellable_at(Tick t, EventKind kind, std::uint32_t arg,
                                      Priority p = Priority::normal) {
    check_kind(kind);
    const Tick when = checked_time(t);
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
    insert(EventRecord{when, make_event_key(p, next_sequence_++, kind, true), slot, gen});
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
    while (!set_.empty() && set_.top().time < horizon) {
      const RunStatus s = step(handler);
      if (s != RunStatus::done) return s;
    }
    if (horizon > now_) now_ = horizon;
    return RunStatus::done;
  }

  /// Runs events while `keep_going()` is true and events remain; the clock
  /// stays at the last event run.
  template <class Handler, class Predicate>
  RunStatus run_while(Handler& handler, Predicate keep_going) {
    while (!set_.empty() && keep_going()) {
      const RunStatus s = step(handler);
      if (s != RunStatus::done) return s;
    }
    return RunStatus::done;
  }

  void set_limits(const RunLimits& limits) { limits_ = limits; }
  const RunLimits& limits() const { return limits_; }

  /// Events handed to the model so far (cancelled ones are not counted).
  std::uint64_t events_executed() const { return executed_; }
  /// Records in the pending set, including cancelled ones not yet dropped.
  std::size_t pending() const { return set_.size() - (top_consumed_ ? 1 : 0); }
  std::size_t peak_pending() const { return peak_pending_; }
  bool empty() const { return pending() == 0; }
  /// Time of the earliest pending record (cancelled ones included), or
  /// `never`. Meant for use between runs, not inside a handler.
  Tick next_time() const { return set_.empty() ? never : set_.top().time; }

 private:
  struct Slot {
    std::uint32_t gen;
    std::uint32_t arg;
  };

  static Tick add(Tick a, Tick b) { return (b > never - a) ? never : a + b; }

  Tick checked_time(Tick t) const {
    // A model that schedules into the past has a bug that would silently
    // reorder history; stay loud in Release builds too.
    if (t < now_) [[unlikely]] throw_past(t, now_);
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

  static void check_kind(EventKind kind) {
    // Bit 15 of the kind field marks cancellable records.
    if (kind > max_event_kind) [[unlikely]] throw_kind(kind);
  }

  void insert(const EventRecord& e) {
    if (top_consumed_) {
      // The record being dispatched is still at the top: reuse its place.
      set_.replace_top(e);
      top_consumed_ = false;
    } else {
      set_.push(e);
    }
    if (set_.size() > peak_pending_) peak_pending_ = set_.size();
  }

  void retire_slot(std::uint32_t slot) {
    ++slots_[slot].gen;
    free_slots_.push_back(slot);
  }

  template <class Handler>
  RunStatus step(Handler& handler) {
    const EventRecord e = set_.top();
    if (e.is_cancellable() && slots_[e.arg].gen != e.gen) {  // cancelled: drop it
      set_.pop();
      return RunStatus::done;
    }
    if (executed_ >= limits_.max_events) return RunStatus::event_limit;
    if (set_.size() > limits_.max_pending) return RunStatus::pending_limit;
    std::uint32_t arg = e.arg;
    if (e.is_cancellable()) {
      arg = slots_[e.arg].arg;
      retire_slot(e.arg);
    }
    now_ = e.time;
    ++executed_;
    top_consumed_ = true;
    try {
      handler.on_event(e.kind(), arg);
    } catch (...) {
      // Leave the set consistent: the event ran (or failed), it is not pending.
      if (top_consumed_) {
        set_.pop();
        top_consumed_ = false;
      }
      throw;
    }
    if (top_consumed_) {
      set_.pop();
      top_consumed_ = false;
    }
    return RunStatus::done;
  }

  Set set_;
  Tick now_ = 0;
  std::uint64_t next_sequence_ = 0;
  std::uint64_t executed_ = 0;
  std::size_t peak_pending_ = 0;
  bool top_consumed_ = false;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  RunLimits limits_;
};

using Scheduler = BasicScheduler<QuaternaryHeap>;

}  // namespace telsim::sim
