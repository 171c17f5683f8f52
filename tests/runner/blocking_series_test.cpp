// The blocking series behind `warmup: auto`: a time bin with no circuit
// request has no observation, so it must not count as zero blocking, and the
// MSER-5 cut must map back to the start time of the first bin kept.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "../../scenarios/src/recorder.hpp"
#include "telsim/analysis/warmup.hpp"

namespace telsim::scenarios::detail {
namespace {

constexpr std::size_t bins = 500;
constexpr sim::Tick horizon = 500 * sim::ticks_per_second;  // 1 s bins

/// `requests` circuit requests at the start of `bin`, `refused` of them refused.
void request(BlockingSeries& series, std::size_t bin, int requests, int refused) {
  const sim::Tick t = static_cast<sim::Tick>(bin) * series.bin_width();
  for (int i = 0; i < requests; ++i) series.circuit_requested(0, i >= refused, t);
}

/// What choose_warmup does with the series (runner.cpp).
sim::Tick warmup_of(const BlockingSeries& series) {
  const std::vector<double> values = series.series();
  return static_cast<sim::Tick>(analysis::mser5_truncation(values)) * series.bin_width();
}

TEST(BlockingSeries, ABinWithNoRequestIsMissing) {
  BlockingSeries series(horizon, bins, true);
  request(series, 0, 4, 1);
  request(series, 2, 2, 2);
  const std::vector<double> values = series.series();
  ASSERT_EQ(values.size(), bins);
  EXPECT_DOUBLE_EQ(values[0], 0.25);
  EXPECT_TRUE(std::isnan(values[1]));
  EXPECT_DOUBLE_EQ(values[2], 1.0);
  EXPECT_TRUE(std::isnan(values[499]));
}

TEST(BlockingSeries, LightEarlyTrafficDoesNotPullTheWarmup) {
  // Stationary blocking, but no request in every other bin of the first 150 s:
  // zeros there would look like a transient and push the warm-up to ~150 s.
  BlockingSeries series(horizon, bins, true);
  for (std::size_t b = 0; b < bins; ++b) {
    if (b < 150 && b % 2 == 1) continue;
    request(series, b, 4, static_cast<int>((b * 7) % 5));
  }
  std::vector<double> zero_filled = series.series();
  for (double& x : zero_filled) {
    if (std::isnan(x)) x = 0.0;
  }
  ASSERT_GE(analysis::mser5_truncation(zero_filled), 100u) << "the case must tell the two apart";
  EXPECT_EQ(warmup_of(series), 0);
}

TEST(BlockingSeries, EmptyBinsGiveTheSameWarmupInTimeAsTheBinsWithRequests) {
  // A transient (blocking falling from 1 to a steady level over 100 s) with
  // empty bins interleaved, inside the transient and after it.
  BlockingSeries series(horizon, bins, true);
  std::vector<double> observed;          // the non-empty bins' blocking, in order
  std::vector<std::size_t> bin_of_kept;  // and their bin indices
  for (std::size_t b = 0; b < bins; ++b) {
    if (b % 3 == 2 || (b >= 30 && b < 50)) continue;
    const int refused = b < 100 ? static_cast<int>(10 - b / 10) : static_cast<int>(b % 3);
    request(series, b, 10, refused);
    observed.push_back(refused / 10.0);
    bin_of_kept.push_back(b);
  }
  const std::size_t cut = analysis::mser5_truncation(observed);
  ASSERT_GT(cut, 0u);
  ASSERT_LT(cut, observed.size());
  EXPECT_EQ(warmup_of(series), static_cast<sim::Tick>(bin_of_kept[cut]) * series.bin_width());
}

}  // namespace
}  // namespace telsim::scenarios::detail
