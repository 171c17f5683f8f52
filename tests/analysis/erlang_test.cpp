#include "telsim/analysis/erlang.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

// 1/B(c, A) = sum_{k=0..c} c! / (k! A^(c-k)), summed from k = c downwards in long double:
// a different evaluation order from the library's forward recursion.
long double erlang_b_reference(std::int64_t c, long double load) {
  long double term = 1.0L;
  long double sum = 1.0L;
  for (std::int64_t k = c; k > 0; --k) {
    term *= static_cast<long double>(k) / load;
    sum += term;
    if (term < 1e-30L * sum) break;
  }
  return 1.0L / sum;
}

// Engset time congestion straight from the definition (binomial weights).
long double engset_reference(int c, int sources, long double beta) {
  long double weight = 1.0L;
  long double sum = 1.0L;
  for (int k = 1; k <= c; ++k) {
    weight *= (sources - k + 1) * beta / k;
    sum += weight;
  }
  return weight / sum;
}

TEST(ErlangB, MatchesTabulatedValues) {
  EXPECT_NEAR(erlang_b(10, 5.0), 0.018384570336648133, 1e-15);
  EXPECT_NEAR(erlang_b(100, 90.0), 0.026957380464359215, 1e-15);
  EXPECT_NEAR(erlang_b(30, 20.0), 0.0084574983401947041, 1e-16);
  EXPECT_DOUBLE_EQ(erlang_b(1, 1.0), 0.5);
}

TEST(ErlangB, LargeGroupsAreFiniteAndAccurate) {
  // mpmath, 50 digits.
  EXPECT_NEAR(erlang_b(10000, 9800.0), 0.00053713040210626948, 1e-15);
  EXPECT_NEAR(erlang_b(10000, 10000.0), 0.0079365632488056719, 1e-15);
  EXPECT_NEAR(erlang_b(10000, 11000.0), 0.091799166106076389, 1e-14);
  for (double load : {9000.0, 9800.0, 9999.5, 12000.0}) {
    const double b = erlang_b(10000, load);
    EXPECT_TRUE(std::isfinite(b));
    EXPECT_NEAR(b, static_cast<double>(erlang_b_reference(10000, load)), 1e-12 * b) << load;
  }
  // The true value, 1.2e-1760, underflows: 0, not NaN.
  EXPECT_EQ(erlang_b(5000, 1000.0), 0.0);
  EXPECT_EQ(erlang_b(100000, 1e7) > 0.98, true);
}

TEST(ErlangB, EdgeCases) {
  EXPECT_EQ(erlang_b(0, 3.0), 1.0);
  EXPECT_EQ(erlang_b(5, 0.0), 0.0);
  EXPECT_EQ(erlang_b(0, 0.0), 1.0);
}

TEST(ErlangB, IsContinuousAndIncreasingInTheLoad) {
  double previous = erlang_b(50, 40.0);
  for (double load = 40.0001; load < 40.1; load += 0.0001) {
    const double b = erlang_b(50, load);
    EXPECT_GT(b, previous);
    EXPECT_LT(b - previous, 1e-5);
    previous = b;
  }
  // Fractional load between integers behaves: no jump at 45.
  EXPECT_NEAR(erlang_b(50, 45.0 - 1e-9), erlang_b(50, 45.0 + 1e-9), 1e-9);
}

