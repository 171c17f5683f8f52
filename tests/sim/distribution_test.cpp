// Samplers for every distribution kind: moments against mean()/variance(),
// goodness of fit against the exact CDF (Kolmogorov-Smirnov for the
// continuous kinds, chi-square for empirical), draws consumed per sample,
// parameter validation, and the normal quantile.
//
// The CDFs below are written from the textbook definitions, independently of
// the sampler's code: the Erlang CDF by its Poisson sum, the lognormal's
// through erfc with (mu, sigma) derived here from the mean and sd.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "stats_helpers.hpp"
#include "telsim/sim/distribution.hpp"
#include "telsim/sim/random.hpp"

namespace telsim::sim {
namespace {

constexpr std::size_t sample_size = 200'000;
constexpr double se_tolerance = 4.5;  // standard errors

std::vector<double> draw(const Distribution& d, std::uint64_t seed, std::size_t n = sample_size) {
  auto rng =
      RandomStream::derive(seed, 0, std::string("sampler/") + Distribution::kind_name(d.kind()));
  std::vector<double> xs(n);
  for (auto& x : xs) x = d.sample(rng);
  return xs;
}

/// Sample mean and variance against the distribution's own mean() and
/// variance(), and those against the values the test expects.
void check_moments(const Distribution& d, double want_mean, double want_variance,
                   std::uint64_t seed) {
  EXPECT_NEAR(d.mean(), want_mean, 1e-12 * std::max(1.0, want_mean));
  EXPECT_NEAR(d.variance(), want_variance, 1e-9 * std::max(1.0, want_variance));
  const auto m = test::moments(draw(d, seed));
  EXPECT_NEAR(m.mean, want_mean, se_tolerance * m.mean_se)
      << "sample mean " << m.mean << ", se " << m.mean_se;
  EXPECT_NEAR(m.variance, want_variance, se_tolerance * m.variance_se)
      << "sample variance " << m.variance << ", se " << m.variance_se;
}

void check_ks(const Distribution& d, const std::function<double(double)>& cdf, std::uint64_t seed) {
  const double dist = test::ks_distance(draw(d, seed), cdf);
  EXPECT_LT(dist, test::ks_critical(sample_size)) << "KS distance " << dist;
}

/// Kinds and the number of uniforms one sample consumes (SPEC's common
/// random numbers depend on it).
void expect_draws_per_sample(const Distribution& d, int draws) {
  auto rng = RandomStream::derive(77, 0, "consumption");
  auto shadow = rng;
  for (int round = 0; round < 10; ++round) {
    d.sample(rng);
    for (int i = 0; i < draws; ++i) shadow.next_u64();
    ASSERT_EQ(rng.next_u64(), shadow.next_u64())
        << Distribution::kind_name(d.kind()) << " should consume " << draws << " draws";
  }
}

double erlang_cdf(int k, double mean, double x) {
  if (x <= 0.0) return 0.0;
  const double lx = k / mean * x;
  // 1 - sum_{i<k} e^{-lx} lx^i / i!, the terms built by recurrence.
  double term = std::exp(-lx);
  double sum = term;
  for (int i = 1; i < k; ++i) {
    term *= lx / i;
    sum += term;
  }
  return std::max(0.0, 1.0 - sum);
}

double lognormal_cdf(double mean, double sd, double x) {
  if (x <= 0.0) return 0.0;
  const double s2 = std::log(1.0 + (sd * sd) / (mean * mean));
  const double mu = std::log(mean) - s2 / 2.0;
  return 0.5 * std::erfc(-(std::log(x) - mu) / std::sqrt(2.0 * s2));
}

// ---- deterministic ----------------------------------------------------------

TEST(Deterministic, AlwaysItsValueAndNoDraws) {
  const auto d = Distribution::deterministic(3.5);
  EXPECT_EQ(d.kind(), Distribution::Kind::deterministic);
  EXPECT_TRUE(d.is_deterministic());
  EXPECT_EQ(d.mean(), 3.5);
  EXPECT_EQ(d.variance(), 0.0);
  auto rng = RandomStream::derive(1, 0, "det");
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(d.sample(rng), 3.5);
  expect_draws_per_sample(d, 0);
  const Distribution zero;
  EXPECT_EQ(zero.sample(rng), 0.0);
  EXPECT_TRUE(zero.is_deterministic());
}

// ---- exponential --------------------------------------------------------------

TEST(Exponential, MomentsMatch) {
  check_moments(Distribution::exponential(180.0), 180.0, 180.0 * 180.0, 11);
  check_moments(Distribution::exponential(0.5), 0.5, 0.25, 12);
}

TEST(Exponential, FitsItsCdf) {
  for (const double mean : {1.0, 180.0, 0.01}) {
    SCOPED_TRACE("mean " + std::to_string(mean));
    check_ks(
        Distribution::exponential(mean),
        [mean](double x) { return x <= 0.0 ? 0.0 : -std::expm1(-x / mean); }, 13);
  }
}

TEST(Exponential, ConsumesOneDrawAndIsPositiveAndFinite) {
  const auto d = Distribution::exponential(2.0);
  expect_draws_per_sample(d, 1);
  for (const double x : draw(d, 14)) {
    ASSERT_GE(x, 0.0);
    ASSERT_TRUE(std::isfinite(x));
  }
}

// ---- uniform --------------------------------------------------------------------

TEST(Uniform, MomentsMatch) {
  check_moments(Distribution::uniform(2.0, 7.0), 4.5, 25.0 / 12.0, 21);
  check_moments(Distribution::uniform(0.0, 1e-3), 0.5e-3, 1e-6 / 12.0, 22);
}

TEST(Uniform, FitsItsCdfAndStaysInRange) {
  const auto d = Distribution::uniform(2.0, 7.0);
  check_ks(
      d, [](double x) { return std::clamp((x - 2.0) / 5.0, 0.0, 1.0); }, 23);
  for (const double x : draw(d, 24, 10'000)) {
    ASSERT_GE(x, 2.0);
    ASSERT_LT(x, 7.0);
  }
  expect_draws_per_sample(d, 1);
}

TEST(Uniform, DegenerateRangeIsItsPoint) {
  const auto d = Distribution::uniform(3.0, 3.0);
  EXPECT_EQ(d.mean(), 3.0);
  EXPECT_EQ(d.variance(), 0.0);
  for (const double x : draw(d, 25, 100)) ASSERT_EQ(x, 3.0);
}

// ---- erlang ------------------------------------------------------------------------

TEST(Erlang, MomentsMatch) {
  // `mean` is the mean of the whole sum, not of one phase.
  check_moments(Distribution::erlang(1, 2.0), 2.0, 4.0, 31);
  check_moments(Distribution::erlang(3, 6.0), 6.0, 12.0, 32);
  check_moments(Distribution::erlang(50, 10.0), 10.0, 2.0, 33);
}

TEST(Erlang, FitsTheErlangCdf) {
  for (const auto& [k, mean] :
       std::vector<std::pair<int, double>>{{1, 2.0}, {3, 6.0}, {50, 10.0}}) {
    SCOPED_TRACE("k " + std::to_string(k));
    check_ks(
        Distribution::erlang(k, mean),
        [k = k, mean = mean](double x) { return erlang_cdf(k, mean, x); }, 34);
  }
}

TEST(Erlang, ConsumesKDraws) {
  expect_draws_per_sample(Distribution::erlang(1, 1.0), 1);
  expect_draws_per_sample(Distribution::erlang(7, 1.0), 7);
  EXPECT_EQ(Distribution::erlang(7, 1.0).phases(), 7);
}

TEST(Erlang, ManyPhasesDoNotUnderflow) {
  // A product of 1000 uniforms underflows to 0 (its log to -inf); a sum of
  // logs does not.
  const auto d = Distribution::erlang(1000, 5.0);
  auto rng = RandomStream::derive(35, 0, "erlang/1000");
  for (int i = 0; i < 200; ++i) {
    const double x = d.sample(rng);
    ASSERT_TRUE(std::isfinite(x));
    ASSERT_NEAR(x, 5.0, 5.0 * 6.0 / std::sqrt(1000.0));
  }
}

// ---- lognormal --------------------------------------------------------------------

TEST(Lognormal, MomentsAreThoseOfTheVariableNotItsLogarithm) {
  check_moments(Distribution::lognormal(10.0, 5.0), 10.0, 25.0, 41);
  check_moments(Distribution::lognormal(180.0, 54.0), 180.0, 54.0 * 54.0, 42);
}

TEST(Lognormal, FitsItsCdf) {
  // Includes a heavy-tailed case (sd twice the mean), where only the CDF is
  // checked: its sample variance converges too slowly for a moment test.
  for (const auto& [mean, sd] :
       std::vector<std::pair<double, double>>{{10.0, 5.0}, {180.0, 54.0}, {1.0, 2.0}}) {
    SCOPED_TRACE("mean " + std::to_string(mean) + " sd " + std::to_string(sd));
    check_ks(
        Distribution::lognormal(mean, sd),
        [mean = mean, sd = sd](double x) { return lognormal_cdf(mean, sd, x); }, 43);
  }
}

TEST(Lognormal, HeavyTailKeepsItsMean) {
  // sd = 2 * mean: the median is mean / sqrt(5); the mean still has to come out.
  const auto m = test::moments(draw(Distribution::lognormal(1.0, 2.0), 44, 1'000'000));
  EXPECT_NEAR(m.mean, 1.0, se_tolerance * m.mean_se);
}

TEST(Lognormal, ConsumesOneDraw) {
  expect_draws_per_sample(Distribution::lognormal(5.0, 1.0), 1);
}

TEST(Lognormal, ZeroSdIsItsMean) {
  const auto d = Distribution::lognormal(4.0, 0.0);
  EXPECT_EQ(d.variance(), 0.0);
  for (const double x : draw(d, 45, 100)) ASSERT_EQ(x, 4.0);
}

// ---- hyperexponential --------------------------------------------------------------

TEST(Hyperexponential, MomentsMatch) {
  // mean = 0.9*1 + 0.1*10 = 1.9; E[X^2] = 2*(0.9*1 + 0.1*100) = 21.8.
  check_moments(Distribution::hyperexponential({1.0, 10.0}, {0.9, 0.1}), 1.9, 21.8 - 1.9 * 1.9, 51);
  // Three phases, a zero-probability one in the middle.
  check_moments(Distribution::hyperexponential({2.0, 1000.0, 0.5}, {0.5, 0.0, 0.5}), 1.25,
                2.0 * (0.5 * 4.0 + 0.5 * 0.25) - 1.25 * 1.25, 52);
}

TEST(Hyperexponential, FitsItsCdf) {
  const std::vector<double> means{1.0, 10.0, 0.2};
  const std::vector<double> probs{0.6, 0.1, 0.3};
  check_ks(
      Distribution::hyperexponential(means, probs),
      [&](double x) {
        if (x <= 0.0) return 0.0;
        double f = 0.0;
        for (std::size_t i = 0; i < means.size(); ++i) f += probs[i] * -std::expm1(-x / means[i]);
        return f;
      },
      53);
}

TEST(Hyperexponential, ConsumesTwoDraws) {
  expect_draws_per_sample(Distribution::hyperexponential({1.0, 10.0}, {0.9, 0.1}), 2);
}

// ---- empirical -------------------------------------------------------------------------

TEST(Empirical, MomentsMatch) {
  // mean = 0.2 + 1.0 + 1.5 = 2.7; E[X^2] = 0.2 + 2.0 + 7.5 = 9.7.
  check_moments(Distribution::empirical({1.0, 2.0, 5.0}, {0.2, 0.5, 0.3}), 2.7, 9.7 - 2.7 * 2.7,
                61);
}

TEST(Empirical, FrequenciesFitByChiSquare) {
  const std::vector<double> values{0.0, 1.5, 3.0, 10.0, 60.0};
  const std::vector<double> probs{0.05, 0.25, 0.4, 0.2, 0.1};
  const auto d = Distribution::empirical(values, probs);
  std::vector<std::uint64_t> counts(values.size(), 0);
  for (const double x : draw(d, 62)) {
    const auto it = std::find(values.begin(), values.end(), x);
    ASSERT_NE(it, values.end()) << "drew " << x << ", not one of the values";
    ++counts[static_cast<std::size_t>(it - values.begin())];
  }
  const double stat = test::chi_square(counts, probs);
  EXPECT_LT(stat, test::chi_square_critical(static_cast<double>(values.size() - 1))) << stat;
}

TEST(Empirical, ZeroProbabilityValuesAreNeverDrawn) {
  const auto d = Distribution::empirical({7.0, 8.0, 9.0, 10.0}, {0.0, 0.5, 0.0, 0.5});
  for (const double x : draw(d, 63, 50'000)) ASSERT_TRUE(x == 8.0 || x == 10.0) << x;
}

TEST(Empirical, SingleValueAndOneDraw) {
  const auto d = Distribution::empirical({4.0}, {1.0});
  EXPECT_EQ(d.mean(), 4.0);
  EXPECT_EQ(d.variance(), 0.0);
  for (const double x : draw(d, 64, 100)) ASSERT_EQ(x, 4.0);
  expect_draws_per_sample(Distribution::empirical({1.0, 2.0}, {0.5, 0.5}), 1);
}

// ---- parameters ----------------------------------------------------------------------------

TEST(DistributionFactories, RejectBadParameters) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(Distribution::deterministic(-1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::deterministic(nan), std::invalid_argument);
  EXPECT_THROW(Distribution::deterministic(inf), std::invalid_argument);

  EXPECT_THROW(Distribution::exponential(0.0), std::invalid_argument);
  EXPECT_THROW(Distribution::exponential(-2.0), std::invalid_argument);
  EXPECT_THROW(Distribution::exponential(nan), std::invalid_argument);
  EXPECT_THROW(Distribution::exponential(inf), std::invalid_argument);

  EXPECT_THROW(Distribution::uniform(-1.0, 2.0), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(3.0, 2.0), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(0.0, inf), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(nan, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::uniform(0.0, nan), std::invalid_argument);

  EXPECT_THROW(Distribution::erlang(0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::erlang(-3, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::erlang(1001, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::erlang(2, 0.0), std::invalid_argument);
  EXPECT_THROW(Distribution::erlang(2, nan), std::invalid_argument);

  EXPECT_THROW(Distribution::lognormal(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::lognormal(-1.0, 1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::lognormal(1.0, -1.0), std::invalid_argument);
  EXPECT_THROW(Distribution::lognormal(1.0, nan), std::invalid_argument);
  EXPECT_THROW(Distribution::lognormal(inf, 1.0), std::invalid_argument);

  EXPECT_THROW(Distribution::hyperexponential({1.0, 2.0}, {1.0}), std::invalid_argument);
  EXPECT_THROW(Distribution::hyperexponential({}, {}), std::invalid_argument);
  EXPECT_THROW(Distribution::hyperexponential({1.0, 2.0}, {0.5, 0.6}), std::invalid_argument);
  EXPECT_THROW(Distribution::hyperexponential({1.0, 2.0}, {1.5, -0.5}), std::invalid_argument);
  EXPECT_THROW(Distribution::hyperexponential({0.0, 2.0}, {0.5, 0.5}), std::invalid_argument);
  EXPECT_THROW(Distribution::hyperexponential({1.0, 2.0}, {nan, 0.5}), std::invalid_argument);

  EXPECT_THROW(Distribution::empirical({1.0, 2.0}, {1.0}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({}, {}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({1.0, 2.0}, {0.2, 0.3}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({-1.0, 2.0}, {0.5, 0.5}), std::invalid_argument);
  EXPECT_THROW(Distribution::empirical({inf, 2.0}, {0.5, 0.5}), std::invalid_argument);
}

TEST(DistributionFactories, MessagesNameTheParameter) {
  const auto message = [](auto&& make) -> std::string {
    try {
      make();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "(no exception)";
  };
  EXPECT_NE(message([] { Distribution::exponential(-1.0); }).find("'mean'"), std::string::npos);
  EXPECT_NE(message([] { Distribution::uniform(3.0, 2.0); }).find("'max'"), std::string::npos);
  EXPECT_NE(message([] { Distribution::erlang(0, 1.0); }).find("'k'"), std::string::npos);
  EXPECT_NE(message([] { Distribution::lognormal(1.0, -1.0); }).find("'sd'"), std::string::npos);
  EXPECT_NE(message([] { Distribution::empirical({1.0}, {0.5}); }).find("'probs'"),
            std::string::npos);
}

TEST(DistributionFactories, AcceptBoundaryParameters) {
  EXPECT_NO_THROW(Distribution::deterministic(0.0));
  EXPECT_NO_THROW(Distribution::uniform(0.0, 0.0));
  EXPECT_NO_THROW(Distribution::erlang(1000, 1.0));
  EXPECT_NO_THROW(Distribution::lognormal(1.0, 0.0));
  EXPECT_NO_THROW(Distribution::empirical({0.0}, {1.0}));
  // Probabilities summing to 1 up to rounding (0.1 * 10 is not exactly 1).
  EXPECT_NO_THROW(
      Distribution::empirical(std::vector<double>(10, 1.0), std::vector<double>(10, 0.1)));
}

TEST(DistributionFactories, KeepParametersAsGiven) {
  const auto u = Distribution::uniform(2.0, 7.0);
  EXPECT_EQ(u.param_a(), 2.0);
  EXPECT_EQ(u.param_b(), 7.0);
  const auto l = Distribution::lognormal(180.0, 54.0);
  EXPECT_EQ(l.param_a(), 180.0);
  EXPECT_EQ(l.param_b(), 54.0);
  const auto h = Distribution::hyperexponential({1.0, 10.0}, {0.9, 0.1});
  EXPECT_EQ(h.points(), (std::vector<double>{1.0, 10.0}));
  EXPECT_EQ(h.probabilities(), (std::vector<double>{0.9, 0.1}));
  EXPECT_STREQ(Distribution::kind_name(Distribution::Kind::hyperexponential), "hyperexponential");
  EXPECT_STREQ(Distribution::kind_name(Distribution::Kind::empirical), "empirical");
}

// ---- normal quantile ---------------------------------------------------------------------

TEST(NormalQuantile, KnownValues) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-15);
  EXPECT_NEAR(normal_quantile(0.025), -1.959963984540054, 1e-15);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_NEAR(normal_quantile(0.8413447460685429), 1.0, 1e-14);
  EXPECT_NEAR(normal_quantile(0.995), 2.5758293035489004, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-13);
  EXPECT_NEAR(normal_quantile(1e-300), -37.047096299361199, 1e-12);
}

TEST(NormalQuantile, IsAntisymmetric) {
  // Dyadic p, so that 1 - p is exact and any asymmetry is the algorithm's.
  for (const double p : {0x1.0p-40, 0x1.0p-20, 0x1.0p-10, 0.015625, 0.125, 0.25, 0.375, 0.4375}) {
    EXPECT_NEAR(normal_quantile(p), -normal_quantile(1.0 - p),
                1e-13 * std::fabs(normal_quantile(p)))
        << "p = " << p;
  }
}

TEST(NormalQuantile, InvertsTheNormalCdf) {
  for (const double p :
       {1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.02425, 0.1, 0.3, 0.5, 0.7, 0.97575, 0.999}) {
    const double z = normal_quantile(p);
    const double back = 0.5 * std::erfc(-z / std::sqrt(2.0));
    EXPECT_NEAR(back / p, 1.0, 1e-12) << "p = " << p;
  }
}

TEST(NormalQuantile, EdgesAndInvalidInput) {
  EXPECT_EQ(normal_quantile(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(normal_quantile(1.0), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(normal_quantile(-0.1)));
  EXPECT_TRUE(std::isnan(normal_quantile(1.1)));
  EXPECT_TRUE(std::isnan(normal_quantile(std::numeric_limits<double>::quiet_NaN())));
  // The largest double below 1 still gives a finite quantile.
  EXPECT_TRUE(std::isfinite(normal_quantile(std::nextafter(1.0, 0.0))));
}

}  // namespace
}  // namespace telsim::sim

TEST(NormalQuantileEdge, LargestDoubleBelowOneHasAFiniteQuantile) {
  // The lognormal sampler maps a uniform of exactly 1 to this value.
  EXPECT_TRUE(std::isfinite(telsim::sim::normal_quantile(std::nextafter(1.0, 0.0))));
  EXPECT_FALSE(std::isfinite(telsim::sim::normal_quantile(1.0 - 0x1.0p-54)));
}
