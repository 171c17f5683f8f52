// Conformance suite for every pending-event set: random push / pop /
// replace_top sequences checked step by step against a sorted-vector oracle.
//
// The order is (time, key) with key from make_event_key, so ties in time are
// broken by priority, then by sequence. Keys are unique (the sequence is), so
// the oracle's answer is exact and every field of the top record must match.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "telsim/sim/event.hpp"
#include "telsim/sim/pending_event_set.hpp"
#include "telsim/sim/random.hpp"

namespace telsim::sim {
namespace {

/// The reference: a vector kept sorted in *descending* order, so the minimum
/// is at the back and pop is O(1). Insertion is O(n), acceptable for a test.
class SortedVectorOracle {
 public:
  void push(const EventRecord& e) {
    const auto later_first = [](const EventRecord& a, const EventRecord& b) { return b < a; };
    records_.insert(std::upper_bound(records_.begin(), records_.end(), e, later_first), e);
  }
  const EventRecord& top() const { return records_.back(); }
  void pop() { records_.pop_back(); }
  std::size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  /// Replaces the contents with `records`, in any order.
  void assign(std::vector<EventRecord> records) {
    records_ = std::move(records);
    std::sort(records_.begin(), records_.end(),
              [](const EventRecord& a, const EventRecord& b) { return b < a; });
  }

 private:
  std::vector<EventRecord> records_;
};

/// Builds records with unique, increasing sequence numbers and random
/// priority, kind and cancellable flag.
class RecordFactory {
 public:
  explicit RecordFactory(std::uint64_t seed) : rng_(RandomStream::derive(seed, 0, "records")) {}

  /// A record at `time`.
  EventRecord make(Tick time) {
    const auto p = rng_.bernoulli(0.5) ? Priority::release : Priority::normal;
    const auto kind = static_cast<EventKind>(rng_.uniform_index(max_event_kind + 1));
    const bool cancellable = rng_.bernoulli(0.3);
    const auto arg = static_cast<std::uint32_t>(rng_.next_u64());
    const auto gen = static_cast<std::uint32_t>(rng_.next_u64());
    return EventRecord{time, make_event_key(p, sequence_++, kind, cancellable), arg, gen};
  }

  RandomStream& rng() { return rng_; }

 private:
  RandomStream rng_;
  std::uint64_t sequence_ = 0;
};

::testing::AssertionResult same_record(const EventRecord& got, const EventRecord& want) {
  if (got.time == want.time && got.key == want.key && got.arg == want.arg && got.gen == want.gen) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "got (time " << got.time << ", key " << got.key << ", arg " << got.arg << ", gen "
         << got.gen << "), want (time " << want.time << ", key " << want.key << ", arg " << want.arg
         << ", gen " << want.gen << ")";
}

/// The adaptive set with thresholds small enough that the random tests
/// migrate between heap and ladder many times, in both directions.
class ChurningAdaptiveSet : public AdaptiveEventSet {
 public:
  ChurningAdaptiveSet() : AdaptiveEventSet(64, 16) {}
};

/// The adaptive set pinned to the ladder, as `engine.event_set: ladder` does.
class PinnedLadderSet : public AdaptiveEventSet {
 public:
  PinnedLadderSet() { set_mode(EventSetMode::ladder); }
};

template <class Set>
class PendingEventSetTest : public ::testing::Test {};

using SetTypes = ::testing::Types<QuaternaryHeap, BinaryHeap, LadderQueue, AdaptiveEventSet,
                                  ChurningAdaptiveSet, PinnedLadderSet>;
TYPED_TEST_SUITE(PendingEventSetTest, SetTypes);

/// Checks size and top of the set against the oracle; returns false on the
/// first mismatch so that a broken set reports once, not a million times.
template <class Set>
bool agrees(const Set& set, const SortedVectorOracle& oracle, std::size_t step) {
  EXPECT_EQ(set.size(), oracle.size()) << "at step " << step;
  EXPECT_EQ(set.empty(), oracle.empty()) << "at step " << step;
  if (set.size() != oracle.size()) return false;
  if (oracle.empty()) return true;
  const auto same = same_record(set.top(), oracle.top());
  EXPECT_TRUE(same) << "top at step " << step;
  return static_cast<bool>(same);
}

struct Mix {
  double push;     ///< probability of a push (else pop or replace_top)
  double replace;  ///< of the rest, probability of replace_top rather than pop
  Tick time_span;  ///< times are drawn in [base, base + span): small spans give many ties
};

/// Runs `steps` random operations, checking after each one. Times grow with
/// a moving base, as in a simulation, but may also fall anywhere in the span.
template <class Set>
void run_random_ops(Set& set, SortedVectorOracle& oracle, RecordFactory& make, std::size_t steps,
                    const Mix& mix) {
  auto& rng = make.rng();
  Tick base = oracle.empty() ? 0 : oracle.top().time;
  for (std::size_t step = 0; step < steps; ++step) {
    const Tick t =
        base + static_cast<Tick>(rng.uniform_index(static_cast<std::uint64_t>(mix.time_span)));
    if (oracle.empty() || rng.bernoulli(mix.push)) {
      const EventRecord e = make.make(t);
      set.push(e);
      oracle.push(e);
    } else if (rng.bernoulli(mix.replace)) {
      const EventRecord e = make.make(t);
      set.replace_top(e);
      oracle.pop();
      oracle.push(e);
    } else {
      set.pop();
      oracle.pop();
    }
    if (!oracle.empty()) base = oracle.top().time;
    if (!agrees(set, oracle, step)) return;
  }
}

/// Pops everything, checking each record in turn.
template <class Set>
void drain(Set& set, SortedVectorOracle& oracle) {
  std::size_t step = 0;
  while (!oracle.empty()) {
    if (!agrees(set, oracle, step++)) return;
    set.pop();
    oracle.pop();
  }
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.size(), 0u);
}

TYPED_TEST(PendingEventSetTest, StartsEmpty) {
  TypeParam set;
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.size(), 0u);
}

