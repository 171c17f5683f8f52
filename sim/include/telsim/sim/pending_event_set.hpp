#pragma once
/// Pending-event sets: priority queues of EventRecord in (time, key) order.
///
/// Every implementation has the same narrow surface, pinned by one typed
/// conformance test against a sorted-vector oracle:
///   push(record), top(), pop(), size(), empty(), clear().
/// Cancellation is not the set's business: the Scheduler invalidates
/// cancelled records through slot generations and drops them when they
/// surface ("lazy deletion"), which keeps push and pop branch-light.
#include <algorithm>
#include <cstddef>
#include <functional>
#include <queue>
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
  void push(const EventRecord& e) {
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
    if (!heap_.empty()) sift_down_from_root(last);
  }

  /// Pops the top and pushes `e` in one sift: the common "an event schedules
  /// its successor" step costs one traversal instead of two.
  void replace_top(const EventRecord& e) { sift_down_from_root(e); }

  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  void clear() { heap_.clear(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  void sift_down_from_root(const EventRecord& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = std::min(first + 4, n);
      for (std::size_t c = first + 1; c < end; ++c) {
        if (heap_[c] < heap_[best]) best = c;
      }
      if (!(heap_[best] < e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  std::vector<EventRecord> heap_;
};

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

}  // namespace telsim::sim
