#include "telsim/analysis/erlang_a.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// An independent, naive solution of the birth-death chain: weights from n = 0 by
// pi(n) = pi(n - 1) lambda / death(n), in long double, until they are negligible against the
// waiting mass. Fine for small groups only (no scaling).
ErlangA naive_birth_death(std::int64_t c, double lambda, double h, double p) {
  long double weight = 1, total = 0, waiting = 0, queue = 0;
  for (std::int64_t n = 0;; ++n) {
    total += weight;
    if (n >= c) {
      waiting += weight;
      queue += static_cast<long double>(n - c) * weight;
    }
    const auto next = static_cast<long double>(n + 1);
    const long double death = std::min<long double>(next, c) / h +
                              std::max<long double>(next - static_cast<long double>(c), 0) / p;
    weight *= lambda / death;
    if (n > c && weight < 1e-30L * waiting) break;
  }
  const long double mean_queue = queue / total;
  return {static_cast<double>(waiting / total), static_cast<double>(mean_queue / (lambda * p)),
          static_cast<double>(mean_queue / lambda)};
}

TEST(ErlangA, MatchesHighPrecisionValues) {
  // Direct sums of the chain from n = 0 with mpmath at 40 digits.
  struct Case {
    std::int64_t c;
    double lambda, h, p, p_wait, p_abandon, mean_wait;
  };
  const Case cases[] = {
      {50, 1.1, 50, 20, 0.62210043035445658, 0.12246827884459823, 2.4493655768919645},
      {10, 0.8, 10, 5, 0.24751918966708255, 0.068405352895339027, 0.34202676447669512},
      {5, 0.3, 20, 8, 0.59863391537050716, 0.2882398720109623, 2.3059189760876984},
  };
  for (const Case& k : cases) {
    const ErlangA a = erlang_a(k.c, k.lambda, k.h, k.p);
    EXPECT_NEAR(a.p_wait, k.p_wait, 1e-13 * k.p_wait) << k.c;
    EXPECT_NEAR(a.p_abandon, k.p_abandon, 1e-12 * k.p_abandon) << k.c;
    EXPECT_NEAR(a.mean_wait, k.mean_wait, 1e-12 * k.mean_wait) << k.c;
  }
}

TEST(ErlangA, MatchesANaiveBirthDeathSum) {
  for (const double lambda : {0.05, 0.5, 1.0, 2.0, 4.0}) {
    for (const double patience : {0.1, 1.0, 7.0, 100.0}) {
      const ErlangA a = erlang_a(12, lambda, 8.0, patience);
      const ErlangA b = naive_birth_death(12, lambda, 8.0, patience);
      EXPECT_NEAR(a.p_wait, b.p_wait, 1e-12 * b.p_wait) << lambda << " " << patience;
      EXPECT_NEAR(a.p_abandon, b.p_abandon, 1e-11 * b.p_abandon) << lambda << " " << patience;
      EXPECT_NEAR(a.mean_wait, b.mean_wait, 1e-11 * b.mean_wait) << lambda << " " << patience;
    }
  }
}

TEST(ErlangA, InfinitePatienceIsErlangC) {
  for (const std::int64_t c : {1, 2, 10, 100, 10000}) {
    for (const double utilisation : {0.1, 0.7, 0.95, 0.999}) {
      const double h = 3.0;
      const double load = utilisation * static_cast<double>(c);
      const ErlangA a = erlang_a(c, load / h, h, infinity);
      const ErlangC e = erlang_c(c, load);
      EXPECT_NEAR(a.p_wait, e.p_wait, 1e-12 * e.p_wait + 1e-300) << c << " " << utilisation;
      EXPECT_NEAR(a.mean_wait, e.mean_wait * h, 1e-11 * e.mean_wait * h + 1e-300)
          << c << " " << utilisation;
      EXPECT_EQ(a.p_abandon, 0.0);
    }
  }
}

TEST(ErlangA, VeryLongPatienceApproachesErlangC) {
  // Summed term by term (the queue part is no longer geometric), not by the closed form.
  const ErlangA a = erlang_a(20, 1.6, 10.0, 1e8);
  const ErlangC e = erlang_c(20, 16.0);
  EXPECT_NEAR(a.p_wait, e.p_wait, 1e-6 * e.p_wait);
  EXPECT_NEAR(a.mean_wait, e.mean_wait * 10.0, 1e-6 * e.mean_wait * 10.0);
  EXPECT_GT(a.p_abandon, 0.0);
  EXPECT_LT(a.p_abandon, 1e-7);
}

TEST(ErlangA, InfinitePatienceOverloadIsUnstable) {
  const ErlangA a = erlang_a(10, 2.0, 5.0, infinity);  // A = 10 = c
  EXPECT_EQ(a.p_wait, 1.0);
  EXPECT_EQ(a.p_abandon, 0.0);
  EXPECT_EQ(a.mean_wait, infinity);
}

