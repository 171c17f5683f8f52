// Completion latencies in a fixed-size structure (issue 6 item 5): exact up
// to LatencyRecord::exact_capacity values, then log buckets whose percentiles
// stay within 1/256 of the exact ones, in bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "../../scenarios/src/recorder.hpp"
#include "telsim/analysis/histogram.hpp"
#include "telsim/analysis/percentile.hpp"
#include "telsim/sim/random.hpp"

namespace telsim::scenarios::detail {
namespace {

std::vector<sim::Tick> lognormal_ticks(std::size_t n, std::uint64_t seed) {
  sim::RandomStream rng(seed);
  std::vector<sim::Tick> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u1 = rng.uniform_open0(), u2 = rng.uniform01();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    out.push_back(sim::to_ticks(std::exp(3.0 + 1.5 * z)));  // seconds: median 20, long tail
  }
  return out;
}

std::vector<double> seconds_of(const std::vector<sim::Tick>& ticks) {
  std::vector<double> s;
  for (const sim::Tick t : ticks) s.push_back(sim::to_seconds(t));
  return s;
}

TEST(LatencyRecord, UpToItsCapacityItIsExactlyTheOrderStatistics) {
  const auto ticks = lognormal_ticks(LatencyRecord::exact_capacity, 3);
  LatencyRecord r;
  for (const sim::Tick t : ticks) r.add(t);
  ASSERT_TRUE(r.is_exact());
  const analysis::LatencySummary got = r.summary();
  const analysis::LatencySummary want = analysis::summarize_latencies(seconds_of(ticks));
  EXPECT_EQ(got.mean, want.mean);
  EXPECT_EQ(got.p50, want.p50);
  EXPECT_EQ(got.p90, want.p90);
  EXPECT_EQ(got.p95, want.p95);
  EXPECT_EQ(got.p99, want.p99);
  EXPECT_FALSE(LatencyRecord{}.summary().mean.has_value());
}

TEST(LatencyRecord, BeyondItPercentilesStayWithinHalfABucketInBoundedMemory) {
  const auto ticks = lognormal_ticks(1'000'000, 5);
  LatencyRecord r;
  std::size_t peak_bytes = 0;
  for (const sim::Tick t : ticks) {
    r.add(t);
    peak_bytes = std::max(peak_bytes, r.heap_bytes());
  }
  EXPECT_FALSE(r.is_exact());
  EXPECT_EQ(r.count(), ticks.size());
  // The documented bound: 32 KiB of exact values or 7,424 counters.
  EXPECT_LE(peak_bytes, std::size_t{7424} * 8);
  const analysis::LatencySummary got = r.summary();
  const analysis::LatencySummary want = analysis::summarize_latencies(seconds_of(ticks));
  EXPECT_NEAR(*got.mean, *want.mean, 1e-9 * *want.mean) << "the mean stays exact";
  EXPECT_NEAR(*got.p50, *want.p50, 0.004 * *want.p50);
  EXPECT_NEAR(*got.p90, *want.p90, 0.004 * *want.p90);
  EXPECT_NEAR(*got.p95, *want.p95, 0.004 * *want.p95);
  EXPECT_NEAR(*got.p99, *want.p99, 0.004 * *want.p99);
}

TEST(LatencyRecord, BucketsCoverEveryTickOnceAndTheirMidpointsAreClose) {
  for (std::uint64_t v : {0ull, 1ull, 127ull, 128ull, 129ull, 255ull, 256ull, 1000ull, 123456789ull,
                          (1ull << 40) + 12345ull, (1ull << 62) + 7ull}) {
    const std::size_t b = LatencyRecord::bucket_of(v);
    const double mid = LatencyRecord::bucket_midpoint(b);
    // Half a bucket: 1/256 of the bucket's low end, which is at most v.
    EXPECT_LE(std::fabs(mid - static_cast<double>(v)), static_cast<double>(v) / 256.0 + 0.5) << v;
    if (v > 0) {
      EXPECT_GE(b, LatencyRecord::bucket_of(v - 1)) << "monotone at " << v;
    }
  }
  EXPECT_LT(LatencyRecord::bucket_of(~0ull >> 1), 7424u);
}

TEST(LatencyRecord, PooledHistogramIsMakeHistogramOfThePooledValues) {
  // Exact records: the same histogram as pooling the raw values.
  const auto a = lognormal_ticks(1000, 7), b = lognormal_ticks(2000, 8);
  LatencyRecord ra, rb, empty;
  for (const sim::Tick t : a) ra.add(t);
  for (const sim::Tick t : b) rb.add(t);
  std::vector<double> pooled = seconds_of(a);
  const auto sb = seconds_of(b);
  pooled.insert(pooled.end(), sb.begin(), sb.end());
  const analysis::Histogram want = analysis::make_histogram(pooled);
  const analysis::Histogram got = LatencyRecord::histogram({&ra, &empty, &rb});
  EXPECT_EQ(got.edges, want.edges);
  EXPECT_EQ(got.counts, want.counts);
  EXPECT_TRUE(LatencyRecord::histogram({&empty}).edges.empty());

  // A bucketed record: the same edges, every value counted once.
  const auto many = lognormal_ticks(50'000, 9);
  LatencyRecord big;
  for (const sim::Tick t : many) big.add(t);
  ASSERT_FALSE(big.is_exact());
  const analysis::Histogram h = LatencyRecord::histogram({&big, &ra});
  std::vector<double> all = seconds_of(many);
  const auto sa = seconds_of(a);
  all.insert(all.end(), sa.begin(), sa.end());
  const analysis::Histogram exact = analysis::make_histogram(all);
  EXPECT_EQ(h.edges, exact.edges);
  std::uint64_t total = 0;
  for (const auto c : h.counts) total += c;
  EXPECT_EQ(total, all.size());
  // Values move at most to a neighbouring bin (a bucket midpoint near an edge).
  for (std::size_t k = 0; k < h.counts.size(); ++k) {
    const double diff =
        std::fabs(static_cast<double>(h.counts[k]) - static_cast<double>(exact.counts[k]));
    EXPECT_LE(diff, 0.02 * static_cast<double>(all.size())) << k;
  }
}

}  // namespace
}  // namespace telsim::scenarios::detail
