// Scheduler semantics, typed over every pending-event set: the total order
// (time, priority, sequence), cancellation handles, the horizon rule of
// run_until, run_while, limits, and the clock's bookkeeping.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "telsim/sim/pending_event_set.hpp"
#include "telsim/sim/random.hpp"
#include "telsim/sim/scheduler.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::sim {
namespace {

/// One event as the model saw it.
struct Fired {
  Tick time;
  EventKind kind;
  std::uint32_t arg;
  friend bool operator==(const Fired&, const Fired&) = default;
};

/// Records every event; an optional hook lets a test act from inside a handler.
struct Recorder {
  std::vector<Fired> fired;
  std::function<void(EventKind, std::uint32_t)> hook;
  std::function<Tick()> clock;

  void on_event(EventKind kind, std::uint32_t arg) {
    fired.push_back(Fired{clock ? clock() : -1, kind, arg});
    if (hook) hook(kind, arg);
  }

  std::vector<std::uint32_t> args() const {
    std::vector<std::uint32_t> out;
    for (const Fired& f : fired) out.push_back(f.arg);
    return out;
  }
};

template <class Set>
class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() {
    rec.clock = [this] { return sched.now(); };
  }
  /// Runs everything that is pending. Not run_until(never): that would leave
  /// the clock at `never` and a test could schedule nothing afterwards.
  RunStatus run_all() {
    return sched.run_while(rec, [] { return true; });
  }

  BasicScheduler<Set> sched;
  Recorder rec;
};

using SetTypes = ::testing::Types<QuaternaryHeap, BinaryHeap, LadderQueue, AdaptiveEventSet>;
TYPED_TEST_SUITE(SchedulerTest, SetTypes);

TYPED_TEST(SchedulerTest, StartsAtZeroAndEmpty) {
  EXPECT_EQ(this->sched.now(), 0);
  EXPECT_TRUE(this->sched.empty());
  EXPECT_EQ(this->sched.pending(), 0u);
  EXPECT_EQ(this->sched.next_time(), never);
  EXPECT_EQ(this->sched.events_executed(), 0u);
  EXPECT_EQ(this->run_all(), RunStatus::done);
  EXPECT_TRUE(this->rec.fired.empty());
}

TYPED_TEST(SchedulerTest, RunsInTimeOrderAndSetsTheClock) {
  this->sched.schedule_at(30, 1, 3);
  this->sched.schedule_at(10, 1, 1);
  this->sched.schedule_at(20, 2, 2);
  EXPECT_EQ(this->sched.next_time(), 10);
  EXPECT_EQ(this->run_all(), RunStatus::done);
  EXPECT_EQ(this->rec.fired, (std::vector<Fired>{{10, 1, 1}, {20, 2, 2}, {30, 1, 3}}));
  EXPECT_EQ(this->sched.events_executed(), 3u);
}

TYPED_TEST(SchedulerTest, ReleaseRunsBeforeNormalAtEqualTime) {
  this->sched.schedule_at(10, 1, 1, Priority::normal);
  this->sched.schedule_at(10, 1, 2, Priority::normal);
  this->sched.schedule_at(10, 1, 3, Priority::release);
  this->sched.schedule_at(9, 1, 4, Priority::normal);
  this->sched.schedule_at(10, 1, 5, Priority::release);
  this->run_all();
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{4, 3, 5, 1, 2}));
}

TYPED_TEST(SchedulerTest, EqualTimeAndPriorityRunInSchedulingOrder) {
  // Enough records that a heap would scramble them without the sequence.
  for (std::uint32_t i = 0; i < 5000; ++i) this->sched.schedule_at(7, 0, i);
  this->run_all();
  std::vector<std::uint32_t> want(5000);
  for (std::uint32_t i = 0; i < 5000; ++i) want[i] = i;
  EXPECT_EQ(this->rec.args(), want);
}

// The last sequence numbers still give the one order: (time, priority,
// sequence), with no number carried into the priority bits.
TYPED_TEST(SchedulerTest, OrderHoldsUpToTheLastSequenceNumber) {
  this->sched.set_next_sequence_for_testing(max_event_sequence - 5);
  this->sched.schedule_at(10, 1, 1, Priority::normal);
  this->sched.schedule_cancellable_at(10, 1, 2, Priority::release);
  this->sched.schedule_source_at(10, 1, 3, Priority::normal);
  this->sched.schedule_at(9, 1, 4, Priority::normal);
  EventHandle gone = this->sched.schedule_cancellable_at(10, 1, 5, Priority::release);
  this->sched.schedule_at(10, 1, 6, Priority::release);  // the last number
  EXPECT_TRUE(this->sched.cancel(gone));
  EXPECT_THROW(this->sched.schedule_at(10, 1, 7), std::length_error);
  EXPECT_EQ(this->run_all(), RunStatus::done);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{4, 2, 6, 1, 3}));
}

