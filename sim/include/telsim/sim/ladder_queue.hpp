#pragma once
/// A ladder queue (Tang, Goh & Thng, "Ladder Queue: An O(1) Priority Queue
/// Structure for Large-Scale Discrete Event Simulation", ACM TOMACS 15(3),
/// 2005) for 10^5..10^6 pending events, where the heaps' cache misses
/// dominate.
///
/// Three tiers, in (time, key) order from earliest to latest:
///   bottom  a small 4-ary heap holding every record with time < limit_;
///           its top is the set's top (kept non-empty whenever the set is not);
///   rungs   bucket arrays of decreasing width; rung r+1 covers exactly the
///           bucket of rung r that was being consumed when it was spawned;
///   top     an unsorted list of every record with time >= top_start_.
/// Buckets are unsorted linked lists of pooled 128-byte blocks of five
/// records (performance: a bucket is read with one cache miss per block, not
/// per record, and the bucket's count, kept beside its head, says whether the
/// head block has room without touching it); a push is an index computation
/// (bucket widths are powers of two, so a shift) and a store. The top is one
/// more such list, so that every tier draws on one pool of blocks and memory
/// follows the number of pending records, not the history of the run. When the bottom runs dry, the
/// next non-empty bucket of the innermost rung either goes to the bottom (if small) or is split
/// into a new rung; when the rungs are exhausted the top becomes rung 0.
///
/// Exact order: a bucket holds a time range [s, s + w), and every record
/// outside the bottom has time >= limit_ > every time in it, so the bottom
/// heap, which compares (time, key), alone decides among equal times.
/// Amortised O(1) per operation for the usual event-time distributions;
/// worst case (all records at one tick) the bottom heap's O(log n).
/// Times must be >= 0 (the scheduler's are); bucket arithmetic is unsigned,
/// so ranges reaching `never` do not overflow.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "telsim/sim/event.hpp"
#include "telsim/sim/quaternary_heap.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::sim {

class LadderQueue {
 public:
  void push(const EventRecord& e) {
    ++size_;
    if (u(e.time) < limit_) {
      bottom_.push(e);
      return;
    }
    if (size_ == 1) {
      // Empty set: the record alone is the bottom; later records at or after
      // its next tick go to the top. Rungs left over are empty: drop them.
      rung_count_ = 0;
      bottom_.push(e);
      limit_ = u(e.time) + 1;
      top_start_ = limit_;
      return;
    }
    place(e);
  }

  const EventRecord& top() const { return bottom_.top(); }

  void pop() {
    bottom_.pop();
    --size_;
    if (bottom_.empty() && size_ != 0) refill();
  }

