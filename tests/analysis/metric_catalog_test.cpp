#include "telsim/analysis/metric_catalog.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

// Every leaf of one trunk group, one relation and one policy instance, as
// `telsim run scenarios/library/policies-metro.yaml` writes them (the Recorder's order;
// the other groups, relations and policies repeat these with their own names).
const std::vector<std::string> kRealPaths = {
    "trunk_groups.AT.call_blocking",
    "trunk_groups.AT.time_congestion",
    "trunk_groups.AT.carried_erlangs",
    "trunk_groups.AT.overflow_calls",
    "traffic.a-to-cc.calls",
    "traffic.a-to-cc.attempts",
    "traffic.a-to-cc.caller_busy",
    "traffic.a-to-cc.first_attempt_failure.congestion",
    "traffic.a-to-cc.first_attempt_failure.busy",
    "traffic.a-to-cc.first_attempt_failure.no_answer",
    "traffic.a-to-cc.outcome.connected",
    "traffic.a-to-cc.outcome.completed",
    "traffic.a-to-cc.outcome.intruded",
    "traffic.a-to-cc.outcome.abandoned",
    "traffic.a-to-cc.outcome.expired",
    "traffic.a-to-cc.outcome.recall_failed",
    "traffic.a-to-cc.outcome.cancelled",
    "traffic.a-to-cc.outcome.cleared",
    "traffic.a-to-cc.outcome.rejected",
    "traffic.a-to-cc.outcome.unsupported",
    "traffic.a-to-cc.outcome.message",
    "traffic.a-to-cc.completion_ratio",
    "traffic.a-to-cc.completion_latency.mean",
    "traffic.a-to-cc.completion_latency.p50",
    "traffic.a-to-cc.completion_latency.p90",
    "traffic.a-to-cc.completion_latency.p95",
    "traffic.a-to-cc.completion_latency.p99",
    "traffic.a-to-cc.completion_latency_histogram",
    "traffic.a-to-cc.answer_seizure_ratio",
    "traffic.a-to-cc.completion_requests_max_outstanding",
    "policies.ccbs.calls",
    "policies.ccbs.attempts",
    "policies.ccbs.first_attempt_failure.congestion",
    "policies.ccbs.first_attempt_failure.busy",
    "policies.ccbs.first_attempt_failure.no_answer",
    "policies.ccbs.outcome.connected",
    "policies.ccbs.outcome.completed",
    "policies.ccbs.outcome.intruded",
    "policies.ccbs.outcome.abandoned",
    "policies.ccbs.outcome.expired",
    "policies.ccbs.outcome.recall_failed",
    "policies.ccbs.outcome.cancelled",
    "policies.ccbs.outcome.cleared",
    "policies.ccbs.outcome.rejected",
    "policies.ccbs.outcome.unsupported",
    "policies.ccbs.outcome.message",
    "policies.ccbs.completion_ratio",
    "policies.ccbs.completion_latency.mean",
    "policies.ccbs.completion_latency.p50",
    "policies.ccbs.completion_latency.p90",
    "policies.ccbs.completion_latency.p95",
    "policies.ccbs.completion_latency.p99",
    "policies.ccbs.completion_latency_histogram",
    "policies.ccbs.answer_seizure_ratio",
    "policies.ccbs.completion_requests_max_outstanding",
    "policies.ccbs.requests.requested",
    "policies.ccbs.requests.refused_overrun",
    "policies.ccbs.requests.refused_queue_full",
    "policies.ccbs.requests.refused_no_bridge",
    "policies.ccbs.requests.refused_cause",
    "policies.ccbs.requests.refused_unsupported",
    "policies.ccbs.requests.callee_free",
    "policies.ccbs.requests.recalled",
    "policies.ccbs.requests.recall_answered",
    "policies.ccbs.requests.message_returned",
    "policies.ccbs.requests.connected",
    "policies.ccbs.requests.expired",
    "policies.ccbs.requests.abandoned",
    "policies.ccbs.requests.recall_failed",
    "policies.ccbs.requests.cancelled",
    "policies.ccbs.requests.setup_failed",
    "policies.ccbs.requests.refused",
};

