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

}  // namespace
}  // namespace telsim::analysis
