#pragma once
/// Pending-event sets: priority queues of EventRecord in (time, key) order.
///
/// Every implementation has the same narrow surface, pinned by one typed
/// conformance test against a sorted-vector oracle:
///   push(record), top(), pop(), replace_top(record), size(), empty(),
///   clear(), reserve(n).
/// QuaternaryHeap (quaternary_heap.hpp) is fastest up to some 10^4 pending
/// records, LadderQueue (ladder_queue.hpp) beyond; AdaptiveEventSet, the
/// scheduler's default, moves between them by size.
/// Cancellation is not the set's business: the Scheduler invalidates
/// cancelled records through slot generations and drops them when they
/// surface ("lazy deletion"), which keeps push and pop branch-light.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "telsim/sim/event.hpp"
#include "telsim/sim/ladder_queue.hpp"
#include "telsim/sim/quaternary_heap.hpp"

namespace telsim::sim {

/// std::priority_queue as a binary heap: the textbook baseline, kept for the
/// conformance suite and for benchmarks against the 4-ary heap.
class BinaryHeap {
 public:
  void push(const EventRecord& e) { heap_.push(e); }
  const EventRecord& top() const { return heap_.top(); }
  void pop() { heap_.pop(); }
  void replace_top(const EventRecord& e) {
    heap_.pop();
    heap_.push(e);
  }
  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  void clear() { heap_ = {}; }
  void reserve(std::size_t) {}

 private:
  struct Later {
    bool operator()(const EventRecord& a, const EventRecord& b) const { return b < a; }
  };
  std::priority_queue<EventRecord, std::vector<EventRecord>, Later> heap_;
};

/// Which set an AdaptiveEventSet uses: chosen by size (the default), or
/// pinned to one (scenario key `engine.event_set`; results are identical).
enum class EventSetMode : std::uint8_t { automatic, heap, ladder };

/// The 4-ary heap while few records are pending, the ladder queue while
/// many are: it moves every record to the ladder when the heap grows past
/// `ladder_above` and back to the heap when the ladder shrinks below
/// `heap_below` (hysteresis: a size hovering near one threshold does not
/// migrate back and forth). A migration costs O(n) and needs the other side
/// of the band to be crossed before the next one, so it is amortised over at
/// least n/2 operations. Both sets give the same (time, key) order, so which
/// one runs never shows in the results.
class AdaptiveEventSet {
 public:
  /// Thresholds from the hold benchmark (bench/micro_event_set.cpp,
  /// exponential increments): the ladder overtakes the heap near 100 pending
  /// records (about 55 against 50 ns at 64, 59 against 75 ns at 256, 55
  /// against 93 ns at 1000). Both ends of the band sit where the ladder is
  /// already ahead, so that small models (the Erlang loss system keeps about
  /// 100 records) stay on the heap and its replace-top.
  static constexpr std::size_t default_ladder_above = std::size_t{1} << 10;
  static constexpr std::size_t default_heap_below = std::size_t{1} << 8;

  AdaptiveEventSet() = default;
  /// Other thresholds (tests use small ones to migrate often);
  /// heap_below < ladder_above.
  AdaptiveEventSet(std::size_t ladder_above, std::size_t heap_below)
      : above_(ladder_above), below_(heap_below), up_(ladder_above), down_(heap_below) {}

  // By value and always inline, as QuaternaryHeap::push.
  [[gnu::always_inline]] void push(EventRecord e) {
    ++size_;
    if (!on_ladder_) [[likely]] {
      heap_.push(e);
      if (size_ > up_) [[unlikely]]
        to_ladder();
    } else {
      ladder_push(e);
    }
  }

  const EventRecord& top() const { return on_ladder_ ? ladder_.top() : heap_.top(); }

  void pop() {
    --size_;
    if (!on_ladder_) [[likely]] {
      heap_.pop();
    } else {
      ladder_pop();
    }
  }

  [[gnu::always_inline]] void replace_top(EventRecord e) {
    if (!on_ladder_) [[likely]] {
      heap_.replace_top(e);
    } else {
      ladder_replace_top(e);
    }
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size() == 0; }
  void clear() {
    heap_.clear();
    ladder_.clear();
    size_ = 0;
    on_ladder_ = mode_ == EventSetMode::ladder;
  }
  void reserve(std::size_t n) {
    if (on_ladder_)
      ladder_.reserve(n);
    else
      heap_.reserve(n);
  }

  /// Pins the set to one implementation or lets size decide; migrates the
  /// pending records at once if needed.
  void set_mode(EventSetMode mode) {
    mode_ = mode;
    up_ = mode == EventSetMode::automatic ? above_ : never_size;
    down_ = mode == EventSetMode::automatic ? below_ : 0;
    if (mode == EventSetMode::ladder && !on_ladder_) to_ladder();
    if (mode == EventSetMode::heap && on_ladder_) to_heap();
  }
  EventSetMode mode() const { return mode_; }
  /// Whether the ladder queue holds the records now.
  bool on_ladder() const { return on_ladder_; }
  /// Migrations so far (heap to ladder and back).
  std::uint64_t migrations() const { return migrations_; }

 private:
  static constexpr std::size_t never_size = ~std::size_t{0};

  // Out of line, so that the heap's path stays small where it is inlined.
  [[gnu::noinline]] void ladder_push(const EventRecord& e) { ladder_.push(e); }
  [[gnu::noinline]] void ladder_pop() {
    ladder_.pop();
    if (size_ < down_) [[unlikely]]
      to_heap();
  }
  [[gnu::noinline]] void ladder_replace_top(const EventRecord& e) { ladder_.replace_top(e); }

  [[gnu::noinline]] void to_ladder() {
    ladder_.clear();
    for (const EventRecord& e : heap_.records()) ladder_.push(e);
    heap_.clear();
    on_ladder_ = true;
    ++migrations_;
  }
  [[gnu::noinline]] void to_heap() {
    std::vector<EventRecord> records;
    records.reserve(ladder_.size());
    ladder_.append_records(records);
    ladder_.clear();
    heap_.assign(std::move(records));
    on_ladder_ = false;
    ++migrations_;
  }

  QuaternaryHeap heap_;
  LadderQueue ladder_;
  std::size_t size_ = 0;  // records in whichever set holds them
  bool on_ladder_ = false;
  EventSetMode mode_ = EventSetMode::automatic;
  std::size_t above_ = default_ladder_above;
  std::size_t below_ = default_heap_below;
  std::size_t up_ = default_ladder_above;  // migrate to the ladder above this size
  std::size_t down_ = default_heap_below;  // and back to the heap below this one
  std::uint64_t migrations_ = 0;
};

}  // namespace telsim::sim
