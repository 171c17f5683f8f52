#pragma once
/// The record the pending-event set stores: small, plain, no allocation.
#include <cstdint>

#include "telsim/sim/time.hpp"

namespace telsim::sim {

/// What an event means is the model's business; the engine only carries it.
using EventKind = std::uint16_t;

/// Tie-breaking class at equal times. Only documented rules get a class:
/// `release` runs before `normal` so that a circuit or line freed at t is
/// available to an arrival at t.
enum class Priority : std::uint8_t { release = 0, normal = 1 };

/// Largest scheduling sequence number: the key keeps 44 bits for it, so a run
/// numbers at most 2^44 scheduled events. One more would carry into the
/// priority bits and silently reorder events; the scheduler refuses it.
inline constexpr std::uint64_t max_event_sequence = (std::uint64_t{1} << 44) - 1;

/// One pending event, 24 bytes.
///
/// `key` packs the total order and the kind: priority in bits 60..63, the
/// scheduling sequence number in bits 16..59 (2^44 events per run) and the
/// kind in bits 0..15. Sequence numbers are unique, so comparing `(time, key)`
/// gives the order (time, priority, sequence) and never reaches the kind bits.
struct EventRecord {
  Tick time;
  std::uint64_t key;
  std::uint32_t arg;  ///< model argument, or the slot of a cancellable event
  std::uint32_t gen;  ///< generation of that slot (cancellable events only)

  EventKind kind() const { return static_cast<EventKind>(key & 0x7fffu); }
  bool is_cancellable() const { return (key & 0x8000u) != 0; }
  Priority priority() const { return static_cast<Priority>(key >> 60); }
  std::uint64_t sequence() const { return (key >> 16) & max_event_sequence; }

  /// (time, key) as one unsigned 128-bit number. Times are never negative:
  /// the clock starts at 0 and nothing is scheduled before now.
  __extension__ typedef unsigned __int128 Order;
  Order order() const { return order_of(static_cast<std::uint64_t>(time), key); }
  static Order order_of(std::uint64_t time, std::uint64_t key) {
    return (static_cast<Order>(time) << 64) | key;
  }

  // Performance: one 128-bit compare (cmp, sbb) yields a flag that selects by
  // arithmetic, where (time, then key) was two branches whose outcome is a
  // coin toss in a heap.
  friend bool operator<(const EventRecord& a, const EventRecord& b) {
    return a.order() < b.order();
  }
};

/// Largest kind a model may use: bit 15 of the kind field marks cancellable events.
inline constexpr EventKind max_event_kind = 0x7fff;

/// Precondition: sequence <= max_event_sequence (the scheduler checks it).
inline std::uint64_t make_event_key(Priority p, std::uint64_t sequence, EventKind kind,
                                    bool cancellable) {
  return (static_cast<std::uint64_t>(p) << 60) | (sequence << 16) | (cancellable ? 0x8000u : 0u) |
         kind;
}

}  // namespace telsim::sim
