#include "telsim/analysis/metrics.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

TEST(MetricTable, KeepsFirstSeenOrderAndFillsGapsWithNull) {
  MetricTable table;
  table.add_replication({{{"trunk_groups.AB.call_blocking", 0.01}, {"traffic.x.calls", 100.0}}});
  table.add_replication({{{"traffic.x.calls", 120.0},
                          {"traffic.x.completion_latency.mean", 30.0},
                          {"trunk_groups.AB.call_blocking", 0.03}}});
  table.add_replication({{{"trunk_groups.AB.call_blocking", std::nullopt}}});
  EXPECT_EQ(table.replications(), 3u);
  EXPECT_EQ(table.paths(),
            (std::vector<std::string>{"trunk_groups.AB.call_blocking", "traffic.x.calls",
                                      "traffic.x.completion_latency.mean"}));
  const Statistic blocking = table.statistic("trunk_groups.AB.call_blocking");
  EXPECT_EQ(blocking.n, 2u);
  EXPECT_DOUBLE_EQ(*blocking.mean, 0.02);
  const Statistic latency = table.statistic("traffic.x.completion_latency.mean");
  ASSERT_EQ(latency.values.size(), 3u);
  EXPECT_FALSE(latency.values[0]);  // seen only from the second replication on
  EXPECT_EQ(latency.values[1], 30.0);
  EXPECT_FALSE(latency.values[2]);  // missing in the third
  EXPECT_EQ(latency.n, 1u);
  EXPECT_EQ(table.statistic("traffic.x.calls").values[2], std::nullopt);
}

TEST(MetricTable, UnknownPathsAndDuplicates) {
  MetricTable table;
  table.add_replication({{{"a.b", 1.0}}});
  EXPECT_TRUE(table.contains("a.b"));
  EXPECT_FALSE(table.contains("a.c"));
  EXPECT_THROW((void)table.statistic("a.c"), std::out_of_range);
  EXPECT_THROW(table.add_replication({{{"a.b", 1.0}, {"a.b", 2.0}}}), std::invalid_argument);
  EXPECT_EQ(table.replications(), 1u);  // the bad replication was not added
  EXPECT_EQ(table.values("a.b").size(), 1u);
}

TEST(MetricTable, ManyPathsInAnyOrderAndDuplicatesAmongNewOnes) {
  // Enough paths for the index to grow several times, the second replication
  // in reverse order with new paths among the old ones.
  MetricTable table;
  ReplicationMetrics first;
  for (int i = 0; i < 1000; ++i) first.values.emplace_back("a.p" + std::to_string(i), i);
  table.add_replication(first);
  ReplicationMetrics second;
  for (int i = 1499; i >= 0; --i) second.values.emplace_back("a.p" + std::to_string(i), -i);
  table.add_replication(second);
  ASSERT_EQ(table.paths().size(), 1500u);
  EXPECT_EQ(table.paths()[1000], "a.p1499") << "new paths follow in first-seen order";
  for (int i = 0; i < 1500; ++i) {
    const auto& values = table.values("a.p" + std::to_string(i));
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[0], i < 1000 ? std::optional<double>(i) : std::nullopt) << i;
    EXPECT_EQ(values[1], -i) << i;
  }
  // A new path twice, far apart, and a known one twice: refused, table unchanged.
  ReplicationMetrics fresh_twice = first;
  fresh_twice.values.emplace_back("a.new", 1.0);
  fresh_twice.values.insert(fresh_twice.values.begin(), {"a.new", 2.0});
  EXPECT_THROW(table.add_replication(fresh_twice), std::invalid_argument);
  ReplicationMetrics known_twice = first;
  known_twice.values.emplace_back("a.p7", 1.0);
  EXPECT_THROW(table.add_replication(known_twice), std::invalid_argument);
  EXPECT_EQ(table.replications(), 2u);
  EXPECT_EQ(table.paths().size(), 1500u);
  EXPECT_FALSE(table.contains("a.new"));
  table.add_replication(first);  // still usable after the refusals
  EXPECT_EQ(table.values("a.p7")[2], 7.0);
  EXPECT_EQ(table.values("a.p1200")[2], std::nullopt);
}

}  // namespace
}  // namespace telsim::analysis