// Random times with heavy ties, both priorities, plain and cancellable: the
// run must equal a stable sort of the schedule by (time, priority).
TYPED_TEST(SchedulerTest, RandomScheduleRunsInTotalOrder) {
  struct Planned {
    Tick time;
    Priority p;
    std::uint32_t arg;
  };
  auto rng = RandomStream::derive(5, 0, "scheduler-order");
  std::vector<Planned> plan;
  for (std::uint32_t i = 0; i < 20'000; ++i) {
    const Planned e{static_cast<Tick>(rng.uniform_index(200)),
                    rng.bernoulli(0.3) ? Priority::release : Priority::normal, i};
    plan.push_back(e);
    if (rng.bernoulli(0.5)) {
      this->sched.schedule_cancellable_at(e.time, 0, e.arg, e.p);
    } else {
      this->sched.schedule_at(e.time, 0, e.arg, e.p);
    }
  }
  std::stable_sort(plan.begin(), plan.end(), [](const Planned& a, const Planned& b) {
    return a.time < b.time || (a.time == b.time && a.p < b.p);
  });
  this->run_all();
  ASSERT_EQ(this->rec.fired.size(), plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    ASSERT_EQ(this->rec.fired[i].arg, plan[i].arg) << "at position " << i;
    ASSERT_EQ(this->rec.fired[i].time, plan[i].time) << "at position " << i;
  }
}

// An event scheduled from a handler at the current time joins the back of its
// (time, priority) class: after the normal events already pending at now, but
// a release still runs before them. Covers both the "reuse the top's place"
// path (first schedule in a handler) and the plain push (later ones).
TYPED_TEST(SchedulerTest, EventsScheduledFromAHandlerAtNowKeepTheOrder) {
  auto& s = this->sched;
  s.schedule_at(10, 1, 1);
  s.schedule_at(10, 1, 2);
  s.schedule_at(10, 1, 3);
  s.schedule_at(11, 1, 9);
  this->rec.hook = [&s](EventKind, std::uint32_t arg) {
    if (arg == 1) {
      s.schedule_at(s.now(), 1, 100);                     // after 2 and 3
      s.schedule_at(s.now(), 1, 101, Priority::release);  // before 2 and 3
      s.schedule_after(0, 1, 102);                        // after 100
    }
    if (arg == 101) s.schedule_at(s.now(), 1, 103, Priority::release);  // next
  };
  this->run_all();
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{1, 101, 103, 2, 3, 100, 102, 9}));
  for (const Fired& f : this->rec.fired) EXPECT_EQ(f.time, f.arg == 9 ? 11 : 10);
}

