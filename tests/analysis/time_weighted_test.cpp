#include "telsim/analysis/time_weighted.hpp"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

TEST(TimeWeighted, InitialLevelHoldsUntilTheFirstChange) {
  TimeWeighted level(0, 100, 0, 10.0, 4.0);
  level.finish();
  EXPECT_DOUBLE_EQ(level.mean(), 4.0);
  EXPECT_DOUBLE_EQ(level.fraction_full(), 0.0);
  EXPECT_TRUE(level.bin_means().empty());
}

TEST(TimeWeighted, SegmentStraddlingTheStartCountsOnlyItsOverlap) {
  TimeWeighted level(100, 200, 0, 3.0);
  level.set(10, 2.0);   // before the window: state only
  level.set(50, 3.0);   // still before: the window starts at level 3
  level.set(150, 1.0);  // [100, 150) at 3, [150, 200) at 1
  level.finish();
  EXPECT_DOUBLE_EQ(level.mean(), (3.0 * 50 + 1.0 * 50) / 100);
  EXPECT_DOUBLE_EQ(level.fraction_full(), 0.5);
}

TEST(TimeWeighted, SegmentStraddlingTheEndCountsOnlyItsOverlap) {
  TimeWeighted level(0, 100, 0, 5.0);
  level.set(80, 5.0);   // [80, 100) full; it lasts until 300 but only 20 ticks count
  level.set(300, 0.0);  // after the window: ignored for integration
  level.set(400, 9.0);
  level.finish();
  EXPECT_DOUBLE_EQ(level.mean(), 5.0 * 20 / 100);
  EXPECT_DOUBLE_EQ(level.fraction_full(), 0.2);
}

TEST(TimeWeighted, ChangesExactlyAtTheEdges) {
  TimeWeighted level(100, 200, 0, 1.0);
  level.set(100, 2.0);  // at the start: counts from the start
  level.set(200, 7.0);  // at the end: nothing of it counts
  level.finish();
  EXPECT_DOUBLE_EQ(level.mean(), 2.0);
  EXPECT_DOUBLE_EQ(level.fraction_full(), 1.0);
}

TEST(TimeWeighted, SeveralChangesAtTheSameTimeKeepTheLast) {
  TimeWeighted level(0, 10, 0, 100.0);
  level.set(5, 1.0);
  level.set(5, 2.0);
  level.set(5, 3.0);
  level.finish();
  EXPECT_DOUBLE_EQ(level.mean(), 3.0 * 5 / 10);
}

TEST(TimeWeighted, BinsSplitSegmentsAtTheirEdges) {
  TimeWeighted level(1000, 1100, 4, 2.0);  // bins of 25 ticks
  level.set(990, 1.0);                     // [1000, 1030) at 1: bin 0 full, 5 ticks of bin 1
  level.set(1030, 2.0);  // [1030, 1080) at 2: 20 ticks of bin 1, 25 of bin 2, 5 of bin 3
  level.set(1080, 0.0);
  level.finish();
  const std::vector<double> bins = level.bin_means();
  ASSERT_EQ(bins.size(), 4u);
  EXPECT_DOUBLE_EQ(bins[0], 1.0);
  EXPECT_DOUBLE_EQ(bins[1], (5 * 1.0 + 20 * 2.0) / 25);
  EXPECT_DOUBLE_EQ(bins[2], 2.0);
  EXPECT_DOUBLE_EQ(bins[3], 5 * 2.0 / 25);
  EXPECT_DOUBLE_EQ(level.mean(), (30 * 1.0 + 50 * 2.0) / 100);
  EXPECT_DOUBLE_EQ(level.fraction_full(), 0.5);
  EXPECT_EQ(level.bin_edges(), (std::vector<std::int64_t>{1000, 1025, 1050, 1075, 1100}));
}

TEST(TimeWeighted, UnevenBinsCoverTheWindowExactly) {
  TimeWeighted level(0, 10, 3, 1.0, 1.0);
  level.finish();
  EXPECT_EQ(level.bin_edges(), (std::vector<std::int64_t>{0, 3, 6, 10}));
  for (double mean : level.bin_means()) EXPECT_DOUBLE_EQ(mean, 1.0);
}

TEST(TimeWeighted, StaysExactOnAHugeWindow) {
  // 1e15 ticks (about 31 years in microseconds), levels near 1e5: the area ~1e20 exceeds a
  // double's exact integers, and naive double sums drift.
  const std::int64_t end = 1'000'000'000'000'000;
  TimeWeighted level(0, end, 200, 100000.0);
  const std::int64_t step = 1'000'003;
  std::int64_t t = 0;
  long double expected_area = 0;
  int k = 0;
  for (; t + step < end / 1000; t += step, ++k) {
    const double value = 99990.0 + (k % 7);
    level.set(t, value);
    expected_area += static_cast<long double>(value) * step;
  }
  level.set(t, 99999.5);
  expected_area += 99999.5L * static_cast<long double>(end - t);
  level.finish();
  EXPECT_DOUBLE_EQ(level.mean(), static_cast<double>(expected_area / end));
}