TEST(ErlangB, RejectsBadArgumentsNamingThem) {
  try {
    (void)erlang_b(-1, 3.0);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("circuits"), std::string::npos);
  }
  try {
    (void)erlang_b(3, -1.0);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("load_erlangs"), std::string::npos);
  }
  EXPECT_THROW((void)erlang_b(3, std::nan("")), std::invalid_argument);
  EXPECT_THROW((void)erlang_b(3, std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST(ErlangC, MatchesHandComputedValues) {
  // M/M/2 at A = 1: P(wait) = 1/3, mean wait = 1/3 holding times.
  const ErlangC two = erlang_c(2, 1.0);
  EXPECT_NEAR(two.p_wait, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(two.mean_wait, 1.0 / 3.0, 1e-15);
  const ErlangC ten = erlang_c(10, 5.0);
  EXPECT_NEAR(ten.p_wait, 0.036105359158320186, 1e-15);
  EXPECT_NEAR(ten.mean_wait, 0.0072210718316640372, 1e-16);
  const ErlangC big = erlang_c(100, 95.0);
  EXPECT_NEAR(big.p_wait, 0.50645685391302059, 1e-13);
  EXPECT_NEAR(big.mean_wait, 0.10129137078260412, 1e-13);
  // M/M/1: P(wait) = rho, mean wait = rho / (1 - rho).
  const ErlangC one = erlang_c(1, 0.8);
  EXPECT_NEAR(one.p_wait, 0.8, 1e-15);
  EXPECT_NEAR(one.mean_wait, 4.0, 1e-13);
}

TEST(ErlangC, UnstableQueue) {
  const ErlangC full = erlang_c(10, 10.0);
  EXPECT_EQ(full.p_wait, 1.0);
  EXPECT_EQ(full.mean_wait, std::numeric_limits<double>::infinity());
  EXPECT_EQ(erlang_c(10, 0.0).p_wait, 0.0);
  EXPECT_THROW((void)erlang_c(0, 1.0), std::invalid_argument);
}

TEST(Engset, MatchesTheDefinition) {
  // N = 2, c = 1, beta = 1: states weigh 1 and 2 -> E = 2/3; one other source -> B = 1/2;
  // offered A = 2 x 1/2 = 1, carried 2/3 -> C = 1/3.
  const Engset small = engset(1, 2, 1.0);
  EXPECT_NEAR(small.time_congestion, 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(small.call_congestion, 0.5, 1e-15);
  EXPECT_NEAR(small.traffic_congestion, 1.0 / 3.0, 1e-15);

  const Engset e = engset(10, 20, 0.5);
  EXPECT_NEAR(e.time_congestion, 0.056381198373588761, 1e-15);
  EXPECT_NEAR(e.call_congestion, 0.041698150851449717, 1e-15);
  EXPECT_NEAR(e.traffic_congestion, 0.028190599186794381, 1e-15);
  for (int c : {1, 3, 8}) {
    for (double beta : {0.05, 0.3, 2.0}) {
      const Engset r = engset(c, 12, beta);
      EXPECT_NEAR(r.time_congestion, static_cast<double>(engset_reference(c, 12, beta)), 1e-14);
      EXPECT_NEAR(r.call_congestion, static_cast<double>(engset_reference(c, 11, beta)), 1e-14);
      // Iversen's identity C = (N - c) / N x E ties the three together.
      EXPECT_NEAR(r.traffic_congestion, (12.0 - c) / 12.0 * r.time_congestion, 1e-14);
    }
  }
}

TEST(Engset, TendsToErlangBWithManySources) {
  const double load = 8.0;
  const double b = erlang_b(10, load);
  double previous_gap = 1.0;
  for (std::int64_t sources : {100, 10'000, 1'000'000}) {
    const Engset r = engset(10, sources, load / static_cast<double>(sources));
    const double gap = std::fabs(r.time_congestion - b);
    EXPECT_LT(gap, previous_gap);
    previous_gap = gap;
  }
  const Engset many = engset(10, 100'000'000, load / 1e8);
  EXPECT_NEAR(many.time_congestion, b, 1e-6);
  EXPECT_NEAR(many.call_congestion, b, 1e-6);
  EXPECT_NEAR(many.traffic_congestion, b, 1e-6);
}

TEST(Engset, FewSourcesAreNeverBlocked) {
  const Engset r = engset(5, 3, 2.0);
  EXPECT_EQ(r.time_congestion, 0.0);
  EXPECT_EQ(r.call_congestion, 0.0);
  EXPECT_EQ(r.traffic_congestion, 0.0);
  // As many sources as circuits: all can be busy, yet no call ever finds them so.
  const Engset equal = engset(3, 3, 1.0);
  EXPECT_NEAR(equal.time_congestion, 1.0 / 8.0, 1e-15);
  EXPECT_EQ(equal.call_congestion, 0.0);
  EXPECT_THROW((void)engset(3, -1, 1.0), std::invalid_argument);
  EXPECT_THROW((void)engset(3, 5, -1.0), std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis

namespace telsim::analysis {
namespace {

TEST(ErlangBInverse, FewestCircuitsAgreeWithTheForwardFormula) {
  for (const double load : {0.0, 0.5, 2.0, 15.0, 100.0, 1234.5}) {
    for (const double target : {0.5, 0.05, 0.01, 0.001, 1e-6}) {
      const auto n = erlang_b_circuits(load, target);
      ASSERT_TRUE(n.has_value());
      EXPECT_GE(*n, 1);
      EXPECT_LE(erlang_b(*n, load), target) << load << " " << target;
      if (*n > 1) {
        EXPECT_GT(erlang_b(*n - 1, load), target) << load << " " << target;
      }
    }
  }
  EXPECT_EQ(erlang_b_circuits(15.0, 0.01), 24);  // the classic table: 15 Erlang, 1%
  EXPECT_EQ(erlang_b_circuits(100.0, 0.01, 50), std::nullopt);
  EXPECT_THROW(erlang_b_circuits(-1.0, 0.01), std::invalid_argument);
  EXPECT_THROW(erlang_b_circuits(1.0, 0.0), std::invalid_argument);
}

TEST(ErlangBInverse, LoadThatBlocksAGivenFraction) {
  for (const std::int64_t n : {1, 10, 24, 200}) {
    for (const double target : {0.5, 0.01, 0.001}) {
      const double a = erlang_b_load(n, target, 10.0 * static_cast<double>(n) + 10.0);
      EXPECT_NEAR(erlang_b(n, a), target, 1e-9 * target) << n << " " << target;
    }
  }
  EXPECT_NEAR(erlang_b_load(24, 0.01, 100.0), 15.3, 0.01);  // the classic table
  EXPECT_NEAR(erlang_b_load(10, 0.9, 1.0), 1.0, 1e-12);     // even the largest load blocks less
  EXPECT_THROW(erlang_b_load(0, 0.01, 1.0), std::invalid_argument);
  EXPECT_THROW(erlang_b_load(10, 0.0, 1.0), std::invalid_argument);
}

}  // namespace
}  // namespace telsim::analysis

namespace telsim::analysis {
namespace {

TEST(RiordanOverflow, NoCircuitsPassOnPoissonTraffic) {
  const OverflowMoments m = riordan_overflow(0, 7.5);
  EXPECT_DOUBLE_EQ(m.mean, 7.5);
  EXPECT_DOUBLE_EQ(m.variance, 7.5);
  EXPECT_DOUBLE_EQ(m.peakedness, 1.0);
}

TEST(RiordanOverflow, MeanIsTheLostTrafficAndOverflowIsPeaked) {
  for (const std::int64_t n : {1, 5, 10, 20}) {
    for (const double a : {0.5, 4.0, 10.0}) {
      const OverflowMoments m = riordan_overflow(n, a);
      EXPECT_NEAR(m.mean, a * erlang_b(n, a), 1e-12);
      EXPECT_GT(m.peakedness, 1.0) << n << " " << a;
      EXPECT_NEAR(m.peakedness, m.variance / m.mean, 1e-12);
    }
  }
  // 10 Erlang on 10 circuits: M = 2.14582, V = 4.36245 (the formula by hand).
  EXPECT_NEAR(riordan_overflow(10, 10.0).variance, 4.362447, 1e-5);
}

}  // namespace
}  // namespace telsim::analysis