TYPED_TEST(PendingEventSetTest, SingleRecordRoundTrips) {
  TypeParam set;
  const EventRecord e{42, make_event_key(Priority::normal, 7, 3, true), 11, 5};
  set.push(e);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_TRUE(same_record(set.top(), e));
  EXPECT_EQ(set.top().kind(), 3);
  EXPECT_TRUE(set.top().is_cancellable());
  EXPECT_EQ(set.top().priority(), Priority::normal);
  EXPECT_EQ(set.top().sequence(), 7u);
  set.pop();
  EXPECT_TRUE(set.empty());
}

TYPED_TEST(PendingEventSetTest, ReplaceTopOnSingleRecord) {
  TypeParam set;
  set.push(EventRecord{10, make_event_key(Priority::normal, 0, 1, false), 1, 0});
  const EventRecord e{5, make_event_key(Priority::normal, 1, 2, false), 2, 0};
  set.replace_top(e);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_TRUE(same_record(set.top(), e));
}

// Equal times: release before normal, then scheduling order; the kind bits
// never decide (sequence numbers are unique).
TYPED_TEST(PendingEventSetTest, KeyOrdersPriorityThenSequenceAtEqualTime) {
  TypeParam set;
  set.push(EventRecord{5, make_event_key(Priority::normal, 0, max_event_kind, false), 0, 0});
  set.push(EventRecord{5, make_event_key(Priority::normal, 1, 0, true), 1, 0});
  set.push(EventRecord{5, make_event_key(Priority::release, 2, 9, false), 2, 0});
  set.push(EventRecord{4, make_event_key(Priority::normal, 3, 0, false), 3, 0});
  set.push(EventRecord{5, make_event_key(Priority::release, 4, 0, false), 4, 0});
  std::vector<std::uint32_t> order;
  while (!set.empty()) {
    order.push_back(set.top().arg);
    set.pop();
  }
  EXPECT_EQ(order, (std::vector<std::uint32_t>{3, 2, 4, 0, 1}));
}

TYPED_TEST(PendingEventSetTest, ClearEmptiesAndTheSetIsReusable) {
  TypeParam set;
  RecordFactory make(3);
  for (int i = 0; i < 100; ++i) set.push(make.make(i % 7));
  set.clear();
  EXPECT_TRUE(set.empty());
  EXPECT_EQ(set.size(), 0u);
  SortedVectorOracle oracle;
  set.reserve(1000);
  run_random_ops(set, oracle, make, 2000, Mix{0.6, 0.5, 20});
  drain(set, oracle);
}