// ---- The oracle: the rules the catalog replaced, copied as they were ----------------

bool old_ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool old_contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

/// cli/compare_command.cpp's better_direction.
Better old_better_direction(const std::string& path) {
  for (const char* lower : {".call_blocking", ".time_congestion", ".overflow_calls", ".caller_busy",
                            ".outcome.abandoned", ".outcome.expired", ".outcome.recall_failed",
                            ".outcome.cleared", ".outcome.rejected", ".outcome.unsupported"}) {
    if (old_ends_with(path, lower)) return Better::lower;
  }
  if (path.find(".completion_latency.") != std::string::npos) return Better::lower;
  if (path.find(".first_attempt_failure.") != std::string::npos) return Better::lower;
  for (const char* higher : {".completion_ratio", ".answer_seizure_ratio", ".outcome.connected",
                             ".outcome.completed", ".outcome.intruded"}) {
    if (old_ends_with(path, higher)) return Better::higher;
  }
  return Better::neither;
}

/// gui/src/mapping/metric_labels.cpp's metric_unit.
std::string old_metric_unit(const std::string& path) {
  if (old_contains(path, "completion_latency")) return "s";
  if (old_ends_with(path, ".carried_erlangs")) return "Erlang";
  if (old_ends_with(path, ".calls") || old_ends_with(path, ".attempts") ||
      old_ends_with(path, ".overflow_calls") || old_ends_with(path, ".caller_busy") ||
      old_contains(path, ".requests.") ||
      old_ends_with(path, ".completion_requests_max_outstanding")) {
    return "calls";
  }
  return "fraction";
}

/// `path` with its owner (second component) renamed.
std::string with_owner(const std::string& path, const std::string& owner) {
  const std::size_t start = path.find('.') + 1;
  const std::size_t end = path.find('.', start);
  return path.substr(0, start) + owner + path.substr(end);
}

// ---- Tests ----------------------------------------------------------------------------

TEST(MetricCatalog, EveryRealPathHasAnEntry) {
  for (const std::string& path : kRealPaths) {
    EXPECT_NE(find_metric_meaning(path), nullptr) << path;
  }
}

TEST(MetricCatalog, AgreesWithTheOldRulesOnEveryRealPath) {
  for (const std::string& path : kRealPaths) {
    EXPECT_EQ(better_direction(path), old_better_direction(path)) << path;
    EXPECT_EQ(metric_unit(path), old_metric_unit(path)) << path;
  }
}

TEST(MetricCatalog, KeepsTheOldAnswersForOwnersNamedLikeMetricWords) {
  // The old rules searched whole paths, so some names changed the answers for all of
  // their owner's metrics; names are letters, digits, '_' and '-' (SPEC §2).
  const std::vector<std::string> names = {"completion_latency",
                                          "first_attempt_failure",
                                          "requests",
                                          "x_completion_latency",
                                          "completion_latency_2",
                                          "completion_latency_histogram",
                                          "outcome",
                                          "calls",
                                          "attempts",
                                          "caller_busy",
                                          "call_blocking",
                                          "carried_erlangs",
                                          "overflow_calls",
                                          "completion_ratio",
                                          "answer_seizure_ratio",
                                          "connected",
                                          "completion_requests_max_outstanding",
                                          "type",
                                          "p95",
                                          "mean",
                                          "-",
                                          "_",
                                          "0"};
  for (const std::string& path : kRealPaths) {
    const MetricMeaning* meaning = find_metric_meaning(path);
    for (const std::string& name : names) {
      const std::string renamed = with_owner(path, name);
      EXPECT_EQ(find_metric_meaning(renamed), meaning) << renamed;
      EXPECT_EQ(better_direction(renamed), old_better_direction(renamed)) << renamed;
      EXPECT_EQ(metric_unit(renamed), old_metric_unit(renamed)) << renamed;
    }
  }
}