  void replace_top(const EventRecord& e) {
    if (u(e.time) < limit_) {
      bottom_.replace_top(e);  // stays in the bottom tier: one sift
      return;
    }
    pop();
    push(e);
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void clear() {
    bottom_.clear();
    blocks_.clear();
    free_ = nil;
    top_ = Bucket{};
    rung_count_ = 0;
    size_ = 0;
    limit_ = 0;
    top_start_ = 0;
  }

  void reserve(std::size_t n) { blocks_.reserve(n / block_capacity + 1); }

  /// Appends every record, in no particular order, to `out` (for migrating
  /// to another set).
  void append_records(std::vector<EventRecord>& out) const {
    out.insert(out.end(), bottom_.records().begin(), bottom_.records().end());
    for (std::size_t r = 0; r < rung_count_; ++r) {
      const Rung& rung = rungs_[r];
      for (std::size_t b = rung.cur; b < rung.buckets.size(); ++b) {
        for_each_record(rung.buckets[b], [&out](const EventRecord& e) { out.push_back(e); });
      }
    }
    for_each_record(top_, [&out](const EventRecord& e) { out.push_back(e); });
  }

 private:
  static constexpr std::uint32_t nil = 0xffffffffu;
  static constexpr std::uint32_t block_capacity = 5;
  /// A bucket with at most this many records goes to the bottom as it is;
  /// a larger one is split into a new rung.
  static constexpr std::size_t bottom_threshold = 48;
  /// Records per bucket aimed at when a rung is made (one block).
  static constexpr std::size_t records_per_bucket = 4;

  static std::uint64_t u(Tick t) { return static_cast<std::uint64_t>(t); }

  struct alignas(64) Block {
    EventRecord records[block_capacity];
    std::uint32_t next;  // the next (fuller) block of the bucket, or the free list
  };
  /// A bucket: its newest block (the only one that may have room) and its
  /// number of records; the head block holds count % capacity of them (all
  /// `capacity` when that is 0), every other block is full.
  struct Bucket {
    std::uint32_t head = nil;
    std::uint32_t count = 0;
  };
  struct Rung {
    std::uint64_t start = 0;
    unsigned shift = 0;   // bucket width = 2^shift ticks
    std::size_t cur = 0;  // first bucket not yet consumed
    std::vector<Bucket> buckets;
    std::uint64_t bucket_start(std::size_t b) const {
      return start + (static_cast<std::uint64_t>(b) << shift);
    }
    std::size_t bucket_of(std::uint64_t t) const {
      return static_cast<std::size_t>((t - start) >> shift);
    }
  };

  template <class F>
  void for_each_record(const Bucket& bucket, F&& f) const {
    std::uint32_t fill = bucket.count % block_capacity;
    if (fill == 0) fill = block_capacity;
    for (std::uint32_t i = bucket.head; i != nil; i = blocks_[i].next) {
      for (std::uint32_t k = 0; k < fill; ++k) {
        const EventRecord e = blocks_[i].records[k];  // a copy: f may grow blocks_
        f(e);
      }
      fill = block_capacity;
    }
  }

  void add_to(Bucket& bucket, const EventRecord& e) {
    const std::uint32_t slot = bucket.count % block_capacity;
    if (slot == 0) {  // the head block is full (or there is none): a new one
      std::uint32_t i;
      if (free_ != nil) {
        i = free_;
        free_ = blocks_[i].next;
      } else {
        i = static_cast<std::uint32_t>(blocks_.size());
        blocks_.emplace_back();
      }
      blocks_[i].next = bucket.head;
      bucket.head = i;
    }
    blocks_[bucket.head].records[slot] = e;
    ++bucket.count;
  }

  /// Empties the bucket, handing each record to `f`; each block is freed
  /// before its records are handed on, so that `f` may reuse it at once.
  template <class F>
  void drain(Bucket& bucket, F&& f) {
    std::uint32_t fill = bucket.count % block_capacity;
    if (fill == 0) fill = block_capacity;
    std::uint32_t i = bucket.head;
    bucket = Bucket{};
    EventRecord copy[block_capacity];
    while (i != nil) {
      for (std::uint32_t k = 0; k < fill; ++k) copy[k] = blocks_[i].records[k];
      const std::uint32_t next = blocks_[i].next;
      blocks_[i].next = free_;
      free_ = i;
      for (std::uint32_t k = 0; k < fill; ++k) f(copy[k]);
      fill = block_capacity;
      i = next;
    }
  }

  /// Puts a record with time >= limit_ into a rung or the top.
  void place(const EventRecord& e) {
    const std::uint64_t t = u(e.time);
    if (t >= top_start_) {
      if (top_.count == 0) {
        top_min_ = top_max_ = t;
      } else {
        if (t < top_min_) top_min_ = t;
        if (t > top_max_) top_max_ = t;
      }
      add_to(top_, e);
      return;
    }
    // Outermost rung first: most new events land far from the bottom.
    for (std::size_t r = 0; r < rung_count_; ++r) {
      Rung& rung = rungs_[r];
      const std::size_t b = rung.bucket_of(t);
      if (b >= rung.cur) {
        add_to(rung.buckets[b], e);
        return;
      }
    }
    // Unreachable while limit_ is the innermost rung's consumed edge
    // (t >= limit_); kept as the safe answer.
    bottom_.push(e);
  }

  /// Makes a new innermost rung of `buckets` buckets 2^shift wide from
  /// `start`. References to rungs may move.
  void add_rung(std::uint64_t start, unsigned shift, std::size_t buckets) {
    if (rung_count_ == rungs_.size()) rungs_.emplace_back();
    Rung& rung = rungs_[rung_count_++];
    rung.start = start;
    rung.shift = shift;
    rung.cur = 0;
    rung.buckets.assign(buckets, Bucket{});
  }

  /// Smallest power-of-two exponent w such that `buckets` buckets of 2^w
  /// ticks cover `span` ticks.
  static unsigned width_shift(std::uint64_t span, std::uint64_t buckets) {
    const std::uint64_t width = (span + buckets - 1) / buckets;
    return static_cast<unsigned>(std::bit_width(width - 1));  // ceil(log2(width)), 0 for 1
  }

  /// Refills the empty bottom from the rungs or the top (size_ > 0).
  void refill() {
    for (;;) {
      if (rung_count_ == 0) {
        // The top becomes rung 0, or the bottom outright if it is small.
        if (top_.count <= bottom_threshold) {
          drain(top_, [this](const EventRecord& e) { bottom_.push(e); });
          limit_ = top_max_ + 1;
          top_start_ = limit_;
          return;
        }
        const std::uint64_t span = top_max_ - top_min_ + 1;
        const unsigned shift = width_shift(span, top_.count / records_per_bucket);
        const auto buckets = static_cast<std::size_t>(((span - 1) >> shift) + 1);
        add_rung(top_min_, shift, buckets);
        Rung& rung = rungs_[0];
        drain(top_, [this, &rung](const EventRecord& e) {
          add_to(rung.buckets[rung.bucket_of(u(e.time))], e);
        });
        top_start_ = rung.bucket_start(buckets);
      }
      Rung& rung = rungs_[rung_count_ - 1];
      while (rung.cur < rung.buckets.size() && rung.buckets[rung.cur].count == 0) ++rung.cur;
      if (rung.cur == rung.buckets.size()) {
        // Exhausted: its whole range is consumed, the next rung out goes on.
        --rung_count_;
        continue;
      }
      const std::size_t b = rung.cur++;
      Bucket bucket = rung.buckets[b];
      rung.buckets[b] = Bucket{};
      const std::uint64_t bucket_start = rung.bucket_start(b);
      limit_ = rung.bucket_start(b + 1);
      if (bucket.count <= bottom_threshold || rung.shift == 0) {
        drain(bucket, [this](const EventRecord& e) { bottom_.push(e); });
        return;
      }
      // Too many for the bottom: split the bucket into a finer rung (at
      // least two buckets, so that the widths shrink and this ends).
      const std::uint32_t count = bucket.count;
      const unsigned child_shift = std::min(
          rung.shift - 1, width_shift(std::uint64_t{1} << rung.shift,
                                      std::max<std::size_t>(2, count / records_per_bucket)));
      const std::size_t buckets = std::size_t{1} << (rung.shift - child_shift);
      add_rung(bucket_start, child_shift, buckets);  // `rung` may move
      Rung& child = rungs_[rung_count_ - 1];
      drain(bucket, [this, &child](const EventRecord& e) {
        add_to(child.buckets[child.bucket_of(u(e.time))], e);
      });
      limit_ = bucket_start;
    }
  }

  QuaternaryHeap bottom_;
  std::vector<Block> blocks_;
  std::uint32_t free_ = nil;
  std::vector<Rung> rungs_;  // [0, rung_count_) in use, outermost first
  std::size_t rung_count_ = 0;
  Bucket top_;
  std::uint64_t top_min_ = 0;
  std::uint64_t top_max_ = 0;
  std::size_t size_ = 0;
  std::uint64_t limit_ = 0;      // the bottom holds exactly the records with time < limit_
  std::uint64_t top_start_ = 0;  // the top holds exactly the records with time >= top_start_
};

}  // namespace telsim::sim
