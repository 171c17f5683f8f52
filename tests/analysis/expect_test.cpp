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

TEST(JunitXml, EscapesAndCountsFailures) {
  CheckResult passed{{"traffic.a<b>.calls", std::nullopt, 5.0}, true, 1.0, "ok & fine"};
  CheckResult failed{{"traffic.\"q\".calls", 1.0, std::nullopt}, false, 0.5, "0.5 < min 1\x01"};
  const std::string xml = junit_xml("metro & co", {passed, failed}, 1.25);
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
