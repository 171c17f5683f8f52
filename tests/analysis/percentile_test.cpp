#include "telsim/analysis/percentile.hpp"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

TEST(PercentileSorted, InterpolatesLikeNumpyLinear) {
  const std::vector<double> x{1, 2, 4, 8, 16};  // h = 4p
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 1.0), 16.0);
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.5), 4.0);
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.9), 8.0 + 0.6 * 8.0);    // h = 3.6
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.3), 2.0 + 0.2 * 2.0);    // h = 1.2
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.99), 8.0 + 0.96 * 8.0);  // h = 3.96
}

TEST(PercentileSorted, EvenSampleMedianIsTheMidpoint) {
  const std::vector<double> x{10, 20, 30, 40};
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.5), 25.0);
  EXPECT_DOUBLE_EQ(percentile_sorted(x, 0.9), 37.0);  // h = 2.7
}

TEST(PercentileSorted, SingleValueAndBadArguments) {
  const std::vector<double> one{7.5};
  EXPECT_EQ(percentile_sorted(one, 0.99), 7.5);
  EXPECT_THROW(percentile_sorted(std::vector<double>{}, 0.5), std::invalid_argument);
  EXPECT_THROW(percentile_sorted(one, 1.5), std::invalid_argument);
  EXPECT_THROW(percentile_sorted(one, -0.1), std::invalid_argument);
}

TEST(SummarizeLatencies, SortsAndComputesEveryFigure) {
  // 0..100 shuffled: the p-quantile of 0..100 is exactly 100 p.
  std::vector<double> values;
  for (int k = 0; k <= 100; ++k) values.push_back((k * 37) % 101);
  const LatencySummary s = summarize_latencies(values);
  EXPECT_DOUBLE_EQ(*s.mean, 50.0);
  EXPECT_DOUBLE_EQ(*s.p50, 50.0);
  EXPECT_DOUBLE_EQ(*s.p90, 90.0);
  EXPECT_DOUBLE_EQ(*s.p95, 95.0);
  EXPECT_DOUBLE_EQ(*s.p99, 99.0);
}

TEST(SummarizeLatencies, EmptyGivesNulls) {
  const LatencySummary s = summarize_latencies({});
  EXPECT_FALSE(s.mean);
  EXPECT_FALSE(s.p50);
  EXPECT_FALSE(s.p90);
  EXPECT_FALSE(s.p95);
  EXPECT_FALSE(s.p99);
}

}  // namespace
}  // namespace telsim::analysis