TYPED_TEST(SchedulerTest, HandlerChainsTheHoldModelInOrder) {
  // Every event schedules its successor: the set size stays constant and
  // times never go backwards.
  auto& s = this->sched;
  auto rng = RandomStream::derive(8, 0, "hold");
  for (std::uint32_t i = 0; i < 100; ++i)
    s.schedule_at(static_cast<Tick>(rng.uniform_index(1000)), 0, i);
  std::uint64_t budget = 10'000;
  this->rec.hook = [&](EventKind, std::uint32_t arg) {
    EXPECT_EQ(s.pending(), 99u);  // the running event is no longer pending
    s.schedule_after(static_cast<Tick>(rng.uniform_index(1000)), 0, arg);
  };
  s.run_while(this->rec, [&] { return budget-- > 0; });
  ASSERT_EQ(this->rec.fired.size(), 10'000u);
  for (std::size_t i = 1; i < this->rec.fired.size(); ++i) {
    ASSERT_LE(this->rec.fired[i - 1].time, this->rec.fired[i].time);
  }
  EXPECT_EQ(s.pending(), 100u);
  EXPECT_EQ(s.peak_pending(), 100u);
}

TYPED_TEST(SchedulerTest, CancelBeforeFiringStopsTheEvent) {
  auto& s = this->sched;
  EventHandle h = s.schedule_cancellable_at(10, 4, 77);
  s.schedule_at(20, 1, 1);
  EXPECT_FALSE(h.empty());
  EXPECT_TRUE(s.is_pending(h));
  EXPECT_TRUE(s.cancel(h));
  EXPECT_TRUE(h.empty());  // the handle is emptied
  EXPECT_FALSE(s.is_pending(h));
  this->run_all();
  EXPECT_EQ(this->rec.fired, (std::vector<Fired>{{20, 1, 1}}));
}

TYPED_TEST(SchedulerTest, CancellableEventDeliversItsKindAndArgument) {
  auto& s = this->sched;
  EventHandle h = s.schedule_cancellable_after(5, 7, 123456, Priority::release);
  this->run_all();
  EXPECT_EQ(this->rec.fired, (std::vector<Fired>{{5, 7, 123456}}));
  EXPECT_FALSE(s.is_pending(h));
}

TYPED_TEST(SchedulerTest, CancellingAFiredEventIsHarmless) {
  auto& s = this->sched;
  EventHandle h = s.schedule_cancellable_at(10, 1, 1);
  EventHandle copy = h;
  this->run_all();
  EXPECT_FALSE(s.is_pending(h));
  EXPECT_FALSE(s.cancel(h));
  EXPECT_TRUE(h.empty());
  EXPECT_FALSE(s.cancel(copy));
  EXPECT_FALSE(s.cancel(copy));  // emptied handle: still false
  EXPECT_EQ(this->rec.fired.size(), 1u);
}

TYPED_TEST(SchedulerTest, CancellingTwiceReturnsFalseTheSecondTime) {
  auto& s = this->sched;
  EventHandle h = s.schedule_cancellable_at(10, 1, 1);
  EventHandle copy = h;
  EXPECT_TRUE(s.cancel(h));
  EXPECT_FALSE(s.cancel(copy));
  EXPECT_FALSE(s.cancel(h));
  EventHandle never_set;
  EXPECT_FALSE(s.is_pending(never_set));
  EXPECT_FALSE(s.cancel(never_set));
  this->run_all();
  EXPECT_TRUE(this->rec.fired.empty());
  EXPECT_EQ(s.events_executed(), 0u);
}

// A slot freed by a cancellation (or a firing) is reused; the old handle's
// generation no longer matches, so it neither cancels nor reports the new
// event, and the stale record left in the set is dropped when it surfaces.
TYPED_TEST(SchedulerTest, ReusedSlotDoesNotReviveTheOldHandle) {
  auto& s = this->sched;
  EventHandle old_handle = s.schedule_cancellable_at(10, 1, 1);
  EventHandle stale = old_handle;
  ASSERT_TRUE(s.cancel(old_handle));
  EventHandle fresh = s.schedule_cancellable_at(5, 1, 2);
  EXPECT_EQ(fresh.slot, stale.slot) << "the freed slot is expected to be reused";
  EXPECT_NE(fresh.gen, stale.gen);
  EXPECT_FALSE(s.is_pending(stale));
  EXPECT_TRUE(s.is_pending(fresh));
  EXPECT_FALSE(s.cancel(stale));
  EXPECT_TRUE(s.is_pending(fresh));
  this->run_all();
  EXPECT_EQ(this->rec.fired, (std::vector<Fired>{{5, 1, 2}}));

  // Fired, then reused by a later event: the fired event's handle stays dead.
  EventHandle later = s.schedule_cancellable_at(20, 1, 3);
  EXPECT_EQ(later.slot, fresh.slot);
  EXPECT_FALSE(s.cancel(fresh));
  EXPECT_TRUE(s.is_pending(later));
  this->run_all();
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{2, 3}));
}

// The stale record of a cancelled event and its slot's new event sit at the
// same time: only the new one runs, once.
TYPED_TEST(SchedulerTest, StaleRecordAtTheSameTimeAsTheReusedSlotIsDropped) {
  auto& s = this->sched;
  EventHandle a = s.schedule_cancellable_at(10, 1, 1);
  ASSERT_TRUE(s.cancel(a));
  EventHandle b = s.schedule_cancellable_at(10, 1, 2);
  this->run_all();
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{2}));
  EXPECT_FALSE(s.is_pending(b));
  EXPECT_EQ(s.events_executed(), 1u);
}

TYPED_TEST(SchedulerTest, CancelFromInsideAHandler) {
  auto& s = this->sched;
  EventHandle timer = s.schedule_cancellable_at(10, 2, 2);  // same time, later sequence
  EventHandle self;
  s.schedule_at(10, 1, 1);
  self = s.schedule_cancellable_at(10, 3, 3);
  bool cancelled_timer = false;
  bool cancelled_self = true;
  this->rec.hook = [&](EventKind kind, std::uint32_t) {
    if (kind == 1) cancelled_timer = s.cancel(timer);
    if (kind == 3) cancelled_self = s.cancel(self);  // the running event is no longer pending
  };
  this->run_all();
  EXPECT_FALSE(cancelled_timer) << "the timer (scheduled first) already ran";
  EXPECT_FALSE(cancelled_self);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{2, 1, 3}));

  // Cancel a later event at the same time from a handler.
  this->rec.fired.clear();
  s.schedule_at(20, 1, 10);
  EventHandle victim = s.schedule_cancellable_at(20, 2, 11);
  bool cancelled_victim = false;
  this->rec.hook = [&](EventKind kind, std::uint32_t) {
    if (kind == 1) cancelled_victim = s.cancel(victim);
  };
  this->run_all();
  EXPECT_TRUE(cancelled_victim);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{10}));
}

