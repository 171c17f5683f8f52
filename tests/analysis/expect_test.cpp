#include "telsim/analysis/expect.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

MetricTable sample_table() {
  MetricTable table;
  table.add_replication({{{"trunk_groups.AB.call_blocking", 0.0132},
                          {"traffic.x.completion_latency.p90", std::nullopt}}});
  return table;
}

TEST(Evaluate, ReportsEachKindOfVerdict) {
  const std::vector<ExpectCheck> checks{
      {"trunk_groups.AB.call_blocking", std::nullopt, 0.01},
      {"trunk_groups.AB.call_blocking", 0.001, 0.02},
      {"trunk_groups.AB.call_blocking", 0.02, std::nullopt},
      {"traffic.x.completion_latency.p90", std::nullopt, 120.0},
      {"trunk_groups.AX.call_blocking", std::nullopt, 0.01},
      {"trunk_groups.AB.call_blocking", std::nullopt, std::nullopt},
  };
  const auto results = evaluate(checks, sample_table());
  ASSERT_EQ(results.size(), checks.size());
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].mean, 0.0132);
  EXPECT_EQ(results[0].message, "trunk_groups.AB.call_blocking mean 0.0132 > max 0.01");
  EXPECT_TRUE(results[1].passed);
  EXPECT_EQ(results[1].message,
            "trunk_groups.AB.call_blocking mean 0.0132 >= min 0.001, <= max 0.02");
  EXPECT_FALSE(results[2].passed);
  EXPECT_EQ(results[2].message, "trunk_groups.AB.call_blocking mean 0.0132 < min 0.02");
  EXPECT_FALSE(results[3].passed);
  EXPECT_EQ(results[3].message, "traffic.x.completion_latency.p90 has no data (mean is null)");
  EXPECT_FALSE(results[4].passed);
  EXPECT_EQ(results[4].message,
            "trunk_groups.AX.call_blocking: unknown metric (did you mean "
            "'trunk_groups.AB.call_blocking'?)");
  EXPECT_FALSE(results[5].passed);
}

TEST(Evaluate, ShowsEnoughDigitsToTellCloseNumbersApart) {
  MetricTable table;
  table.add_replication({{{"traffic.x.calls", 0.0100000001}}});
  const auto results = evaluate({{"traffic.x.calls", std::nullopt, 0.01}}, table);
  EXPECT_EQ(results[0].message, "traffic.x.calls mean 0.0100000001 > max 0.01");
}

// Three replications 0.008, 0.009, 0.010: mean 0.009, sd 0.001, ci95 = t(0.975, 2) x
// 0.001 / sqrt(3) = 4.302653 x 0.000577350 = 0.00248414: the interval [0.00651586,
// 0.0114841].
MetricTable three_replications() {
  MetricTable table;
  for (const double v : {0.008, 0.009, 0.010}) {
    table.add_replication({{{"trunk_groups.AB.call_blocking", v}}});
  }
  return table;
}

ExpectCheck on_ci(std::optional<double> min, std::optional<double> max) {
  return {"trunk_groups.AB.call_blocking", min, max, ExpectBound::ci};
}

TEST(Evaluate, BoundCiPassesOnTheMeanButFailsOnTheInterval) {
  const MetricTable table = three_replications();
  const ExpectCheck on_mean{"trunk_groups.AB.call_blocking", std::nullopt, 0.011};
  const auto results = evaluate({on_mean, on_ci(std::nullopt, 0.011)}, table);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].passed) << results[0].message;
  EXPECT_EQ(results[0].message, "trunk_groups.AB.call_blocking mean 0.009 <= max 0.011");
  EXPECT_FALSE(results[1].passed);
  ASSERT_TRUE(results[1].mean);
  EXPECT_DOUBLE_EQ(*results[1].mean, 0.009);
  EXPECT_EQ(results[1].message,
            "trunk_groups.AB.call_blocking 95% CI [0.00651586, 0.0114841] (mean 0.009 ± "
            "0.00248414): upper end 0.0114841 > max 0.011");
}

TEST(Evaluate, BoundCiChecksEachEndAgainstItsBound) {
  const MetricTable table = three_replications();
  const auto results = evaluate(
      {on_ci(0.007, std::nullopt), on_ci(0.006, 0.012), on_ci(0.006, std::nullopt)}, table);
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].message,
            "trunk_groups.AB.call_blocking 95% CI [0.00651586, 0.0114841] (mean 0.009 ± "
            "0.00248414): lower end 0.00651586 < min 0.007");
  EXPECT_TRUE(results[1].passed) << results[1].message;
  EXPECT_EQ(results[1].message,
            "trunk_groups.AB.call_blocking 95% CI [0.00651586, 0.0114841] (mean 0.009 ± "
            "0.00248414): lower end 0.00651586 >= min 0.006, upper end 0.0114841 <= max 0.012");
  EXPECT_TRUE(results[2].passed) << results[2].message;
  EXPECT_EQ(results[2].message,
            "trunk_groups.AB.call_blocking 95% CI [0.00651586, 0.0114841] (mean 0.009 ± "
            "0.00248414): lower end 0.00651586 >= min 0.006");
}