TEST(TimeWeighted, ChecksItsArguments) {
  EXPECT_THROW(TimeWeighted(10, 10, 0, 1.0), std::invalid_argument);
  EXPECT_THROW(TimeWeighted(0, 5, 6, 1.0), std::invalid_argument);
  TimeWeighted level(0, 100, 0, 1.0);
  EXPECT_THROW((void)level.mean(), std::logic_error);
  level.set(50, 1.0);
  EXPECT_THROW(level.set(40, 1.0), std::invalid_argument);
  level.finish();
  level.finish();       // idempotent
  level.set(500, 3.0);  // after finish: ignored
  EXPECT_DOUBLE_EQ(level.mean(), 0.5);
}

}  // namespace
}  // namespace telsim::analysis

namespace telsim::analysis {
namespace {

TEST(TimeWeightedVariance, IsTheTimeWeightedVarianceOfTheLevel) {
  // 2 for [0, 50), 4 for [50, 100): mean 3, second moment 10, variance 1.
  TimeWeighted whole(0, 100, 4, 10.0);
  whole.set(0, std::int64_t{2});
  whole.set(50, std::int64_t{4});
  whole.finish();
  EXPECT_DOUBLE_EQ(whole.mean(), 3.0);
  EXPECT_DOUBLE_EQ(whole.variance(), 1.0);
  // The same with levels that are not whole numbers: 0.5 for 3/4, 2.5 for 1/4 of the
  // window (crossing bins): mean 1, second moment 1.75, variance 0.75.
  TimeWeighted other(0, 100, 3, 10.0);
  other.set(0, 0.5);
  other.set(75, 2.5);
  other.finish();
  EXPECT_NEAR(other.mean(), 1.0, 1e-15);
  EXPECT_NEAR(other.variance(), 0.75, 1e-15);
  // A constant level has none; only the window counts.
  TimeWeighted constant(10, 20, 0, 10.0, 7.0);
  constant.set(5, std::int64_t{7});
  constant.set(30, std::int64_t{1});
  constant.finish();
  EXPECT_DOUBLE_EQ(constant.variance(), 0.0);
  EXPECT_THROW((void)TimeWeighted(0, 10, 0, 1.0).variance(), std::logic_error);
}

// The inline whole-number set() takes a shortcut within a bin; a per-tick
// oracle checks it, and its hand-over to the general path, on random changes
// before, inside and after the window, across bin edges, at repeated times,
// and with levels that are not whole numbers in between.
TEST(TimeWeighted, AgreesWithAPerTickOracleOnRandomChanges) {
  std::uint64_t state = 12345;
  const auto next = [&state](std::uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  for (int round = 0; round < 200; ++round) {
    const std::int64_t start = 50;
    const std::int64_t end = 350;
    const std::size_t bins = 1 + next(7);
    TimeWeighted level(start, end, bins, 3.0);
    std::vector<double> per_tick(400, 0.0);  // the level during [t, t + 1)
    std::int64_t t = static_cast<std::int64_t>(next(20));
    for (int change = 0; change < 60 && t < 400; ++change) {
      const bool whole = next(5) != 0;
      const double value =
          whole ? static_cast<double>(next(6)) : 0.5 + static_cast<double>(next(6));
      if (whole) {
        level.set(t, static_cast<std::int64_t>(value));
      } else {
        level.set(t, value);
      }
      for (std::int64_t k = t; k < 400; ++k) per_tick[static_cast<std::size_t>(k)] = value;
      t += static_cast<std::int64_t>(next(4) == 0 ? 0 : next(25));  // some at the same time
    }
    level.finish();
    const auto edges = level.bin_edges();
    double area = 0.0;
    double square = 0.0;
    double full = 0.0;
    for (std::int64_t k = start; k < end; ++k) {
      const double v = per_tick[static_cast<std::size_t>(k)];
      area += v;
      square += v * v;
      if (v >= 3.0) full += 1.0;
    }
    const double length = static_cast<double>(end - start);
    SCOPED_TRACE(round);
    EXPECT_DOUBLE_EQ(level.mean(), area / length);
    EXPECT_NEAR(level.variance(), square / length - (area / length) * (area / length), 1e-12);
    EXPECT_DOUBLE_EQ(level.fraction_full(), full / length);
    const std::vector<double> means = level.bin_means();
    ASSERT_EQ(means.size(), bins);
    for (std::size_t b = 0; b < bins; ++b) {
      double bin_area = 0.0;
      for (std::int64_t k = edges[b]; k < edges[b + 1]; ++k) {
        bin_area += per_tick[static_cast<std::size_t>(k)];
      }
      EXPECT_DOUBLE_EQ(means[b], bin_area / static_cast<double>(edges[b + 1] - edges[b]));
    }
  }
}

}  // namespace
}  // namespace telsim::analysis
