// Paired differences and the unpaired Welch interval (analysis/paired.hpp).
#include "telsim/analysis/paired.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

namespace telsim::analysis {
namespace {

using Values = std::vector<std::optional<double>>;

TEST(PairedDifference, IsAlternativeMinusBaselineReplicationByReplication) {
  const Values base{1.0, 2.0, 3.0, 4.0};
  const Values alt{1.5, 2.4, 3.6, 4.3};
  const Statistic d = paired_difference(alt, base);
  ASSERT_EQ(d.values.size(), 4u);
  EXPECT_NEAR(*d.values[0], 0.5, 1e-12);
  EXPECT_NEAR(*d.values[3], 0.3, 1e-12);
  EXPECT_EQ(d.n, 4u);
  EXPECT_NEAR(*d.mean, 0.45, 1e-12);
  // sd of {0.5, 0.4, 0.6, 0.3} = 0.1290994; t(0.975, 3) = 3.1824463
  EXPECT_NEAR(*d.ci95, 3.182446305284263 * 0.12909944487358 / 2.0, 1e-9);
  EXPECT_TRUE(excludes_zero(d));
}

TEST(PairedDifference, SkipsReplicationsWhereEitherHasNoData) {
  const Values base{1.0, std::nullopt, 3.0, NAN};
  const Values alt{2.0, 5.0, std::nullopt, 4.0, 9.0};
  const Statistic d = paired_difference(alt, base);
  ASSERT_EQ(d.values.size(), 5u);  // the longer span
  EXPECT_EQ(d.n, 1u);
  EXPECT_EQ(*d.mean, 1.0);
  EXPECT_FALSE(d.ci95.has_value());
  EXPECT_FALSE(d.values[1].has_value());
  EXPECT_FALSE(d.values[3].has_value());
  EXPECT_FALSE(d.values[4].has_value());
  EXPECT_FALSE(excludes_zero(d));
}

TEST(PairedDifference, NoDataGivesNullMean) {
  const Statistic d = paired_difference(Values{}, Values{});
  EXPECT_EQ(d.n, 0u);
  EXPECT_FALSE(d.mean.has_value());
  EXPECT_FALSE(excludes_zero(d));
}

TEST(PairedDifference, CorrelatedPairsGiveANarrowerIntervalThanWelch) {
  // A common replication effect (+-10) plus a small shift of 1: pairing removes the effect.
  Values base, alt;
  for (int r = 0; r < 10; ++r) {
    const double common = 10.0 * std::sin(r * 1.7);
    base.push_back(100 + common);
    alt.push_back(101 + common + 0.1 * std::cos(r * 2.3));
  }
  const Statistic paired = paired_difference(alt, base);
  const WelchDifference welch = welch_difference(alt, base);
  EXPECT_NEAR(*paired.mean, *welch.mean, 1e-9);
  EXPECT_LT(*paired.ci95 * 20, *welch.ci95);
  EXPECT_TRUE(excludes_zero(paired));
}

TEST(WelchDifference, MatchesAHandComputedInterval) {
  const Values a{1.0, 2.0, 3.0};       // mean 2, var 1
  const Values b{2.0, 4.0, 6.0, 8.0};  // mean 5, var 6.6667
  const WelchDifference w = welch_difference(a, b);
  EXPECT_NEAR(*w.mean, -3.0, 1e-12);
  const double va = 1.0 / 3, vb = (20.0 / 3) / 4;
  const double df = (va + vb) * (va + vb) / (va * va / 2 + vb * vb / 3);
  EXPECT_NEAR(w.degrees_of_freedom, df, 1e-12);
  EXPECT_NEAR(*w.ci95, student_t_quantile(0.975, static_cast<int>(df)) * std::sqrt(va + vb), 1e-12);
}

TEST(WelchDifference, NeedsTwoValuesOnEachSide) {
  const WelchDifference w = welch_difference(Values{1.0}, Values{1.0, 2.0});
  EXPECT_NEAR(*w.mean, -0.5, 1e-12);
  EXPECT_FALSE(w.ci95.has_value());
  EXPECT_FALSE(welch_difference(Values{}, Values{1.0}).mean.has_value());
}

TEST(CombinedHalfWidth, IsTheRootSumOfSquares) {
  Statistic a, b;
  a.ci95 = 3.0;
  b.ci95 = 4.0;
  EXPECT_NEAR(*combined_half_width(a, b), 5.0, 1e-12);
  b.ci95.reset();
  EXPECT_FALSE(combined_half_width(a, b).has_value());
}

}  // namespace
}  // namespace telsim::analysis