TEST(Evaluate, BoundCiFailsWhenTheIntervalIsUnknown) {
  // One replication: ci95 is null (SPEC §5), so the interval cannot be shown to lie within
  // the bounds, however far inside them the mean is.
  const auto results = evaluate({on_ci(0.0, 1.0)}, sample_table());
  EXPECT_FALSE(results[0].passed);
  EXPECT_EQ(results[0].mean, 0.0132);
  EXPECT_EQ(results[0].message,
            "trunk_groups.AB.call_blocking 95% CI is unknown (ci95 is null with 1 replication "
            "with data; bound: ci needs at least 2), mean 0.0132");
  // A null mean is reported as on the mean.
  const auto null = evaluate(
      {{"traffic.x.completion_latency.p90", std::nullopt, 120.0, ExpectBound::ci}}, sample_table());
  EXPECT_EQ(null[0].message, "traffic.x.completion_latency.p90 has no data (mean is null)");
}

TEST(Evaluate, BoundCiWithAZeroWidthIntervalIsTheMean) {
  MetricTable table;
  for (int r = 0; r < 2; ++r) table.add_replication({{{"traffic.x.calls", 5.0}}});
  const auto results = evaluate({{"traffic.x.calls", 5.0, 5.0, ExpectBound::ci}}, table);
  EXPECT_TRUE(results[0].passed) << results[0].message;
  EXPECT_EQ(results[0].message,
            "traffic.x.calls 95% CI [5, 5] (mean 5 ± 0): lower end 5 >= min 5, upper end 5 <= "
            "max 5");
}

TEST(ExpectBound, SpelledAsInTheScenario) {
  EXPECT_EQ(to_string(ExpectBound::mean), "mean");
  EXPECT_EQ(to_string(ExpectBound::ci), "ci");
}

TEST(JunitXml, NamesACiCheckByItsBound) {
  const CheckResult result{on_ci(std::nullopt, 0.01), false, 0.009, "out"};
  const std::string xml = junit_xml("s", {result}, 0.0);
  EXPECT_NE(xml.find("<testcase name=\"trunk_groups.AB.call_blocking &lt;= 0.01 (95% CI)\""),
            std::string::npos)
      << xml;
}

TEST(JunitXml, EscapesAndCountsFailures) {
  // Field by field: GCC 12 at -O3 misreads nested braces copied into a list here.
  std::vector<CheckResult> results(2);
  results[0].check.metric = "traffic.a<b>.calls";
  results[0].check.max = 5.0;
  results[0].passed = true;
  results[0].mean = 1.0;
  results[0].message = "ok & fine";
  results[1].check.metric = "traffic.\"q\".calls";
  results[1].check.min = 1.0;
  results[1].passed = false;
  results[1].mean = 0.5;
  results[1].message = "0.5 < min 1\x01";
  const std::string xml = junit_xml("metro & co", results, 1.25);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  EXPECT_NE(xml.find("<testsuite name=\"metro &amp; co\" tests=\"2\" failures=\"1\""),
            std::string::npos);
  EXPECT_NE(xml.find("time=\"1.250\""), std::string::npos);
  EXPECT_NE(xml.find("<testcase name=\"traffic.a&lt;b&gt;.calls &lt;= 5\""), std::string::npos);
  EXPECT_NE(xml.find("ok &amp; fine"), std::string::npos);
  EXPECT_NE(xml.find("name=\"traffic.&quot;q&quot;.calls &gt;= 1\""), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"0.5 &lt; min 1\xEF\xBF\xBD\" type=\"expect\">"),
            std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find("a<b"), std::string::npos);
  // Balanced: one opening and one closing tag per test case.
  std::size_t open = 0, close = 0;
  for (std::size_t at = 0; (at = xml.find("<testcase ", at)) != std::string::npos; ++at) ++open;
  for (std::size_t at = 0; (at = xml.find("</testcase>", at)) != std::string::npos; ++at) ++close;
  EXPECT_EQ(open, 2u);
  EXPECT_EQ(close, 2u);
  EXPECT_NE(xml.find("</testsuites>\n"), std::string::npos);
}

TEST(JunitXml, EmptyReport) {
  const std::string xml = junit_xml("none", {}, 0.0);
  EXPECT_NE(xml.find("tests=\"0\" failures=\"0\""), std::string::npos);
}

}  // namespace
}  // namespace telsim::analysis
