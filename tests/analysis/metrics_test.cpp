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

}  // namespace
}  // namespace telsim::analysis
