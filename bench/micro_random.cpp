// The cost of random numbers: the raw generator, bounded integers, and one
// sample of every distribution kind with parameters typical of a scenario
// (holding times around 180 s).
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "telsim/sim/distribution.hpp"
#include "telsim/sim/random.hpp"

namespace {

using telsim::sim::Distribution;
using telsim::sim::RandomStream;

void BM_next_u64(benchmark::State& state) {
  auto rng = RandomStream::derive(1, 0, "bench/next_u64");
  for (auto _ : state) benchmark::DoNotOptimize(rng.next_u64());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_next_u64);

void BM_uniform01(benchmark::State& state) {
  auto rng = RandomStream::derive(1, 0, "bench/uniform01");
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform01());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_uniform01);

/// Callee choice in a population of n addresses. The last n is about 2/3 of
/// 2^64, the worst case for rejection (a third of the draws are redone).
void BM_uniform_index(benchmark::State& state) {
  auto rng = RandomStream::derive(1, 0, "bench/uniform_index");
  const auto n = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform_index(n));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_uniform_index)->Arg(1'000)->Arg(2'000'000)->Arg(0x2aaaaaaaaaaaaaab);

void BM_uniform_index_huge(benchmark::State& state) {
  auto rng = RandomStream::derive(1, 0, "bench/uniform_index");
  const std::uint64_t n = 0xaaaaaaaaaaaaaaabull;  // ~2/3 of 2^64: ~1/3 of draws rejected
  for (auto _ : state) benchmark::DoNotOptimize(rng.uniform_index(n));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_uniform_index_huge);

/// One distribution per kind, in Distribution::Kind order.
Distribution make(Distribution::Kind kind) {
  switch (kind) {
    case Distribution::Kind::deterministic:
      return Distribution::deterministic(180.0);
    case Distribution::Kind::exponential:
      return Distribution::exponential(180.0);
    case Distribution::Kind::uniform:
      return Distribution::uniform(0.0, 360.0);
    case Distribution::Kind::erlang:
      return Distribution::erlang(3, 180.0);
    case Distribution::Kind::lognormal:
      return Distribution::lognormal(180.0, 90.0);
    case Distribution::Kind::hyperexponential:
      return Distribution::hyperexponential({60.0, 600.0}, {0.8, 0.2});
    case Distribution::Kind::empirical:
      return Distribution::empirical({30.0, 60.0, 120.0, 300.0, 900.0}, {0.1, 0.3, 0.3, 0.2, 0.1});
  }
  return Distribution{};
}

void BM_sample(benchmark::State& state) {
  const auto kind = static_cast<Distribution::Kind>(state.range(0));
  const Distribution d = make(kind);
  auto rng = RandomStream::derive(1, 0, "bench/sample");
  for (auto _ : state) benchmark::DoNotOptimize(d.sample(rng));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(Distribution::kind_name(kind));
}
BENCHMARK(BM_sample)->DenseRange(0, static_cast<int>(Distribution::Kind::empirical));

}  // namespace