// Figures the results gained after the catalog replaced the suffix rules (SPEC §5, the
// overflow moments): their meanings are the catalog's own, not the old rules'.
struct NewPath {
  const char* path;
  Better better;
  const char* unit;
};
const std::vector<NewPath> kNewPaths = {
    {"trunk_groups.AT.busy_variance", Better::neither, "Erlang²"},
    {"trunk_groups.AT.peakedness", Better::neither, "ratio"},
    {"trunk_groups.AT.reservation_blocking", Better::lower, "fraction"},
    {"traffic.a-to-cc.offered_erlangs", Better::neither, "Erlang"},
};

TEST(MetricCatalog, TheOverflowMomentsAndOfferedTrafficHaveTheirOwnMeanings) {
  for (const NewPath& p : kNewPaths) {
    ASSERT_NE(find_metric_meaning(p.path), nullptr) << p.path;
    EXPECT_EQ(better_direction(p.path), p.better) << p.path;
    EXPECT_EQ(metric_unit(p.path), p.unit) << p.path;
  }
}

TEST(MetricCatalog, EveryEntryDescribesSomeRealPath) {
  std::set<const MetricMeaning*> used;
  for (const std::string& path : kRealPaths) used.insert(find_metric_meaning(path));
  for (const NewPath& p : kNewPaths) used.insert(find_metric_meaning(p.path));
  std::set<std::string_view> patterns;
  for (const MetricMeaning& m : metric_catalog()) {
    EXPECT_TRUE(used.contains(&m)) << m.pattern << " matches no path the results hold";
    EXPECT_TRUE(patterns.insert(m.pattern).second) << m.pattern << " is listed twice";
    EXPECT_FALSE(m.title.empty()) << m.pattern;
    const std::set<std::string_view> units = {"fraction", "s",     "Erlang",
                                              "Erlang²",  "calls", "ratio"};
    EXPECT_TRUE(units.contains(m.unit)) << m.pattern << ": " << m.unit;
  }
}

TEST(MetricCatalog, DimensionTargetsAreTheTrunkGroupMetricsInDimensionsOrder) {
  const std::vector<std::string_view> expected = {"call_blocking", "time_congestion",
                                                  "carried_erlangs", "overflow_calls"};
  EXPECT_EQ(dimension_target_metrics(), expected);
  for (std::string_view name : expected) {
    const MetricMeaning* m = find_metric_meaning("trunk_groups.AB." + std::string(name));
    ASSERT_NE(m, nullptr) << name;
    EXPECT_TRUE(m->dimension_target) << name;
  }
  for (const MetricMeaning& m : metric_catalog()) {
    if (m.dimension_target) {
      EXPECT_TRUE(m.pattern.starts_with("trunk_groups.*.")) << m.pattern;
    }
  }
}

TEST(MetricCatalog, AStarIsExactlyOneNonEmptyComponent) {
  EXPECT_EQ(find_metric_meaning("trunk_groups.AB.call_blocking")->pattern,
            "trunk_groups.*.call_blocking");
  EXPECT_EQ(find_metric_meaning("traffic.x.completion_latency.p95")->pattern,
            "traffic.*.completion_latency.*");
  for (const char* path :
       {"trunk_groups.A.B.call_blocking", "trunk_groups..call_blocking",
        "trunk_groups.call_blocking", "trunk_groups.AB.call_blocking.",
        "trunk_groups.AB.call_blocking.mean", "traffic.x.completion_latency",
        "traffic.x.completion_latency.", "traffic.x.completion_latency.p95.y",
        "policies.x.requests", "traffic.x.requests.requested", "policies.x.caller_busy"}) {
    EXPECT_EQ(find_metric_meaning(path), nullptr) << path;
  }
}

TEST(MetricCatalog, UnknownPathsAreNeitherAndFraction) {
  // policies.<name>.type is a string; the rest are no results leaf at all.
  for (const char* path :
       {"policies.ccbs.type", "", ".", "trunk_groups", "trunk_groups.AB",
        "trunk_groups.AB.offered_erlangs", "timeseries.trunk_groups.AB", "warmup_used"}) {
    EXPECT_EQ(find_metric_meaning(path), nullptr) << path;
    EXPECT_EQ(better_direction(path), Better::neither) << path;
    EXPECT_EQ(metric_unit(path), "fraction") << path;
  }
}

}  // namespace
}  // namespace telsim::analysis