TYPED_TEST(SchedulerTest, EventsExecutedDoesNotCountCancelledEvents) {
  auto& s = this->sched;
  std::vector<EventHandle> handles;
  for (std::uint32_t i = 0; i < 100; ++i) handles.push_back(s.schedule_cancellable_at(i, 0, i));
  for (std::uint32_t i = 0; i < 100; i += 2) ASSERT_TRUE(s.cancel(handles[i]));
  // Cancelled records stay in the set until they surface (lazy deletion).
  EXPECT_EQ(s.pending(), 100u);
  this->run_all();
  EXPECT_EQ(s.events_executed(), 50u);
  EXPECT_EQ(this->rec.fired.size(), 50u);
  EXPECT_TRUE(s.empty());
}

TYPED_TEST(SchedulerTest, PeakPendingIsTheLargestSetSize) {
  auto& s = this->sched;
  for (std::uint32_t i = 0; i < 10; ++i) s.schedule_at(100 + i, 0, i);
  s.run_until(105, this->rec);
  EXPECT_EQ(s.pending(), 5u);
  for (std::uint32_t i = 0; i < 3; ++i) s.schedule_at(200, 0, i);
  EXPECT_EQ(s.pending(), 8u);
  EXPECT_EQ(s.peak_pending(), 10u);
  for (std::uint32_t i = 0; i < 7; ++i) s.schedule_at(300, 0, i);
  EXPECT_EQ(s.peak_pending(), 15u);
  this->run_all();
  EXPECT_EQ(s.peak_pending(), 15u);
}

// The horizon rule: time < T runs, time == T stays pending, now() == T after;
// consecutive windows neither run an event twice nor skip one.
TYPED_TEST(SchedulerTest, RunUntilRunsStrictlyBeforeTheHorizon) {
  auto& s = this->sched;
  s.schedule_at(9, 0, 9);
  s.schedule_at(10, 0, 10, Priority::release);
  s.schedule_at(10, 0, 11);
  s.schedule_at(11, 0, 12);
  EXPECT_EQ(s.run_until(10, this->rec), RunStatus::done);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{9}));
  EXPECT_EQ(s.now(), 10);
  EXPECT_EQ(s.pending(), 3u);
  EXPECT_EQ(s.next_time(), 10);
  // Something scheduled at the horizon itself is legal and joins the order.
  s.schedule_at(10, 0, 13, Priority::release);
  EXPECT_EQ(s.run_until(11, this->rec), RunStatus::done);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{9, 10, 13, 11}));
  EXPECT_EQ(s.now(), 11);
  EXPECT_EQ(s.run_until(12, this->rec), RunStatus::done);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{9, 10, 13, 11, 12}));
  EXPECT_EQ(s.now(), 12);
}

TYPED_TEST(SchedulerTest, RunUntilMovesTheClockEvenWithNothingToRun) {
  auto& s = this->sched;
  EXPECT_EQ(s.run_until(1000, this->rec), RunStatus::done);
  EXPECT_EQ(s.now(), 1000);
  // An earlier horizon never moves the clock back.
  EXPECT_EQ(s.run_until(500, this->rec), RunStatus::done);
  EXPECT_EQ(s.now(), 1000);
}

TYPED_TEST(SchedulerTest, RunUntilDropsCancelledEventsBeforeTheHorizon) {
  auto& s = this->sched;
  EventHandle h = s.schedule_cancellable_at(5, 0, 1);
  s.schedule_at(15, 0, 2);
  ASSERT_TRUE(s.cancel(h));
  s.run_until(10, this->rec);
  EXPECT_TRUE(this->rec.fired.empty());
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_EQ(s.now(), 10);
}

TYPED_TEST(SchedulerTest, RunWhileStopsWhenThePredicateFails) {
  auto& s = this->sched;
  for (std::uint32_t i = 1; i <= 10; ++i) s.schedule_at(10 * i, 0, i);
  EXPECT_EQ(s.run_while(this->rec, [&] { return this->rec.fired.size() < 4; }), RunStatus::done);
  EXPECT_EQ(this->rec.fired.size(), 4u);
  EXPECT_EQ(s.now(), 40);  // the clock stays at the last event run
  EXPECT_EQ(s.pending(), 6u);
  // Runs out of events with the predicate still true.
  EXPECT_EQ(s.run_while(this->rec, [] { return true; }), RunStatus::done);
  EXPECT_EQ(this->rec.fired.size(), 10u);
  EXPECT_EQ(s.now(), 100);
  EXPECT_TRUE(s.empty());
}