// Small sets, several seeds, every mix of operations; small time spans make
// most records tie on time so that the key decides.
TYPED_TEST(PendingEventSetTest, RandomOperationsMatchOracle) {
  const Mix mixes[] = {
      {0.5, 0.0, 1},          // every record at the same time: the key alone orders
      {0.5, 0.5, 3},          // heavy ties, all three operations
      {0.6, 0.3, 1000},       // growing set, few ties
      {0.4, 0.7, 1'000'000},  // shrinking set, mostly replace_top
  };
  for (const std::uint64_t seed : {1u, 2u, 3u, 20240601u}) {
    for (const Mix& mix : mixes) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", push " + std::to_string(mix.push) +
                   ", span " + std::to_string(mix.time_span));
      TypeParam set;
      SortedVectorOracle oracle;
      RecordFactory make(seed);
      run_random_ops(set, oracle, make, 20'000, mix);
      drain(set, oracle);
    }
  }
}

// Mid-size set: grow to 2 x 10^4 with ~400 records per time, churn, drain.
TYPED_TEST(PendingEventSetTest, TwentyThousandRecordsMatchOracle) {
  for (const std::uint64_t seed : {11u, 12u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    TypeParam set;
    SortedVectorOracle oracle;
    RecordFactory make(seed);
    run_random_ops(set, oracle, make, 20'000, Mix{1.0, 0.0, 50});  // grow, many ties
    run_random_ops(set, oracle, make, 50'000, Mix{0.5, 0.5, 5'000});
    drain(set, oracle);
  }
}

// Large set: 10^5 records, about 100 per distinct time, then churn at that
// size (pop / push / replace_top), then a full drain, all checked step by
// step. While the set is built, the oracle is the running minimum (keys are
// unique, so it is exact) and the sorted vector is made once at the end:
// 10^5 sorted insertions would cost O(n^2) and add nothing.
TYPED_TEST(PendingEventSetTest, HundredThousandRecordsMatchOracle) {
  constexpr std::size_t n = 100'000;
  TypeParam set;
  RecordFactory make(99);
  std::vector<EventRecord> built;
  built.reserve(n);
  EventRecord least{never, ~std::uint64_t{0}, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const EventRecord e = make.make(static_cast<Tick>(make.rng().uniform_index(1'000)));
    set.push(e);
    built.push_back(e);
    if (e < least) least = e;
    ASSERT_EQ(set.size(), i + 1);
    ASSERT_TRUE(same_record(set.top(), least)) << "after push " << i;
  }
  SortedVectorOracle oracle;
  oracle.assign(std::move(built));
  ASSERT_TRUE(agrees(set, oracle, 0));
  run_random_ops(set, oracle, make, 10'000, Mix{0.5, 0.5, 2'000});
  drain(set, oracle);
}

// Records at the very end of time and spread over the whole tick range:
// bucket arithmetic must not overflow, and ties at `never` still go by key.
TYPED_TEST(PendingEventSetTest, WholeTickRangeAndNeverMatchOracle) {
  TypeParam set;
  SortedVectorOracle oracle;
  RecordFactory make(5);
  for (int i = 0; i < 3000; ++i) {
    Tick t;
    switch (i % 4) {
      case 0:
        t = never;
        break;
      case 1:
        t = never - static_cast<Tick>(make.rng().uniform_index(1000));
        break;
      case 2:
        t = static_cast<Tick>(make.rng().next_u64() >> 1);
        break;
      default:
        t = static_cast<Tick>(make.rng().uniform_index(1000));
        break;
    }
    const EventRecord e = make.make(t);
    set.push(e);
    oracle.push(e);
  }
  ASSERT_TRUE(agrees(set, oracle, 0));
  // Churn: pop, and push at or after the popped time (as a simulation does).
  for (std::size_t step = 0; step < 3000; ++step) {
    const Tick now = oracle.top().time;
    set.pop();
    oracle.pop();
    const auto room = static_cast<std::uint64_t>(never - now);
    const EventRecord e =
        make.make(now + static_cast<Tick>(room == 0 ? 0 : make.rng().uniform_index(room)));
    set.push(e);
    oracle.push(e);
    if (!agrees(set, oracle, step)) return;
  }
  drain(set, oracle);
}

// The hold model at 2 x 10^5 records with exponential increments, and then
// with increments from 1 us to 10^6 s mixed (many rungs), checked at every
// step against the 4-ary heap (itself checked against the oracle above).
TYPED_TEST(PendingEventSetTest, HoldModelMatchesTheHeap) {
  constexpr std::size_t n = 200'000;
  TypeParam set;
  QuaternaryHeap heap;
  RecordFactory make(77);
  auto& rng = make.rng();
  for (std::size_t i = 0; i < n; ++i) {
    const EventRecord e = make.make(to_ticks(-std::log(rng.uniform_open0())));
    set.push(e);
    heap.push(e);
  }
  for (int phase = 0; phase < 2; ++phase) {
    SCOPED_TRACE(phase == 0 ? "exponential increments" : "mixed scales");
    for (std::size_t step = 0; step < 600'000; ++step) {
      ASSERT_EQ(set.size(), heap.size());
      ASSERT_TRUE(same_record(set.top(), heap.top())) << "at step " << step;
      const Tick now = heap.top().time;
      double mean = 1.0;
      if (phase == 1) mean = std::pow(10.0, static_cast<double>(rng.uniform_index(13)) - 6.0);
      const EventRecord e = make.make(now + to_ticks(-mean * std::log(rng.uniform_open0())));
      if (step % 3 == 0) {
        set.replace_top(e);
        heap.replace_top(e);
      } else {
        set.pop();
        heap.pop();
        set.push(e);
        heap.push(e);
      }
    }
  }
  while (!heap.empty()) {
    ASSERT_TRUE(same_record(set.top(), heap.top()));
    set.pop();
    heap.pop();
  }
  EXPECT_TRUE(set.empty());
}

// The adaptive set moves to the ladder above its upper threshold and back
// to the heap below its lower one, once each way per crossing of the band.
TEST(AdaptiveEventSetTest, MigratesWithHysteresis) {
  AdaptiveEventSet set(1000, 250);
  RecordFactory make(8);
  for (int i = 0; i < 1000; ++i) set.push(make.make(i));
  EXPECT_FALSE(set.on_ladder());
  set.push(make.make(5000));
  EXPECT_TRUE(set.on_ladder());
  EXPECT_EQ(set.migrations(), 1u);
  // Down to 251 and up again: no migration inside the band.
  for (int i = 0; i < 750; ++i) set.pop();
  EXPECT_TRUE(set.on_ladder());
  for (int i = 0; i < 700; ++i) set.push(make.make(6000 + i));
  EXPECT_EQ(set.migrations(), 1u);
  while (set.size() >= 250) set.pop();
  EXPECT_FALSE(set.on_ladder());
  EXPECT_EQ(set.migrations(), 2u);
}

TEST(AdaptiveEventSetTest, PinnedModesNeverMigrate) {
  AdaptiveEventSet heap_only(100, 10);
  heap_only.set_mode(EventSetMode::heap);
  AdaptiveEventSet ladder_only(100, 10);
  ladder_only.set_mode(EventSetMode::ladder);
  EXPECT_TRUE(ladder_only.on_ladder());
  RecordFactory make(9);
  for (int i = 0; i < 500; ++i) {
    const EventRecord e = make.make(i % 37);
    heap_only.push(e);
    ladder_only.push(e);
  }
  EXPECT_FALSE(heap_only.on_ladder());
  while (!heap_only.empty()) {
    ASSERT_TRUE(same_record(heap_only.top(), ladder_only.top()));
    heap_only.pop();
    ladder_only.pop();
  }
  EXPECT_TRUE(ladder_only.on_ladder());
  EXPECT_EQ(heap_only.migrations(), 0u);
  EXPECT_EQ(ladder_only.migrations(), 1u);  // the one set_mode made
  // Back to automatic: a pinned ladder with few records returns to the heap
  // at its next pop below the lower threshold.
  ladder_only.set_mode(EventSetMode::automatic);
  ladder_only.push(make.make(1));
  ladder_only.push(make.make(2));
  ladder_only.pop();
  EXPECT_FALSE(ladder_only.on_ladder());
}

}  // namespace
}  // namespace telsim::sim
