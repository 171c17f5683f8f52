#include "telsim/analysis/warmup.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

// A deterministic "noise" with mean 0, amplitude 1.
double wiggle(int k) {
  return std::sin(k * 12.9898) * 0.5 + std::sin(k * 78.233) * 0.5;
}

TEST(Mser5, TruncatesAnObviousInitialTransient) {
  // 100 observations decaying from 50 to about 0 over the first 40, then steady noise.
  std::vector<double> series;
  for (int k = 0; k < 1000; ++k) {
    const double transient = k < 40 ? 50.0 * (1.0 - k / 40.0) : 0.0;
    series.push_back(transient + wiggle(k));
  }
  const std::size_t cut = mser5_truncation(series);
  EXPECT_EQ(cut % 5, 0u);
  EXPECT_GE(cut, 30u);
  EXPECT_LE(cut, 60u);
}

TEST(Mser5, KeepsAStationarySeries) {
  std::vector<double> series;
  for (int k = 0; k < 1000; ++k) series.push_back(10.0 + wiggle(k));
  EXPECT_LE(mser5_truncation(series), 50u);
}

TEST(Mser5, ConstantSeriesTruncatesNothing) {
  const std::vector<double> series(100, 3.0);
  EXPECT_EQ(mser5_truncation(series), 0u);
}

TEST(Mser5, MatchesTheDefinitionByBruteForce) {
  std::vector<double> series;
  for (int k = 0; k < 203; ++k) series.push_back(std::exp(-k / 20.0) * 8 + wiggle(k));
  const std::size_t batches = series.size() / 5;
  std::vector<double> z(batches);
  for (std::size_t b = 0; b < batches; ++b) {
    for (std::size_t i = 0; i < 5; ++i) z[b] += series[5 * b + i] / 5;
  }
  std::size_t best = 0;
  double best_value = std::numeric_limits<double>::infinity();
  for (std::size_t d = 0; d <= batches / 2; ++d) {
    double mean = 0;
    for (std::size_t j = d; j < batches; ++j) mean += z[j];
    mean /= static_cast<double>(batches - d);
    double squares = 0;
    for (std::size_t j = d; j < batches; ++j) squares += (z[j] - mean) * (z[j] - mean);
    const double value = squares / std::pow(static_cast<double>(batches - d), 2);
    if (value < best_value) {
      best_value = value;
      best = d;
    }
  }
  EXPECT_EQ(mser5_truncation(series), 5 * best);
}

TEST(Mser5, TooShortSeriesTruncatesNothing) {
  EXPECT_EQ(mser5_truncation(std::vector<double>{}), 0u);
  EXPECT_EQ(mser5_truncation(std::vector<double>{100, 1, 1, 1, 1, 1, 1, 1, 1}), 0u);
}

// A NaN is a missing observation (a time bin in which nothing was observed): the rule
// runs on the observations alone, and the cut is the position, in the series given, of
// the first observation kept, so that it maps back to its bin's start time.
TEST(Mser5, MissingObservationsDoNotPullTheTruncation) {
  const double missing = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> observed;
  for (int k = 0; k < 400; ++k) {
    const double transient = k < 60 ? 20.0 * (1.0 - k / 60.0) : 0.0;
    observed.push_back(transient + wiggle(k));
  }
  // The same observations with missing entries interleaved: leading, one in every
  // seven, a long gap inside the transient, and trailing.
  std::vector<double> with_gaps(3, missing);
  std::vector<std::size_t> position;  // of observed[j] in with_gaps
  for (std::size_t j = 0; j < observed.size(); ++j) {
    if (j % 7 == 3) with_gaps.push_back(missing);
    if (j == 20) with_gaps.insert(with_gaps.end(), 25, missing);
    position.push_back(with_gaps.size());
    with_gaps.push_back(observed[j]);
  }
  with_gaps.insert(with_gaps.end(), 4, missing);

  const std::size_t cut = mser5_truncation(observed);
  ASSERT_GT(cut, 0u);
  ASSERT_LT(cut, observed.size());
  EXPECT_EQ(mser5_truncation(with_gaps), position[cut]);

  // Counting the missing entries as 0 instead would move the cut.
  std::vector<double> zero_filled = with_gaps;
  for (double& x : zero_filled) {
    if (std::isnan(x)) x = 0.0;
  }
  EXPECT_NE(mser5_truncation(zero_filled), position[cut]);
}

TEST(Mser5, MissingObservationsAreNotCountedTowardsTheMinimum) {
  const double missing = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(mser5_truncation(std::vector<double>(50, missing)), 0u);
  // Nine observations among missing entries: under two batches, no cut.
  std::vector<double> series(40, missing);
  for (std::size_t i = 0; i < 9; ++i) series[4 * i + 1] = i == 0 ? 100.0 : 1.0;
  EXPECT_EQ(mser5_truncation(series), 0u);
}

// Half the batches of observations can lie past half the series when the early entries
// are mostly missing; the cut still stays in the first half of the series (of the time).
TEST(Mser5, WithMissingObservationsTheCutStaysInTheFirstHalf) {
  const double missing = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> series(500, missing);
  for (std::size_t i = 0; i < 300; i += 20) series[i] = 10.0;  // a sparse transient
  for (std::size_t i = 300; i < 500; ++i) series[i] = wiggle(static_cast<int>(i));
  const std::size_t cut = mser5_truncation(series);
  EXPECT_LE(2 * cut, series.size());
  EXPECT_EQ(cut, 200u);  // after the most transient observations that half allows
}

// A series with nothing missing is cut as before: at 5 d.
TEST(Mser5, NoMissingObservationGivesFiveTimesTheBatchCut) {
  std::vector<double> series;
  for (int k = 0; k < 300; ++k) series.push_back((k < 50 ? 10.0 : 0.0) + wiggle(k));
  const std::size_t cut = mser5_truncation(series);
  EXPECT_EQ(cut % 5, 0u);
  EXPECT_GE(cut, 45u);
  EXPECT_LE(cut, 55u);
}

}  // namespace
}  // namespace telsim::analysis
