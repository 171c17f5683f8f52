// `expect` and `precision` metrics are checked at load time against the
// statistics the recorder writes for the scenario (SPEC §4): an unknown
// section, group, relation, policy instance or figure is an error at the
// metric value, with a suggestion.
#include <gtest/gtest.h>

#include "../../scenarios/src/recorder.hpp"
#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using testing::error_of;
using testing::load;
using testing::with;

// small_scenario has 23 lines; the expect list starts on line 24.
std::string expect_on(const std::string& metric) {
  return with("expect:\n  - metric: " + metric + "\n    max: 1\n");
}

std::string expect_error(const std::string& metric) {
  return error_of(expect_on(metric));
}

TEST(MetricPaths, EveryFigureTheRecorderWritesIsAccepted) {
  const Scenario s = load(testing::small_scenario);
  const analysis::MetricPaths paths = detail::metric_paths(s);
  // SPEC §5's figures, and the policy block's request counts.
  for (const char* p :
       {"trunk_groups.AB.call_blocking", "trunk_groups.AB.carried_erlangs",
        "traffic.homes-to-shops.first_attempt_failure.busy",
        "traffic.homes-to-shops.outcome.cancelled", "traffic.homes-to-shops.caller_busy",
        "traffic.homes-to-shops.completion_latency.p90", "policies.retry.requests.refused",
        "policies.retry.calls"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p;
  }
  for (const auto& p : paths) EXPECT_EQ(expect_error(p), "") << p;
}

TEST(MetricPaths, CountedWithoutBuildingThem) {
  // The work estimate counts paths without writing 900,000 strings for a
  // national network; the count must be the recorder's own.
  const Scenario s = load(testing::small_scenario);
  ASSERT_FALSE(s.network.policies.empty());
  ASSERT_FALSE(s.network.trunk_groups.empty());
  EXPECT_EQ(detail::metric_count(s), detail::metric_paths(s).size());
}

TEST(MetricPaths, MisspeltFigure) {
  EXPECT_EQ(expect_error("trunk_groups.AB.carried_erlang"),
            "test.yaml:25:13: error: 'expect.metric' 'trunk_groups.AB.carried_erlang': unknown "
            "figure 'carried_erlang' of trunk group 'AB' (did you mean 'carried_erlangs'?)");
}

TEST(MetricPaths, UnknownGroupRelationPolicySection) {
  EXPECT_EQ(expect_error("trunk_groups.XY.call_blocking"),
            "test.yaml:25:13: error: 'expect.metric' 'trunk_groups.XY.call_blocking': unknown "
            "trunk group 'XY' (did you mean 'AB'?)");
  EXPECT_EQ(expect_error("traffic.homes-to-shop.calls"),
            "test.yaml:25:13: error: 'expect.metric' 'traffic.homes-to-shop.calls': unknown "
            "relation 'homes-to-shop' (did you mean 'homes-to-shops'?)");
  EXPECT_EQ(expect_error("policies.retyr.calls"),
            "test.yaml:25:13: error: 'expect.metric' 'policies.retyr.calls': unknown policy "
            "instance 'retyr' (did you mean 'retry'?)");
  EXPECT_EQ(expect_error("trunk_group.AB.call_blocking"),
            "test.yaml:25:13: error: 'expect.metric' 'trunk_group.AB.call_blocking': unknown "
            "section 'trunk_group' (did you mean 'trunk_groups'?)");
  EXPECT_EQ(expect_error("engine.events"),
            "test.yaml:25:13: error: 'expect.metric' 'engine.events': unknown section 'engine' "
            "(a check names a statistic under trunk_groups, traffic or policies)");
}

TEST(MetricPaths, WrongNesting) {
  EXPECT_EQ(expect_error("traffic.homes-to-shops.busy"),
            "test.yaml:25:13: error: 'expect.metric' 'traffic.homes-to-shops.busy': unknown "
            "figure 'busy' of relation 'homes-to-shops' (did you mean "
            "'first_attempt_failure.busy'?)");
  EXPECT_EQ(expect_error("traffic.homes-to-shops.outcome.busy"),
            "test.yaml:25:13: error: 'expect.metric' 'traffic.homes-to-shops.outcome.busy': "
            "unknown figure 'outcome.busy' of relation 'homes-to-shops' (did you mean "
            "'first_attempt_failure.busy'?)");
  EXPECT_EQ(expect_error("traffic.homes-to-shops.calls.mean"),
            "test.yaml:25:13: error: 'expect.metric' 'traffic.homes-to-shops.calls.mean': "
            "unknown figure 'calls.mean' of relation 'homes-to-shops' (did you mean 'calls'?)");
  EXPECT_NE(expect_error("traffic.homes-to-shops.completion_latency")
                .find("'completion_latency' of relation 'homes-to-shops' is a group of figures, "
                      "not one: name one of completion_latency.mean, completion_latency.p50"),
            std::string::npos);
  EXPECT_EQ(expect_error("trunk_groups.AB"),
            "test.yaml:25:13: error: 'expect.metric' 'trunk_groups.AB': names trunk group 'AB', "
            "not one of its figures, e.g. 'trunk_groups.AB.call_blocking'");
  // caller_busy is per relation only (SPEC §5), requests per policy only.
  EXPECT_NE(expect_error("policies.retry.caller_busy").find("unknown figure 'caller_busy'"),
            std::string::npos);
  EXPECT_NE(expect_error("traffic.homes-to-shops.requests.refused")
                .find("unknown figure 'requests.refused'"),
            std::string::npos);
}

TEST(MetricPaths, LeavesThatAreNotStatistics) {
  EXPECT_NE(expect_error("traffic.homes-to-shops.completion_latency_histogram")
                .find("is a histogram, not a statistic"),
            std::string::npos);
  EXPECT_NE(expect_error("policies.retry.type").find("is its policy type, not a statistic"),
            std::string::npos);
}

TEST(MetricPaths, PrecisionMetricIsCheckedTheSameWay) {
  EXPECT_EQ(error_of(with("precision: {metric: trunk_groups.AB.call_blockng}\n")),
            "test.yaml:24:21: error: 'precision.metric' 'trunk_groups.AB.call_blockng': unknown "
            "figure 'call_blockng' of trunk group 'AB' (did you mean 'call_blocking'?)");
}

TEST(MetricPaths, SetOverridesAreCheckedToo) {
  // A --set value is reported at --set:1:COLUMN like any other.
  EXPECT_NE(error_of(testing::small_scenario,
                     {"expect=[{metric: trunk_groups.AC.call_blocking, max: 0.01}]"})
                .find("unknown trunk group 'AC' (did you mean 'AB'?)"),
            std::string::npos);
}

}  // namespace
}  // namespace telsim::scenarios