TYPED_TEST(SchedulerTest, MaxEventsStopsWithEventLimit) {
  auto& s = this->sched;
  s.set_limits(RunLimits{5, 1000});
  EXPECT_EQ(s.limits().max_events, 5u);
  for (std::uint32_t i = 0; i < 10; ++i) s.schedule_at(i, 0, i);
  EXPECT_EQ(s.run_until(never, this->rec), RunStatus::event_limit);
  EXPECT_EQ(s.events_executed(), 5u);
  EXPECT_EQ(this->rec.fired.size(), 5u);
  EXPECT_EQ(s.now(), 4);  // a limit stops the run before the clock reaches the horizon
  EXPECT_EQ(s.pending(), 5u);
  // Still at the limit: nothing more runs.
  EXPECT_EQ(s.run_while(this->rec, [] { return true; }), RunStatus::event_limit);
  EXPECT_EQ(s.events_executed(), 5u);
}

TYPED_TEST(SchedulerTest, MaxPendingStopsWithPendingLimit) {
  auto& s = this->sched;
  s.set_limits(RunLimits{1000, 3});
  for (std::uint32_t i = 0; i < 3; ++i) s.schedule_at(i, 0, i);
  // At the limit is allowed.
  EXPECT_EQ(s.run_until(1, this->rec), RunStatus::done);
  EXPECT_EQ(this->rec.fired.size(), 1u);
  // A handler that keeps adding two events per event grows the set past it.
  this->rec.hook = [&s](EventKind, std::uint32_t) {
    s.schedule_after(1, 0, 0);
    s.schedule_after(1, 0, 0);
  };
  EXPECT_EQ(s.run_until(never, this->rec), RunStatus::pending_limit);
  EXPECT_GT(s.pending(), 3u);
  EXPECT_LE(s.pending(), 4u);
}

// A stop flag set mid-run (as a signal handler sets it) stops the run within
// stop_check_interval events, leaving the next event pending; cleared, the run
// continues. The handler keeps one event pending at all times, so only the flag ends it.
TYPED_TEST(SchedulerTest, StopFlagSetByAHandlerInterruptsWithinTheInterval) {
  auto& s = this->sched;
  std::atomic<int> stop{0};
  s.set_stop_flag(&stop);
  constexpr std::uint64_t set_at = 3 * stop_check_interval + 123;
  std::uint64_t handled = 0;
  this->rec.hook = [&](EventKind, std::uint32_t) {
    if (++handled == set_at) stop.store(15);
    s.schedule_after(1, 0, 0);
  };
  s.schedule_at(0, 0, 0);
  EXPECT_EQ(s.run_until(never, this->rec), RunStatus::interrupted);
  EXPECT_GE(s.events_executed(), set_at);
  EXPECT_LE(s.events_executed(), set_at + stop_check_interval);
  EXPECT_EQ(s.events_executed() % stop_check_interval, 0u) << "stops at a check point";
  EXPECT_EQ(s.now(), static_cast<Tick>(s.events_executed() - 1)) << "at the last event run";
  EXPECT_EQ(s.pending(), 1u) << "the next event stays pending";
  // Still set: nothing runs. Cleared: the run goes on from where it stopped.
  const std::uint64_t stopped_at = s.events_executed();
  EXPECT_EQ(s.run_while(this->rec, [] { return true; }), RunStatus::interrupted);
  EXPECT_EQ(s.events_executed(), stopped_at);
  stop.store(0);
  const Tick until = s.now() + 11;  // the pending event is at now() + 1
  EXPECT_EQ(s.run_until(until, this->rec), RunStatus::done);
  EXPECT_EQ(s.events_executed(), stopped_at + 10);
  // Set before a run: nothing runs at all. Without a flag, nothing is looked at.
  stop.store(2);
  EXPECT_EQ(s.run_until(until + 10, this->rec), RunStatus::interrupted);
  EXPECT_EQ(s.events_executed(), stopped_at + 10);
  s.set_stop_flag(nullptr);
  EXPECT_EQ(s.run_until(until + 10, this->rec), RunStatus::done);
  EXPECT_EQ(s.events_executed(), stopped_at + 20);
}

// The event limit is exact whatever its relation to the stop-check interval.
TYPED_TEST(SchedulerTest, MaxEventsIsExactPastTheStopCheckInterval) {
  auto& s = this->sched;
  std::atomic<int> stop{0};
  s.set_stop_flag(&stop);
  s.set_limits(RunLimits{2 * stop_check_interval + 7, 1000});
  this->rec.hook = [&s](EventKind, std::uint32_t) { s.schedule_after(1, 0, 0); };
  s.schedule_at(0, 0, 0);
  EXPECT_EQ(s.run_until(never, this->rec), RunStatus::event_limit);
  EXPECT_EQ(s.events_executed(), 2 * stop_check_interval + 7);
}

