// The "hold" model on the pending-event sets and on the full scheduler.
//
// Hold: pop the earliest event, push one at its time + Exp(1 s), with n
// events pending throughout (n = 10^3, 10^5, 10^6). It is the classic
// event-set benchmark because the set's size stays fixed while its contents
// keep moving.
//
// The increments come from a table drawn once, so that the figures are the
// set's own cost and not the sampler's (see micro_random.cpp for that). The
// timed loop starts after 2n warm-up operations, when the time stamps have
// reached the hold model's steady-state spread.
//
// Counter `time_per_hold` is the cost of one hold operation ("51.2n" = 51.2 ns).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "telsim/sim/event.hpp"
#include "telsim/sim/pending_event_set.hpp"
#include "telsim/sim/random.hpp"
#include "telsim/sim/scheduler.hpp"
#include "telsim/sim/time.hpp"

namespace {

using telsim::sim::EventHandle;
using telsim::sim::EventKind;
using telsim::sim::EventRecord;
using telsim::sim::make_event_key;
using telsim::sim::Priority;
using telsim::sim::RandomStream;
using telsim::sim::Tick;

constexpr std::size_t batch = 1024;  // hold operations per benchmark iteration

/// Exp(1 s) increments in ticks, cycled through by index & mask.
class Increments {
 public:
  static constexpr std::size_t size = std::size_t{1} << 16;
  static constexpr std::size_t mask = size - 1;

  Increments() : ticks_(size) {
    auto rng = RandomStream::derive(1, 0, "bench/hold/increments");
    for (auto& t : ticks_) t = telsim::sim::to_ticks(-std::log(rng.uniform_open0()));
  }
  Tick next() { return ticks_[i_++ & mask]; }

 private:
  std::vector<Tick> ticks_;
  std::size_t i_ = 0;
};

void report(benchmark::State& state) {
  const auto ops = static_cast<double>(batch);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(batch));
  // Seconds per hold operation, printed with an SI prefix ("51.2n" is 51.2 ns).
  state.counters["time_per_hold"] = benchmark::Counter(
      ops, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// ---- the sets alone -------------------------------------------------------------

template <class Set>
struct SetHold {
  Set set;
  Increments inc;
  std::uint64_t sequence = 0;

  explicit SetHold(std::size_t n) {
    set.reserve(n);
    for (std::size_t i = 0; i < n; ++i) set.push(make(inc.next()));
  }
  EventRecord make(Tick t) {
    return EventRecord{t, make_event_key(Priority::normal, sequence++, 0, false), 0, 0};
  }
  void pop_push() {
    const Tick t = set.top().time;
    set.pop();
    set.push(make(t + inc.next()));
  }
  void replace() {
    const Tick t = set.top().time;
    set.replace_top(make(t + inc.next()));
  }
};

template <class Set>
void BM_hold_pop_push(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SetHold<Set> h(n);
  for (std::size_t i = 0; i < 2 * n; ++i) h.pop_push();
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) h.pop_push();
    benchmark::ClobberMemory();
  }
  report(state);
}

/// The same with replace_top: what the scheduler does when an event
/// schedules its successor.
template <class Set>
void BM_hold_replace_top(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  SetHold<Set> h(n);
  for (std::size_t i = 0; i < 2 * n; ++i) h.replace();
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) h.replace();
    benchmark::ClobberMemory();
  }
  report(state);
}

BENCHMARK(BM_hold_pop_push<telsim::sim::QuaternaryHeap>)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_hold_pop_push<telsim::sim::BinaryHeap>)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_hold_replace_top<telsim::sim::QuaternaryHeap>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_hold_replace_top<telsim::sim::BinaryHeap>)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK(BM_hold_pop_push<telsim::sim::LadderQueue>)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_hold_replace_top<telsim::sim::LadderQueue>)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
// Where the ladder overtakes the heap (AdaptiveEventSet's thresholds).
BENCHMARK(BM_hold_replace_top<telsim::sim::QuaternaryHeap>)->Arg(64)->Arg(256)->Arg(10'000);
BENCHMARK(BM_hold_replace_top<telsim::sim::LadderQueue>)->Arg(64)->Arg(256);
BENCHMARK(BM_hold_replace_top<telsim::sim::AdaptiveEventSet>)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000);

// ---- the full scheduler ---------------------------------------------------------------

enum : EventKind { hold_event = 0, timer_event = 1 };

/// Each event schedules its successor (plain or cancellable). In `timers`
/// mode it also re-arms a cancellable timer of its own, cancelling the
/// previous one, like a ring timeout cancelled by the answer: cancelled
/// records then sit in the set until they surface and are dropped.
template <class Set>
struct SchedulerHold {
  enum class Mode { plain, cancellable, timers };

  telsim::sim::BasicScheduler<Set> sched;
  Increments inc;
  Mode mode;
  std::vector<EventHandle> timers;

  SchedulerHold(std::size_t n, Mode m) : mode(m) {
    if (mode == Mode::timers) timers.resize(n);
    for (std::size_t i = 0; i < n; ++i) schedule(static_cast<std::uint32_t>(i));
  }

  void schedule(std::uint32_t arg) {
    const Tick delay = inc.next();
    if (mode == Mode::plain) {
      sched.schedule_after(delay, hold_event, arg);
      return;
    }
    sched.schedule_cancellable_after(delay, hold_event, arg);
    if (mode == Mode::timers) {
      sched.cancel(timers[arg]);
      timers[arg] = sched.schedule_cancellable_after(2 * delay, timer_event, arg);
    }
  }

  void on_event(EventKind kind, std::uint32_t arg) {
    if (kind != hold_event) return;  // a timer that fired before its cancellation
    ++holds_;
    schedule(arg);
  }

  /// Runs `holds` hold events; dropped cancelled records and fired timers
  /// are part of their cost, not counted as operations.
  void run(std::size_t holds) {
    const std::uint64_t target = holds_ + holds;
    sched.run_while(*this, [this, target] { return holds_ < target; });
  }

  std::uint64_t holds_ = 0;
};

template <class Set, int mode>
void BM_scheduler_hold(benchmark::State& state) {
  using Hold = SchedulerHold<Set>;
  const auto n = static_cast<std::size_t>(state.range(0));
  Hold h(n, static_cast<typename Hold::Mode>(mode));
  h.run(2 * n);
  for (auto _ : state) {
    h.run(batch);
    benchmark::ClobberMemory();
  }
  report(state);
  state.counters["peak_pending"] = static_cast<double>(h.sched.peak_pending());
}

constexpr int plain = 0;
constexpr int cancellable = 1;
constexpr int timers = 2;

BENCHMARK(BM_scheduler_hold<telsim::sim::QuaternaryHeap, plain>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_scheduler_hold<telsim::sim::BinaryHeap, plain>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_scheduler_hold<telsim::sim::AdaptiveEventSet, plain>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_scheduler_hold<telsim::sim::AdaptiveEventSet, timers>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_scheduler_hold<telsim::sim::QuaternaryHeap, cancellable>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);
BENCHMARK(BM_scheduler_hold<telsim::sim::QuaternaryHeap, timers>)
    ->Arg(1'000)
    ->Arg(100'000)
    ->Arg(1'000'000);

}  // namespace
