#include "telsim/analysis/statistic.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace telsim::analysis {
namespace {

struct QuantileCase {
  double p;
  int df;
  double expected;  // from mpmath, 30 digits, inverting the regularised incomplete beta
};

TEST(StudentTQuantile, MatchesHighPrecisionReference) {
  const std::vector<QuantileCase> cases{
      {0.975, 1, 12.706204736174693314},    {0.975, 2, 4.3026527297494617894},
      {0.975, 3, 3.1824463052837084359},    {0.975, 5, 2.5705818356363147828},
      {0.975, 10, 2.2281388519862742245},   {0.975, 30, 2.0422724563012378878},
      {0.975, 1000, 1.9623390808264081039}, {0.975, 100000, 1.9599877075346092587},
      {0.995, 1, 63.656741162871524447},    {0.995, 2, 9.9248432009182886403},
      {0.995, 5, 4.0321429835552271793},    {0.995, 30, 2.7499956535672249664},
      {0.995, 1000, 2.5807546980659507706}, {0.9, 3, 1.6377443536962103222},
      {0.9, 10, 1.3721836411103357746},     {0.9, 1000, 1.282398721460924564},
  };
  for (const auto& c : cases) {
    const double t = student_t_quantile(c.p, c.df);
    EXPECT_NEAR(t, c.expected, 1e-9 * std::max(1.0, c.expected)) << "p=" << c.p << " df=" << c.df;
  }
}

TEST(StudentTQuantile, IsAntisymmetricAndZeroAtTheMedian) {
  for (int df : {1, 2, 3, 7, 50}) {
    EXPECT_EQ(student_t_quantile(0.5, df), 0.0);
    EXPECT_NEAR(student_t_quantile(0.025, df), -student_t_quantile(0.975, df), 1e-12);
  }
}

TEST(StudentTQuantile, ApproachesTheNormalQuantileForHugeDf) {
  EXPECT_NEAR(student_t_quantile(0.975, 1'000'000'000), 1.959963984540054, 1e-8);
}

TEST(StudentTQuantile, RejectsBadArguments) {
  EXPECT_THROW(student_t_quantile(0.0, 5), std::invalid_argument);
  EXPECT_THROW(student_t_quantile(1.0, 5), std::invalid_argument);
  EXPECT_THROW(student_t_quantile(std::nan(""), 5), std::invalid_argument);
  EXPECT_THROW(student_t_quantile(0.975, 0), std::invalid_argument);
}

TEST(Summarize, MeanAndStudentIntervalOverReplicationsWithData) {
  const std::vector<std::optional<double>> values{1.0, std::nullopt, 2.0, 3.0, 6.0};
  const Statistic s = summarize(values);
  EXPECT_EQ(s.n, 4u);
  ASSERT_TRUE(s.mean);
  EXPECT_DOUBLE_EQ(*s.mean, 3.0);
  // sample sd = sqrt(((-2)^2 + 1 + 0 + 9) / 3) = sqrt(14/3); t(0.975, 3) = 3.18244630528...
  ASSERT_TRUE(s.ci95);
  EXPECT_NEAR(*s.ci95, 3.1824463052837084 * std::sqrt(14.0 / 3.0) / 2.0, 1e-12);
  ASSERT_EQ(s.values.size(), 5u);
  EXPECT_FALSE(s.values[1]);
  EXPECT_EQ(s.values[3], 3.0);
}

TEST(Summarize, OneReplicationHasNoInterval) {
  const std::vector<std::optional<double>> values{std::nullopt, 0.25};
  const Statistic s = summarize(values);
  EXPECT_EQ(s.n, 1u);
  EXPECT_EQ(s.mean, 0.25);
  EXPECT_FALSE(s.ci95);
}

TEST(Summarize, NoDataGivesNullMean) {
  const std::vector<std::optional<double>> values{std::nullopt, std::nullopt};
  const Statistic s = summarize(values);
  EXPECT_EQ(s.n, 0u);
  EXPECT_FALSE(s.mean);
  EXPECT_FALSE(s.ci95);
  EXPECT_EQ(s.values.size(), 2u);
}

TEST(Summarize, NonFiniteValuesCountAsNoData) {
  const std::vector<std::optional<double>> values{1.0, std::numeric_limits<double>::quiet_NaN(),
                                                  3.0, std::numeric_limits<double>::infinity()};
  const Statistic s = summarize(values);
  EXPECT_EQ(s.n, 2u);
  EXPECT_EQ(s.mean, 2.0);
  EXPECT_FALSE(s.values[1]);
  EXPECT_FALSE(s.values[3]);
}

TEST(Summarize, IdenticalValuesHaveZeroWidthEvenWithALargeOffset) {
  const std::vector<std::optional<double>> values{1e12 + 0.5, 1e12 + 0.5, 1e12 + 0.5};
  const Statistic s = summarize(values);
  EXPECT_EQ(s.mean, 1e12 + 0.5);
  EXPECT_EQ(s.ci95, 0.0);
}

TEST(StatisticJson, HasTheSpecShapeWithNulls) {
  const std::vector<std::optional<double>> values{std::nullopt, 0.5};
  const auto json = to_json(summarize(values));
  EXPECT_EQ(json.dump(), R"({"mean":0.5,"ci95":null,"n":1,"values":[null,0.5]})");
  const std::vector<std::optional<double>> empty{std::nullopt};
  EXPECT_EQ(to_json(summarize(empty)).dump(), R"({"mean":null,"ci95":null,"n":0,"values":[null]})");
}

TEST(StatisticJson, DoublesRoundTrip) {
  const std::vector<std::optional<double>> values{0.1 + 0.2, 1.0 / 3.0};
  const auto json = to_json(summarize(values));
  const auto parsed = nlohmann::ordered_json::parse(json.dump());
  EXPECT_EQ(parsed["values"][0].get<double>(), 0.1 + 0.2);
  EXPECT_EQ(parsed["values"][1].get<double>(), 1.0 / 3.0);
}

}  // namespace
}  // namespace telsim::analysis