TYPED_TEST(SchedulerTest, SchedulingInThePastThrows) {
  auto& s = this->sched;
  s.run_until(100, this->rec);
  EXPECT_THROW(s.schedule_at(99, 0, 0), std::logic_error);
  EXPECT_THROW(s.schedule_after(-1, 0, 0), std::logic_error);
  EXPECT_THROW(s.schedule_cancellable_at(0, 0, 0), std::logic_error);
  EXPECT_THROW(s.schedule_cancellable_after(-5, 0, 0), std::logic_error);
  EXPECT_TRUE(s.empty()) << "a refused event must not be left in the set";
  EXPECT_NO_THROW(s.schedule_at(100, 0, 0));  // now is not the past
  EXPECT_NO_THROW(s.schedule_after(0, 0, 1));
  this->run_all();
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{0, 1}));
}

TYPED_TEST(SchedulerTest, SchedulingInThePastFromAHandlerThrowsThroughTheRun) {
  auto& s = this->sched;
  s.schedule_at(50, 0, 0);
  this->rec.hook = [&s](EventKind, std::uint32_t) { s.schedule_at(49, 0, 1); };
  try {
    this->run_all();
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    // The message names both times so that the model bug can be found.
    EXPECT_NE(std::string(e.what()).find("t=49"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("now=50"), std::string::npos) << e.what();
  }
}

TYPED_TEST(SchedulerTest, ScheduleAfterSaturatesAtNever) {
  auto& s = this->sched;
  s.run_until(1000, this->rec);
  s.schedule_after(never, 0, 1);  // would overflow: saturates instead
  EXPECT_EQ(s.next_time(), never);
  EXPECT_EQ(s.run_until(never, this->rec), RunStatus::done);
  EXPECT_TRUE(this->rec.fired.empty()) << "an event at `never` is beyond every horizon";
}

// A 10^9-second run still resolves one microsecond at its end.
TYPED_TEST(SchedulerTest, BillionSecondHorizonKeepsMicrosecondResolution) {
  auto& s = this->sched;
  const Tick horizon = to_ticks(1e9);
  ASSERT_EQ(horizon, 1'000'000'000'000'000);
  s.schedule_at(to_ticks(1e9 - 1e-6), 0, 1);
  s.schedule_at(to_ticks(1e9), 0, 2);
  s.schedule_at(to_ticks(1e9 + 1e-6), 0, 3);
  EXPECT_EQ(s.run_until(horizon, this->rec), RunStatus::done);
  EXPECT_EQ(this->rec.fired, (std::vector<Fired>{{horizon - 1, 0, 1}}));
  EXPECT_EQ(s.now(), horizon);
  s.run_until(horizon + 1, this->rec);
  EXPECT_EQ(this->rec.args(), (std::vector<std::uint32_t>{1, 2}));
  s.run_until(never, this->rec);
  EXPECT_EQ(this->rec.fired.back(), (Fired{horizon + 1, 0, 3}));
}

TEST(SchedulerDefault, IsTheAdaptiveSet) {
  EXPECT_TRUE((std::is_same_v<Scheduler, BasicScheduler<AdaptiveEventSet>>));
}

/// A model whose events schedule random successors (some at the same tick,
/// some cancellable timers that are cancelled), logging what fired.
struct BranchingModel {
  Scheduler& sched;
  RandomStream rng;
  std::vector<std::pair<Tick, std::uint32_t>> log;
  std::vector<EventHandle> timers;
  std::uint32_t next_arg = 0;

  BranchingModel(Scheduler& s, std::size_t n) : sched(s), rng(RandomStream::derive(4, 0, "m")) {
    timers.resize(64);
    for (std::size_t i = 0; i < n; ++i) schedule();
  }
  void schedule() {
    const Tick delay = rng.bernoulli(0.05) ? 0 : to_ticks(-5.0 * std::log(rng.uniform_open0()));
    const auto p = rng.bernoulli(0.3) ? Priority::release : Priority::normal;
    sched.schedule_after(delay, 0, next_arg++, p);
  }
  void on_event(EventKind kind, std::uint32_t arg) {
    log.emplace_back(sched.now(), arg);
    if (kind != 0) return;
    schedule();
    if (rng.bernoulli(0.2)) schedule();  // the set grows...
    if (rng.bernoulli(0.1)) {
      EventHandle& h = timers[rng.uniform_index(timers.size())];
      sched.cancel(h);
      h = sched.schedule_cancellable_after(to_ticks(rng.uniform01() * 3.0), 1, arg);
    }
  }
};

// The same model under the heap, the ladder and the automatic choice (which
// migrates as the set grows past its threshold) runs the same events in the
// same order: the choice of set never shows in the results.
TEST(SchedulerDefault, EverySetModeRunsTheSameEvents) {
  std::vector<std::vector<std::pair<Tick, std::uint32_t>>> logs;
  for (const EventSetMode mode :
       {EventSetMode::heap, EventSetMode::ladder, EventSetMode::automatic}) {
    Scheduler s;
    RunLimits limits;
    limits.event_set = mode;
    s.set_limits(limits);
    // From 500 pending records (the heap, in automatic mode) until the set
    // has grown well past the threshold and the automatic choice moved on.
    BranchingModel m(s, 500);
    EXPECT_EQ(s.main_set().on_ladder(), mode == EventSetMode::ladder);
    const RunStatus status = s.run_until(to_ticks(120.0), m);
    ASSERT_EQ(status, RunStatus::done);
    EXPECT_EQ(s.main_set().on_ladder(), mode != EventSetMode::heap);
    EXPECT_GT(s.pending(), AdaptiveEventSet::default_ladder_above);
    logs.push_back(std::move(m.log));
  }
  ASSERT_GT(logs[0].size(), 100'000u);
  EXPECT_TRUE(logs[0] == logs[1]);
  EXPECT_TRUE(logs[0] == logs[2]);
}

// ---- time conversions -------------------------------------------------------

TEST(ToTicks, RoundsToTheNearestMicrosecond) {
  EXPECT_EQ(to_ticks(1.0), 1'000'000);
  EXPECT_EQ(to_ticks(0.0), 0);
  EXPECT_EQ(to_ticks(1e-6), 1);
  EXPECT_EQ(to_ticks(0.4e-6), 0);
  EXPECT_EQ(to_ticks(0.6e-6), 1);
  EXPECT_EQ(to_ticks(1.4e-6), 1);
  EXPECT_EQ(to_ticks(1.6e-6), 2);
  EXPECT_EQ(to_ticks(2.5e-6), 3);     // halves round away from zero
  EXPECT_EQ(to_ticks(0.1), 100'000);  // 0.1 is not exact in binary, the tick is
  EXPECT_EQ(to_ticks(180.000001), 180'000'001);
  EXPECT_EQ(to_ticks(3600.0), 3'600'000'000);
}

TEST(ToTicks, NegativeAndNaNGiveZero) {
  EXPECT_EQ(to_ticks(-1.0), 0);
  EXPECT_EQ(to_ticks(-1e-9), 0);
  EXPECT_EQ(to_ticks(-0.0), 0);
  EXPECT_EQ(to_ticks(-std::numeric_limits<double>::infinity()), 0);
  EXPECT_EQ(to_ticks(std::numeric_limits<double>::quiet_NaN()), 0);
}

TEST(ToTicks, SaturatesAtNever) {
  EXPECT_EQ(to_ticks(std::numeric_limits<double>::infinity()), never);
  EXPECT_EQ(to_ticks(1e300), never);
  EXPECT_EQ(to_ticks(9.3e12), never);  // 9.3e18 us is beyond int64
  EXPECT_EQ(to_ticks(std::numeric_limits<double>::max()), never);
  // Just below the cut: still finite and ordered.
  EXPECT_LT(to_ticks(9.1e12), never);
  EXPECT_EQ(to_ticks(9.1e12), 9'100'000'000'000'000'000);
}

TEST(ToTicks, RoundTripsThroughSeconds) {
  for (const Tick t : {Tick{0}, Tick{1}, Tick{999'999}, Tick{1'000'000'000'000'000},
                       Tick{1'000'000'000'000'001}}) {
    EXPECT_EQ(to_ticks(to_seconds(t)), t) << t;
  }
  EXPECT_DOUBLE_EQ(to_seconds(1'500'000), 1.5);
  EXPECT_EQ(to_ticks(1e9 + 1e-6) - to_ticks(1e9), 1);
}

}  // namespace
}  // namespace telsim::sim

namespace {

struct Thrower {
  int calls = 0;
  void on_event(telsim::sim::EventKind, std::uint32_t) {
    ++calls;
    throw std::runtime_error("model failed");
  }
};

TEST(SchedulerFaults, AHandlerThatThrowsLeavesNoEventToRunTwice) {
  telsim::sim::Scheduler s;
  Thrower h;
  s.schedule_at(5, 1, 0);
  s.schedule_at(7, 1, 0);
  EXPECT_THROW(s.run_until(100, h), std::runtime_error);
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_THROW(s.run_until(100, h), std::runtime_error);
  EXPECT_EQ(h.calls, 2);
  EXPECT_EQ(s.pending(), 0u);
}

TEST(SchedulerFaults, KindsAboveTheLargestAreRejected) {
  telsim::sim::Scheduler s;
  EXPECT_THROW(s.schedule_at(1, 0x8000, 0), std::logic_error);
  EXPECT_THROW(s.schedule_cancellable_at(1, 0xffff, 0), std::logic_error);
  EXPECT_NO_THROW(s.schedule_at(1, telsim::sim::max_event_kind, 0));
}

}  // namespace

namespace {

// Events recorded in the order they run.
struct Recorder2 {
  std::vector<std::uint32_t> order;
  void on_event(telsim::sim::EventKind, std::uint32_t arg) { order.push_back(arg); }
};

TEST(SchedulerSources, TwoSetsRunInTheOneTotalOrder) {
  // The same history scheduled with every event in the main set must run
  // in exactly the same order as with source events in their own set.
  auto history = [](bool use_sources) {
    telsim::sim::Scheduler s;
    std::mt19937_64 rng(7);
    struct Handler {
      telsim::sim::Scheduler* s;
      std::mt19937_64* rng;
      bool use_sources;
      std::uint32_t next_id = 100;
      std::vector<std::uint32_t> order;
      void on_event(telsim::sim::EventKind kind, std::uint32_t arg) {
        order.push_back(arg);
        if (kind != 1 || next_id >= 5000) return;
        const auto dt = static_cast<telsim::sim::Tick>((*rng)() % 3);
        if (use_sources) {
          s->schedule_source_at(s->now() + dt, 1, next_id++);
        } else {
          s->schedule_at(s->now() + dt, 1, next_id++);
        }
        const auto p =
            (*rng)() % 2 == 0 ? telsim::sim::Priority::release : telsim::sim::Priority::normal;
        s->schedule_at(s->now() + static_cast<telsim::sim::Tick>((*rng)() % 4), 2, next_id++, p);
      }
    } h{&s, &rng, use_sources, 100, {}};
    for (std::uint32_t i = 0; i < 5; ++i) {
      if (use_sources) {
        s.schedule_source_at(i % 2, 1, i);
      } else {
        s.schedule_at(i % 2, 1, i);
      }
    }
    s.run_until(telsim::sim::never - 1, h);
    return h.order;
  };
  const auto with_sources = history(true);
  EXPECT_GT(with_sources.size(), 4000u);
  EXPECT_EQ(with_sources, history(false));
}

TEST(SchedulerSources, PendingAndHorizonCountBothSets) {
  telsim::sim::Scheduler s;
  Recorder2 h;
  s.schedule_source_at(10, 3, 1);
  s.schedule_at(5, 3, 2);
  EXPECT_EQ(s.pending(), 2u);
  EXPECT_EQ(s.next_time(), 5);
  s.run_until(10, h);  // the source event at 10 stays pending
  EXPECT_EQ(h.order, std::vector<std::uint32_t>{2});
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_EQ(s.next_time(), 10);
  s.run_until(11, h);
  EXPECT_EQ(h.order, (std::vector<std::uint32_t>{2, 1}));
}

// The key keeps 44 bits for the sequence: a number past them would carry into
// the priority bits and silently reorder events. The sequence starts near its
// end here, so that no test schedules 2^44 events.
TEST(SchedulerFaults, SchedulingPastTheLastSequenceNumberThrows) {
  telsim::sim::Scheduler s;
  Recorder2 h;
  s.set_next_sequence_for_testing(telsim::sim::max_event_sequence);
  s.schedule_at(5, 1, 1);  // takes the last number
  try {
    s.schedule_at(5, 1, 2);
    FAIL() << "scheduled past the last sequence number";
  } catch (const std::length_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("scheduled more than 2^44 (17592186044416) events"), std::string::npos)
        << what;
    EXPECT_NE(what.find("limits.max_events (at most 2^44 - 1)"), std::string::npos) << what;
  }
  // Every way of scheduling is guarded, and a refused schedule changes nothing.
  EXPECT_THROW(s.schedule_source_at(5, 1, 3), std::length_error);
  EXPECT_THROW(s.schedule_cancellable_at(5, 1, 4), std::length_error);
  EXPECT_THROW(s.schedule_after(1, 1, 5, telsim::sim::Priority::release), std::length_error);
  EXPECT_EQ(s.pending(), 1u);
  EXPECT_EQ(s.run_until(10, h), telsim::sim::RunStatus::done);
  EXPECT_EQ(h.order, std::vector<std::uint32_t>{1});
}

}  // namespace
