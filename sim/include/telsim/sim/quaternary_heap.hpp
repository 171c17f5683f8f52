#pragma once
/// The implicit 4-ary min-heap of EventRecord: telsim's pending-event set for
/// up to some 10^4 pending events, and the bottom tier of the ladder queue.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "telsim/sim/event.hpp"

namespace telsim::sim {

/// Implicit 4-ary min-heap: half the depth of a binary heap, and the four
/// children of a node are contiguous (96 bytes, two or three cache lines),
/// so a sift-down touches fewer lines than a binary heap's.
/// push and pop are O(log4 n); top is O(1); top, pop and replace_top need a
/// non-empty heap.
class QuaternaryHeap {
 public:
  // Performance: the record by value and always inline, so that it stays in
  // registers. Built on the stack with 8-byte stores and copied into the heap
  // with a 16-byte load, it stalled store forwarding on every schedule.
  [[gnu::always_inline]] void push(EventRecord e) {
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!(e < heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  const EventRecord& top() const { return heap_.front(); }

  void pop() {
    const EventRecord last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0, last);
  }

  /// Pops the top and pushes `e` in one sift: the common "an event schedules
  /// its successor" step costs one traversal instead of two.
  [[gnu::always_inline]] void replace_top(EventRecord e) { sift_down(0, e); }

  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  void clear() { heap_.clear(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

  /// The records in heap layout (no particular order), for migrating them.
  const std::vector<EventRecord>& records() const { return heap_; }

  /// Replaces the contents with `records`, in any order: O(n) (Floyd).
  void assign(std::vector<EventRecord> records) {
    heap_ = std::move(records);
    const std::size_t n = heap_.size();
    if (n < 2) return;
    for (std::size_t i = (n - 2) / 4 + 1; i-- > 0;) sift_down(i, heap_[i]);
  }

 private:
  /// Places `e` at `i` or below, moving smaller children up: pop and
  /// replace_top from the root, assign from every inner node. The hot path,
  /// always inline (performance: out of line under LTO it was 15% of the
  /// Erlang loss run's instructions; see push for why `e` is taken by value).
  [[gnu::always_inline]] void sift_down(std::size_t i, EventRecord e) {
    const std::size_t n = heap_.size();
    EventRecord* const h = heap_.data();
    for (;;) {
      const std::size_t first = 4 * i + 1;
      std::size_t best;
      if (first + 4 <= n) [[likely]] {
        best = first + min_of_four(h + first);
      } else {
        if (first >= n) break;
        best = first;
        for (std::size_t c = first + 1; c < n; ++c) {
          if (h[c] < h[best]) best = c;
        }
      }
      if (!(h[best] < e)) break;
      h[i] = h[best];
      i = best;
    }
    h[i] = e;
  }

  // Performance: the least of four children by a tournament whose outcomes
  // select by arithmetic, not by branches: which child is least is a coin
  // toss that a branch predictor gets wrong half the time, and in the Erlang
  // loss run those mispredictions were most of the heap's cost. Keys are
  // unique, so the least child, and with it the heap's layout, is the one a
  // sequential scan finds.
  [[gnu::always_inline]] static std::size_t min_of_four(const EventRecord* c) {
    // The pairs' winners are selected from registers by masks (not reloaded
    // from memory, which put a load's latency on the chain of every level).
    const std::uint64_t m01 = 0 - static_cast<std::uint64_t>(c[1] < c[0]);
    const std::uint64_t m23 = 0 - static_cast<std::uint64_t>(c[3] < c[2]);
    const std::uint64_t a_time = pick(c[0].time, c[1].time, m01);
    const std::uint64_t a_key = pick(c[0].key, c[1].key, m01);
    const std::uint64_t b_time = pick(c[2].time, c[3].time, m23);
    const std::uint64_t b_key = pick(c[2].key, c[3].key, m23);
    const std::size_t a = m01 & 1;
    const std::size_t b = 2 + (m23 & 1);
    const std::size_t b_wins = 0 - static_cast<std::size_t>(EventRecord::order_of(b_time, b_key) <
                                                            EventRecord::order_of(a_time, a_key));
    return a ^ ((a ^ b) & b_wins);
  }
  /// `second` where `mask` is all ones, else `first`.
  static std::uint64_t pick(std::uint64_t first, std::uint64_t second, std::uint64_t mask) {
    return first ^ ((first ^ second) & mask);
  }
  static std::uint64_t pick(Tick first, Tick second, std::uint64_t mask) {
    return pick(static_cast<std::uint64_t>(first), static_cast<std::uint64_t>(second), mask);
  }

  std::vector<EventRecord> heap_;
};

}  // namespace telsim::sim
