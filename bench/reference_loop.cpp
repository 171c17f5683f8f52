// telsim-reference-loop: the Erlang loss system written with no framework.
//
// This is the yardstick for `telsim run` on scenarios/library/bench-erlang-loss.yaml
// (bench/run_bench.sh prints telsim's throughput as a ratio of this one's):
// what a competent engineer would hand-write for this one model, with nothing
// telsim has to pay for (no model dispatch, no handles, no statistics beyond
// two counters, no configuration). Built -O3 -march=native on purpose: the
// ratio is against the best this machine can do, not against a twin build.
//
// Model: Poisson arrivals at 90/s, exponential holding with mean 1 s,
// 100 circuits, lost calls cleared. Blocking must come out near
// Erlang B(100, 90) = 0.0269, which the program prints beside it.
//
// Usage: telsim-reference-loop [ARRIVALS [SEED]]   (defaults 20000000 and 1)
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr double arrival_rate = 90.0;  // per second
constexpr double mean_holding = 1.0;   // seconds
constexpr int circuits = 100;
constexpr double ticks_per_second = 1e6;  // microsecond ticks, as telsim

// ---- random numbers: xoshiro256** seeded by SplitMix64 ----------------------

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Xoshiro256StarStar {
 public:
  explicit Xoshiro256StarStar(std::uint64_t seed) {
    for (auto& w : s_) w = splitmix64(seed);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_open0() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// Exponential by inverse transform, in whole microsecond ticks.
std::int64_t exponential_ticks(Xoshiro256StarStar& rng, double mean_seconds) {
  return std::llround(-mean_seconds * ticks_per_second * std::log(rng.uniform_open0()));
}

// ---- the pending-event set: a plain implicit 4-ary min-heap -------------------

/// Departures sort before arrivals at equal times, the rule telsim also
/// follows (a circuit freed at t is available to an arrival at t).
enum Kind : std::uint32_t { departure = 0, arrival = 1 };

struct Event {
  std::int64_t time;
  std::uint32_t kind;
};

bool earlier(const Event& a, const Event& b) {
  return a.time < b.time || (a.time == b.time && a.kind < b.kind);
}

class Heap4 {
 public:
  explicit Heap4(std::size_t capacity) { v_.reserve(capacity); }

  const Event& top() const { return v_.front(); }
  bool empty() const { return v_.empty(); }

  void push(const Event& e) {
    std::size_t i = v_.size();
    v_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!earlier(e, v_[parent])) break;
      v_[i] = v_[parent];
      i = parent;
    }
    v_[i] = e;
  }

  void pop() {
    const Event last = v_.back();
    v_.pop_back();
    if (!v_.empty()) sift_down(last);
  }

  /// Pop and push in one traversal: an arrival schedules its successor.
  void replace_top(const Event& e) { sift_down(e); }

 private:
  void sift_down(const Event& e) {
    const std::size_t n = v_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (earlier(v_[c], v_[best])) best = c;
      }
      if (!earlier(v_[best], e)) break;
      v_[i] = v_[best];
      i = best;
    }
    v_[i] = e;
  }

  std::vector<Event> v_;
};

/// Erlang B by the stable recursion B(c) = A B(c-1) / (c + A B(c-1)).
double erlang_b(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b;
}

bool parse_count(const char* text, std::uint64_t& out) {
  if (text[0] == '\0' || text[0] == '-') return false;
  char* end = nullptr;
  // strtod, so that "2e7" works as in scenario files; then it must be whole.
  const double value = std::strtod(text, &end);
  if (*end != '\0' || !(value >= 0.0) || value > 1e18 || value != std::floor(value)) return false;
  out = static_cast<std::uint64_t>(value);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t target_arrivals = 20'000'000;
  std::uint64_t seed = 1;
  if (argc > 3 ||
      (argc > 1 && (std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "--help") == 0))) {
    std::fprintf(stderr, "usage: %s [ARRIVALS [SEED]]  (defaults 20000000 and 1)\n", argv[0]);
    return 2;
  }
  if (argc > 1 && (!parse_count(argv[1], target_arrivals) || target_arrivals == 0)) {
    std::fprintf(stderr, "telsim-reference-loop: ARRIVALS must be a whole number > 0, got '%s'\n",
                 argv[1]);
    return 2;
  }
  if (argc > 2 && !parse_count(argv[2], seed)) {
    std::fprintf(stderr, "telsim-reference-loop: SEED must be a whole number >= 0, got '%s'\n",
                 argv[2]);
    return 2;
  }

  Xoshiro256StarStar rng(seed);
  Heap4 heap(circuits + 1);
  const double mean_interarrival = 1.0 / arrival_rate;

  const auto start = std::chrono::steady_clock::now();
  std::uint64_t arrivals = 0;
  std::uint64_t blocked = 0;
  std::uint64_t events = 0;
  int busy = 0;
  heap.push(Event{exponential_ticks(rng, mean_interarrival), arrival});
  while (arrivals < target_arrivals) {
    const Event e = heap.top();
    ++events;
    if (e.kind == arrival) {
      ++arrivals;
      heap.replace_top(Event{e.time + exponential_ticks(rng, mean_interarrival), arrival});
      if (busy < circuits) {
        ++busy;
        heap.push(Event{e.time + exponential_ticks(rng, mean_holding), departure});
      } else {
        ++blocked;
      }
    } else {
      --busy;
      heap.pop();
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // "key: value" lines, read by bench/run_bench.sh.
  std::printf("arrivals: %llu\n", static_cast<unsigned long long>(arrivals));
  std::printf("blocked_fraction: %.6f\n",
              static_cast<double>(blocked) / static_cast<double>(arrivals));
  std::printf("erlang_b: %.6f\n", erlang_b(circuits, arrival_rate * mean_holding));
  std::printf("events: %llu\n", static_cast<unsigned long long>(events));
  std::printf("wall_seconds: %.3f\n", wall);
  std::printf("arrivals_per_second: %.0f\n", static_cast<double>(arrivals) / wall);
  std::printf("events_per_second: %.0f\n", static_cast<double>(events) / wall);
  return 0;
}
