#include "telsim/analysis/histogram.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

std::uint64_t total(const Histogram& h) {
  return std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t{0});
}

TEST(Histogram, EmptyInputGivesEmptyVectors) {
  const Histogram h = make_histogram({});
  EXPECT_TRUE(h.edges.empty());
  EXPECT_TRUE(h.counts.empty());
}

TEST(Histogram, NiceEdgesFromZeroCoveringTheMaximum) {
  // Max 97 in at most 50 bins: raw width 1.94 -> 2; edges 0, 2, ..., 98.
  const Histogram h = make_histogram({3.0, 97.0, 50.0, 0.0, 1.99, 2.0}, 50);
  ASSERT_EQ(h.edges.size(), h.counts.size() + 1);
  EXPECT_EQ(h.edges.front(), 0.0);
  EXPECT_EQ(h.edges[1], 2.0);
  EXPECT_EQ(h.edges.back(), 98.0);
  EXPECT_EQ(h.counts.size(), 49u);
  EXPECT_EQ(h.counts[0], 2u);   // 0 and 1.99
  EXPECT_EQ(h.counts[1], 2u);   // 2 and 3
  EXPECT_EQ(h.counts[25], 1u);  // 50
  EXPECT_EQ(h.counts[48], 1u);  // 97
  EXPECT_EQ(total(h), 6u);
}

TEST(Histogram, DecimalWidthsGiveCleanEdges) {
  const Histogram h = make_histogram({0.05, 0.31, 0.44}, 10);  // width 0.05
  EXPECT_EQ(h.edges[6], 0.3);
  EXPECT_EQ(h.edges.back(), 0.45);
  EXPECT_EQ(total(h), 3u);
  const Histogram quarter = make_histogram({10.0}, 4);  // width 2.5
  EXPECT_EQ(quarter.edges, (std::vector<double>{0, 2.5, 5, 7.5, 10}));
  EXPECT_EQ(quarter.counts, (std::vector<std::uint64_t>{0, 0, 0, 1}));  // last bin is closed
}

TEST(Histogram, NeverExceedsMaxBinsAndIsDeterministic) {
  std::vector<double> values;
  for (int k = 0; k < 1000; ++k) values.push_back((k * 7919 % 1000) * 0.37);
  for (std::size_t bins : {1u, 3u, 7u, 50u, 200u}) {
    const Histogram h = make_histogram(values, bins);
    EXPECT_LE(h.counts.size(), bins);
    EXPECT_GE(h.edges.back(), 999 * 0.37);
    EXPECT_EQ(total(h), 1000u);
    const Histogram again = make_histogram(values, bins);
    EXPECT_EQ(h.edges, again.edges);
    EXPECT_EQ(h.counts, again.counts);
  }
}

TEST(Histogram, AllZerosAndBadInput) {
  const Histogram h = make_histogram({0.0, 0.0});
  EXPECT_EQ(h.edges, (std::vector<double>{0, 1}));
  EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{2}));
  EXPECT_THROW((void)make_histogram({1.0, std::nan("")}), std::invalid_argument);
  EXPECT_THROW((void)make_histogram({1.0}, 0), std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis
