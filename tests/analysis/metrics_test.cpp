#include "telsim/analysis/metrics.hpp"

#include <memory>
#include <optional>
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
  EXPECT_EQ(std::vector<std::string>(table.paths().begin(), table.paths().end()),
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
  for (int i = 0; i < 1000; ++i) first.add("a.p" + std::to_string(i), i);
  table.add_replication(first);
  ReplicationMetrics second;
  for (int i = 1499; i >= 0; --i) second.add("a.p" + std::to_string(i), -i);
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
  ReplicationMetrics fresh_twice{{"a.new", 2.0}};
  for (int i = 0; i < 1000; ++i) fresh_twice.add("a.p" + std::to_string(i), i);
  fresh_twice.add("a.new", 1.0);
  EXPECT_THROW(table.add_replication(fresh_twice), std::invalid_argument);
  ReplicationMetrics known_twice = first;
  known_twice.add("a.p7", 1.0);
  EXPECT_THROW(table.add_replication(known_twice), std::invalid_argument);
  EXPECT_EQ(table.replications(), 2u);
  EXPECT_EQ(table.paths().size(), 1500u);
  EXPECT_FALSE(table.contains("a.new"));
  table.add_replication(first);  // still usable after the refusals
  EXPECT_EQ(table.values("a.p7")[2], 7.0);
  EXPECT_EQ(table.values("a.p1200")[2], std::nullopt);
}

TEST(MetricPaths, FrontCodedPathsReadBackInOrderAndByIndex) {
  // Paths that share nothing, share all but the end, repeat, are empty or
  // long, across several restart points.
  std::vector<std::string> given;
  for (int i = 0; i < 70; ++i) {
    given.push_back("traffic.r" + std::to_string(i / 7) + ".outcome." + std::to_string(i % 7));
  }
  given.push_back("");
  given.push_back("");
  given.push_back(std::string(300, 'x'));
  given.push_back(std::string(299, 'x') + "y");
  given.push_back("policies.cb.calls");
  MetricPaths paths;
  for (const auto& p : given) paths.push_back(p);
  ASSERT_EQ(paths.size(), given.size());
  EXPECT_EQ(std::vector<std::string>(paths.begin(), paths.end()), given);
  for (std::size_t i = 0; i < given.size(); ++i) EXPECT_EQ(paths[i], given[i]) << i;
  EXPECT_THROW((void)paths[given.size()], std::out_of_range);
  MetricPaths again;
  for (const auto& p : given) again.push_back(p);
  EXPECT_TRUE(paths == again);
  again.push_back("x");
  EXPECT_FALSE(paths == again);
  // Sharing the text with neighbours: well under the strings' own length.
  std::size_t text = 0;
  for (const auto& p : given) text += p.size();
  EXPECT_LT(paths.bytes(), text);
}

TEST(MetricTable, ReplicationsOfOneRunShareTheirPaths) {
  auto paths = std::make_shared<MetricPaths>();
  paths->push_back("traffic.x.calls");
  paths->push_back("traffic.x.attempts");
  MetricTable table;
  table.add_replication(ReplicationMetrics(paths, {1.0, 2.0}));
  table.add_replication(ReplicationMetrics(paths, {3.0, std::nullopt}));
  EXPECT_EQ(&table.paths(), paths.get()) << "the table holds the run's paths, not a copy";
  EXPECT_EQ(table.values("traffic.x.attempts"), (std::vector<std::optional<double>>{2.0, {}}));
  // The same paths in another object, and a replication that adds one: the
  // shared list is never changed under its other holders.
  table.add_replication({{"traffic.x.calls", 5.0}, {"traffic.x.attempts", 6.0}});
  table.add_replication({{"traffic.x.new", 7.0}, {"traffic.x.calls", 8.0}});
  EXPECT_EQ(paths->size(), 2u);
  EXPECT_EQ(table.paths().size(), 3u);
  EXPECT_EQ(table.values("traffic.x.calls"),
            (std::vector<std::optional<double>>{1.0, 3.0, 5.0, 8.0}));
  EXPECT_EQ(table.values("traffic.x.new"), (std::vector<std::optional<double>>{{}, {}, {}, 7.0}));
  // A replication moved into the table is left empty, not paths without values.
  ReplicationMetrics moved{{"traffic.x.calls", 9.0}};
  table.add_replication(std::move(moved));
  EXPECT_EQ(moved.size(), 0u);  // NOLINT(bugprone-use-after-move): its state is specified
  EXPECT_TRUE(moved.paths().empty());
  EXPECT_EQ(table.values("traffic.x.calls").back(), 9.0);
  // A first replication with a path twice is refused like any other.
  MetricTable fresh;
  EXPECT_THROW(fresh.add_replication({{"a.b", 1.0}, {"a.b", 2.0}}), std::invalid_argument);
  EXPECT_EQ(fresh.replications(), 0u);
  EXPECT_TRUE(fresh.paths().empty());
  EXPECT_THROW(ReplicationMetrics(paths, {1.0}), std::invalid_argument);
  // A run's first replication moved in: its paths indexed whole (a run has
  // thousands), though its values have gone to the row.
  auto many = std::make_shared<MetricPaths>();
  std::vector<std::optional<double>> values;
  for (int i = 0; i < 1000; ++i) {
    many->push_back("traffic.r" + std::to_string(i) + ".calls");
    values.emplace_back(i);
  }
  MetricTable run;
  run.add_replication(ReplicationMetrics(many, values));
  run.add_replication(ReplicationMetrics(many, values));
  EXPECT_EQ(run.values("traffic.r999.calls"), (std::vector<std::optional<double>>{999.0, 999.0}));
  EXPECT_FALSE(run.contains("traffic.r1000.calls"));
}

}  // namespace
}  // namespace telsim::analysis