TEST(ErlangA, VeryShortPatienceIsErlangB) {
  // Callers who cannot wait leave at once: lost calls cleared.
  const ErlangA a = erlang_a(15, 1.2, 10.0, 1e-9);
  const double b = erlang_b(15, 12.0);
  EXPECT_NEAR(a.p_wait, b, 1e-9);
  EXPECT_NEAR(a.p_abandon, b, 1e-9);
  EXPECT_NEAR(a.mean_wait, b * 1e-9, 1e-15);  // ~ p_wait x patience
}

TEST(ErlangA, AbandonmentIsWaitingOverPatience) {
  const ErlangA a = erlang_a(30, 3.3, 10.0, 4.0);
  EXPECT_NEAR(a.p_abandon, a.mean_wait / 4.0, 1e-15);
  // Overload is stable with abandonment: what the circuits do not carry is abandoned.
  // Carried = lambda (1 - p_abandon) <= c / h.
  EXPECT_LE(3.3 * (1.0 - a.p_abandon), 3.0 + 1e-12);
  EXPECT_GT(a.p_abandon, 1.0 - 3.0 / 3.3);
}

TEST(ErlangA, NoCircuitsMeansEveryoneAbandons) {
  const ErlangA a = erlang_a(0, 2.0, 1.0, 3.0);
  EXPECT_DOUBLE_EQ(a.p_wait, 1.0);
  EXPECT_NEAR(a.p_abandon, 1.0, 1e-14);
  EXPECT_NEAR(a.mean_wait, 3.0, 1e-13);
}

TEST(ErlangA, NoTrafficNeverWaits) {
  const ErlangA a = erlang_a(5, 0.0, 1.0, 3.0);
  EXPECT_EQ(a.p_wait, 0.0);
  EXPECT_EQ(a.p_abandon, 0.0);
  EXPECT_EQ(a.mean_wait, 0.0);
}

TEST(ErlangA, GrowsWithTheLoad) {
  ErlangA previous{0, 0, 0};
  for (double lambda = 0.5; lambda <= 4.0; lambda += 0.25) {
    const ErlangA a = erlang_a(20, lambda, 8.0, 5.0);
    EXPECT_GT(a.p_wait, previous.p_wait) << lambda;
    EXPECT_GT(a.p_abandon, previous.p_abandon) << lambda;
    EXPECT_GT(a.mean_wait, previous.mean_wait) << lambda;
    previous = a;
  }
}

TEST(ErlangA, MorePatienceMeansMoreWaitingAndFewerAbandons) {
  ErlangA previous = erlang_a(20, 2.4, 8.0, 0.5);
  for (const double patience : {1.0, 2.0, 5.0, 20.0, 100.0}) {
    const ErlangA a = erlang_a(20, 2.4, 8.0, patience);
    EXPECT_GT(a.p_wait, previous.p_wait) << patience;
    EXPECT_GT(a.mean_wait, previous.mean_wait) << patience;
    EXPECT_LT(a.p_abandon, previous.p_abandon) << patience;
    previous = a;
  }
}

TEST(ErlangA, TenThousandCircuitsAreFiniteAndFast) {
  const auto start = std::chrono::steady_clock::now();
  for (const double utilisation : {0.0001, 0.9, 0.99, 1.0, 1.05, 3.0}) {
    const double h = 180.0;
    const double lambda = utilisation * 10000.0 / h;
    const ErlangA a = erlang_a(10000, lambda, h, 60.0);
    EXPECT_TRUE(std::isfinite(a.p_wait) && std::isfinite(a.p_abandon) && std::isfinite(a.mean_wait))
        << utilisation;
    EXPECT_GE(a.p_wait, 0.0);
    EXPECT_LE(a.p_wait, 1.0);
    if (utilisation > 1.0) {
      // Overloaded: nearly everyone waits, and the excess abandons.
      EXPECT_GT(a.p_wait, 0.99) << utilisation;
      EXPECT_NEAR(a.p_abandon, 1.0 - 1.0 / utilisation, 0.01) << utilisation;
    }
  }
  EXPECT_EQ(erlang_a(10000, 1.0 / 180.0, 180.0, 60.0).p_wait, 0.0);  // underflows, no NaN
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 0.5);
}

TEST(ErlangA, LongQueuesUnderHeavyOverload) {
  // One circuit, 1000 Erlangs, patience 1000 holding times: the queue holds about a million.
  const ErlangA a = erlang_a(1, 1000.0, 1.0, 1000.0);
  EXPECT_NEAR(a.p_wait, 1.0, 1e-12);
  EXPECT_NEAR(a.p_abandon, 0.999, 1e-6);
  EXPECT_NEAR(a.mean_wait, 999.0, 1e-3);
}

TEST(ErlangA, RejectsBadArguments) {
  EXPECT_THROW((void)erlang_a(-1, 1, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, -1, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, infinity, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, 1, 0, 1), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, 1, infinity, 1), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, 1, 1, 0), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, 1, 1, std::nan("")), std::invalid_argument);
  EXPECT_THROW((void)erlang_a(1, 1e300, 1e300, 1), std::invalid_argument);
  // Overload with a patience so long that the queue would hold ~1e12 callers.
  try {
    (void)erlang_a(10, 20.0, 1.0, 1e12);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("mean_patience"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace telsim::analysis
