#include "telsim/analysis/retrial.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "telsim/analysis/erlang.hpp"

namespace telsim::analysis {
namespace {

// An independent dense solve in long double: the chain truncated at orbit `orbit_limit`, pi Q = 0
// with the last balance equation replaced by sum pi = 1, by Gaussian elimination with partial
// pivoting. Small cases only: O(((c + 1)(K + 1))^3).
Retrial dense_retrial(int c, long double lambda, long double h, long double r, int orbit_limit) {
  const int n = (c + 1) * (orbit_limit + 1);
  auto index = [&](int k, int m) { return m * (c + 1) + k; };
  std::vector<std::vector<long double>> a(n, std::vector<long double>(n + 1, 0.0L));
  auto rate = [&](int from, int to, long double q) {  // row = balance equation of `to`
    a[to][from] += q;
    a[from][from] -= q;
  };
  for (int m = 0; m <= orbit_limit; ++m) {
    for (int k = 0; k <= c; ++k) {
      if (k < c) {
        rate(index(k, m), index(k + 1, m), lambda);
        if (m > 0) rate(index(k, m), index(k + 1, m - 1), m / r);
      } else if (m < orbit_limit) {
        rate(index(k, m), index(k, m + 1), lambda);
      }
      if (k > 0) rate(index(k, m), index(k - 1, m), k / h);
    }
  }
  for (int j = 0; j < n; ++j) a[n - 1][j] = 1.0L;
  a[n - 1][n] = 1.0L;
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    for (int row = col + 1; row < n; ++row) {
      if (std::fabs(a[row][col]) > std::fabs(a[pivot][col])) pivot = row;
    }
    std::swap(a[col], a[pivot]);
    for (int row = col + 1; row < n; ++row) {
      const long double f = a[row][col] / a[col][col];
      if (f == 0.0L) continue;
      for (int j = col; j <= n; ++j) a[row][j] -= f * a[col][j];
    }
  }
  std::vector<long double> pi(n);
  for (int row = n - 1; row >= 0; --row) {
    long double s = a[row][n];
    for (int j = row + 1; j < n; ++j) s -= a[row][j] * pi[j];
    pi[row] = s / a[row][row];
  }
  long double busy = 0, orbit = 0;
  for (int m = 0; m <= orbit_limit; ++m) {
    for (int k = 0; k <= c; ++k) {
      orbit += m * pi[index(k, m)];
      if (k == c) busy += pi[index(k, m)];
    }
  }
  return {static_cast<double>(busy), static_cast<double>(orbit),
          static_cast<double>(orbit / (lambda * busy)), 0.0};
}

TEST(Retrial, SingleCircuitClosedForm) {
  // M/M/1 retrial queue: the server is busy a fraction rho of the time whatever the retrials,
  // and E[orbit] = rho (rho + lambda R) / (1 - rho) (Falin and Templeton 1997).
  struct Case {
    double lambda, h, r;
  };
  for (const Case& k :
       {Case{0.5, 1.0, 2.0}, Case{0.09, 10.0, 3.0}, Case{0.9, 1.0, 0.25}, Case{0.2, 2.0, 60.0}}) {
    const double rho = k.lambda * k.h;
    const Retrial q = retrial_queue(1, k.lambda, k.h, k.r);
    const double orbit = rho * (rho + k.lambda * k.r) / (1.0 - rho);
    EXPECT_NEAR(q.p_block, rho, 1e-10) << k.lambda << " " << k.r;
    EXPECT_NEAR(q.mean_orbit, orbit, 1e-9 * orbit) << k.lambda << " " << k.r;
    EXPECT_NEAR(q.mean_latency, (k.h + k.r) / (1.0 - rho), 1e-9 * (k.h + k.r) / (1.0 - rho))
        << k.lambda << " " << k.r;
  }
}

TEST(Retrial, MatchesAHighPrecisionDenseSolve) {
  // mpmath at 30 digits, orbit truncated at 90 (P(orbit = 90) ~ 6e-21).
  const Retrial q = retrial_queue(2, 1.2, 1.0, 0.5);
  EXPECT_NEAR(q.p_block, 0.42565998568929838, 1e-11);
  EXPECT_NEAR(q.mean_orbit, 1.1037750536651308, 1e-10);
  EXPECT_NEAR(q.mean_latency, 2.1609091191210544, 1e-10);
}

TEST(Retrial, MatchesADenseLongDoubleSolve) {
  struct Case {
    int c;
    double lambda, h, r;
  };
  for (const Case& k :
       {Case{3, 1.6, 1.0, 0.7}, Case{4, 0.3, 10.0, 5.0}, Case{2, 0.05, 20.0, 1.0}}) {
    const Retrial q = retrial_queue(k.c, k.lambda, k.h, k.r);
    const Retrial d = dense_retrial(k.c, k.lambda, k.h, k.r, 100);
    EXPECT_NEAR(q.p_block, d.p_block, 1e-11) << k.c;
    EXPECT_NEAR(q.mean_orbit, d.mean_orbit, 1e-10 * d.mean_orbit) << k.c;
    EXPECT_NEAR(q.mean_latency, d.mean_latency, 1e-9 * d.mean_latency) << k.c;
  }
}

TEST(Retrial, FastRetrialsAreErlangC) {
  // Retrying at once makes the orbit a queue served in random order: P(all busy) is Erlang C,
  // E[orbit] the M/M/c mean queue, and a blocked caller waits h / (c - A) on average.
  for (const int c : {1, 3, 10}) {
    const double h = 2.0, load = 0.75 * c;
    const Retrial q = retrial_queue(c, load / h, h, 1e-8);
    const ErlangC e = erlang_c(c, load);
    EXPECT_NEAR(q.p_block, e.p_wait, 1e-6) << c;
    EXPECT_NEAR(q.mean_orbit, e.p_wait * load / (c - load), 1e-5) << c;
    EXPECT_NEAR(q.mean_latency, h / (c - load), 1e-5) << c;
  }
}

TEST(Retrial, SlowRetrialsAreErlangBOfTheInflatedLoad) {
  // Very slow retrials feed the circuits a steady extra stream: they see Poisson traffic A*
  // with A* (1 - B(c, A*)) = A, the load they must carry. The blocking is B(c, A*), well above
  // B(c, A).
  const int c = 3;
  const double load = 2.0;
  double inflated = load;
  for (int i = 0; i < 500; ++i) inflated = load / (1.0 - erlang_b(c, inflated));
  const Retrial q = retrial_queue(c, load, 1.0, 3000.0);
  EXPECT_NEAR(q.p_block, erlang_b(c, inflated), 2e-5);
  EXPECT_GT(q.p_block, erlang_b(c, load) + 0.1);
}

TEST(Retrial, BlockingFallsFromErlangCTowardsTheSlowLimitAsRetrialsSlowDown) {
  double previous = erlang_c(4, 3.0).p_wait;
  for (const double r : {0.01, 0.1, 1.0, 10.0, 100.0}) {
    const Retrial q = retrial_queue(4, 1.5, 2.0, r);
    EXPECT_LT(q.p_block, previous) << r;
    EXPECT_GT(q.p_block, erlang_b(4, 3.0)) << r;
    previous = q.p_block;
  }
}

TEST(Retrial, GrowsWithTheLoad) {
  Retrial previous{0, 0, 0};
  for (double lambda = 0.5; lambda < 9.6; lambda += 0.5) {
    const Retrial q = retrial_queue(10, lambda, 1.0, 2.0);
    EXPECT_GT(q.p_block, previous.p_block) << lambda;
    EXPECT_GT(q.mean_orbit, previous.mean_orbit) << lambda;
    EXPECT_GT(q.mean_latency, previous.mean_latency) << lambda;
    EXPECT_GT(q.mean_latency, 2.0) << lambda;  // at least one retrial delay
    previous = q;
  }
}

// A group of c circuits offered `load` Erlang (mean holding 1) with mean retrial delay r.
struct Group {
  int c;
  double load, r;
};

TEST(Retrial, AgreesWithTheWholeChainSolvedBySparseLU) {
  // The level-by-level GTH solution against Eigen's SparseLU on the whole chain, where both
  // apply: small and medium groups, light to heavy loads, fast to slow retrials (the windowed
  // busy count is exercised wherever the load is well below c).
  using Case = Group;
  for (const Case& k :
       {Case{5, 2.0, 0.3}, Case{5, 4.5, 5.0}, Case{30, 24.0, 1.0}, Case{30, 28.0, 0.2},
        Case{100, 60.0, 2.0}, Case{100, 92.0, 1.0}, Case{150, 140.0, 0.5}}) {
    const Retrial q = retrial_queue(k.c, k.load, 1.0, k.r);
    const Retrial s = retrial_queue_sparse_lu(k.c, k.load, 1.0, k.r);
    EXPECT_NEAR(q.p_block, s.p_block, 1e-11 + 1e-8 * s.p_block) << k.c << " " << k.load;
    EXPECT_NEAR(q.mean_orbit, s.mean_orbit, 1e-11 + 1e-8 * s.mean_orbit) << k.c << " " << k.load;
    if (s.p_block > 1e-6) {
      EXPECT_NEAR(q.mean_latency, s.mean_latency, 1e-7 * s.mean_latency) << k.c;
    }
  }
}

TEST(Retrial, CarriesTheWholeOfferedLoad) {
  // Nobody gives up, so E[busy] = A exactly: a check of the whole distribution, not of one
  // marginal, at sizes the sparse solve cannot reach.
  using Case = Group;
  for (const Case& k :
       {Case{1, 0.7, 3.0}, Case{40, 38.0, 1.0}, Case{1000, 960.0, 1.0}, Case{10000, 9000.0, 1.0},
        Case{10000, 9900.0, 0.1}, Case{10000, 9960.0, 0.05}}) {
    const Retrial q = retrial_queue(k.c, k.load, 1.0, k.r);
    EXPECT_NEAR(q.mean_busy, k.load, 1e-9 * k.load) << k.c << " " << k.load;
  }
}

TEST(Retrial, TenThousandCircuitsNearSaturation) {
  // Between the two limits of the retrial delay: above Erlang B(c, A) (retrials add attempts)
  // and below Erlang C (which waits in the orbit with no delay at all) for a short delay;
  // increasing with the load; a blocked caller waits at least one retrial delay.
  const double r = 0.1;
  Retrial previous{0, 0, 0};
  for (const double load : {9000.0, 9500.0, 9800.0, 9900.0, 9950.0}) {
    const Retrial q = retrial_queue(10000, load, 1.0, r);
    EXPECT_GT(q.p_block, erlang_b(10000, load)) << load;
    EXPECT_GT(q.p_block, previous.p_block) << load;
    EXPECT_GT(q.mean_orbit, previous.mean_orbit) << load;
    EXPECT_GT(q.mean_latency, r) << load;
    EXPECT_TRUE(std::isfinite(q.mean_latency)) << load;
    previous = q;
  }
  // Retrying almost at once: Erlang C, whatever the size.
  const Retrial fast = retrial_queue(10000, 9900.0, 1.0, 1e-7);
  const ErlangC e = erlang_c(10000, 9900.0);
  EXPECT_NEAR(fast.p_block, e.p_wait, 1e-4 * e.p_wait);
  EXPECT_NEAR(fast.mean_latency, 1.0 / 100.0, 1e-4 / 100.0);
}

TEST(Retrial, ContinuousInTheLoad) {
  // No jump where the orbit truncation grows or the busy-count window moves: over a fine load
  // grid from 88% to 97% of the circuits, blocking and orbit rise smoothly (each step's second
  // difference is small against its first difference; a jump would make a spike).
  std::vector<Retrial> grid;
  for (int i = 0; i <= 60; ++i) grid.push_back(retrial_queue(500, 440.0 + 0.75 * i, 1.0, 0.5));
  for (std::size_t i = 1; i + 1 < grid.size(); ++i) {
    const double step = grid[i].p_block - grid[i - 1].p_block;
    const double next = grid[i + 1].p_block - grid[i].p_block;
    EXPECT_GT(step, 0.0) << i;
    EXPECT_LT(std::fabs(next - step), 0.15 * step) << i;
    const double orbit_step = grid[i].mean_orbit - grid[i - 1].mean_orbit;
    const double orbit_next = grid[i + 1].mean_orbit - grid[i].mean_orbit;
    EXPECT_LT(std::fabs(orbit_next - orbit_step), 0.25 * orbit_step) << i;
  }
}

TEST(Retrial, TinyBlockingKeepsItsRelativeAccuracy) {
  // B(6, 0.2) ~ 9e-8: the dense long double solve is still accurate to ~1e-11 relative there,
  // and the GTH solution must match it to that, not to round-off of the largest probability.
  const Retrial q = retrial_queue(6, 0.2, 1.0, 0.5);
  const Retrial d = dense_retrial(6, 0.2L, 1.0L, 0.5L, 40);
  EXPECT_NEAR(q.p_block / d.p_block, 1.0, 1e-9);
  EXPECT_NEAR(q.mean_orbit / d.mean_orbit, 1.0, 1e-9);
  EXPECT_NEAR(q.mean_latency / d.mean_latency, 1.0, 1e-9);
  // B(200, 50) ~ 1e-60 and B(10,000, 9,000) ~ 2e-26: retrials add a little blocking (a retrial
  // soon after a blocked attempt can refill the group), a blocked caller waits just over one
  // retrial delay, and the latency is a number, not round-off.
  for (const auto& [c, load] : {std::pair{200, 50.0}, std::pair{10000, 9000.0}}) {
    const Retrial q = retrial_queue(c, load, 1.0, 1.0);
    EXPECT_GT(q.p_block, erlang_b(c, load)) << c;
    EXPECT_LT(q.p_block, 1.05 * erlang_b(c, load)) << c;
    EXPECT_GT(q.mean_latency, 1.0) << c;
    EXPECT_LT(q.mean_latency, 1.05) << c;
    EXPECT_NEAR(q.mean_orbit, load * q.p_block * q.mean_latency, 1e-9 * q.mean_orbit) << c;
  }
  const Retrial idle = retrial_queue(3, 0.0, 1.0, 1.0);
  EXPECT_EQ(idle.p_block, 0.0);
  EXPECT_EQ(idle.mean_orbit, 0.0);
  EXPECT_TRUE(std::isnan(idle.mean_latency));
}

TEST(Retrial, RejectsBadArgumentsAndUnstableLoads) {
  EXPECT_THROW((void)retrial_queue(0, 0.1, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)retrial_queue(2, -0.1, 1, 1), std::invalid_argument);
  EXPECT_THROW((void)retrial_queue(2, 0.1, 0, 1), std::invalid_argument);
  EXPECT_THROW((void)retrial_queue(2, 0.1, 1, 0), std::invalid_argument);
  EXPECT_THROW((void)retrial_queue(2, 0.1, 1, std::nan("")), std::invalid_argument);
  try {
    (void)retrial_queue(5, 5.0, 1.0, 1.0);  // A = c
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("must be below circuits"), std::string::npos) << e.what();
  }
  // Stable, but the orbit (~1.7e6 callers) needs more places than the state limit allows.
  try {
    (void)retrial_queue(1, 0.5, 1.0, 1e7);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("mean_retrial"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace telsim::analysis
