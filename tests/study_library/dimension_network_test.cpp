// studies::dimension_network in-process: every group sized together meets the target, no
// group can lose a circuit (checked here by runs of our own, as a user would check with
// `telsim run --set`) and the start comes from the analytic model, a full-path target, the
// floor of reserve + 1, and errors.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "support.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/dimension_network.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::study_library_test {
namespace {

studies::SessionOptions metro(std::vector<std::string> sets = {}) {
  studies::SessionOptions o;
  o.file = library("metro.yaml");
  o.sets = {"duration=1800", "replications=4"};
  o.sets.insert(o.sets.end(), sets.begin(), sets.end());
  o.command_line = "telsim study-library-test";
  return o;
}

/// The mean of `path` in a run of the session's scenario at `circuits` (what
/// `telsim run --set trunk_groups.<g>.circuits=<n>...` gives).
std::optional<double> mean_at(studies::Session& session, const std::vector<std::string>& groups,
                              const std::vector<std::int64_t>& circuits, const std::string& path) {
  std::vector<std::string> sets;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    sets.push_back("trunk_groups." + groups[g] + ".circuits=" + std::to_string(circuits[g]));
  }
  const auto results = session.run(session.variant(sets), 2, {});
  return results.metrics.statistic(path).mean;
}

TEST(DimensionNetwork, EveryGroupMeetsAndNoneCanLoseACircuit) {
  studies::Session session(metro());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  std::vector<std::string> whys;
  std::vector<std::int64_t> start;
  std::string how;
  studies::NetworkTrail trail;
  trail.judged = [&](const studies::NetworkCandidate& c) { whys.push_back(c.why); };
  trail.started = [&](const std::vector<std::int64_t>& c, const std::string& h) {
    start = c;
    how = h;
  };
  const studies::NetworkSizing s =
      studies::dimension_network(session, "call_blocking<=0.01", workers, stop, trail);
  ASSERT_EQ(s.groups, (std::vector<std::string>{"AB", "AT", "TB"}));
  ASSERT_EQ(s.answer.circuits.size(), 3u);
  ASSERT_FALSE(whys.empty());
  EXPECT_EQ(whys.front(), "start");
  // Independently: the answer meets on every group...
  for (std::size_t g = 0; g < 3; ++g) {
    const auto m = mean_at(session, s.groups, s.answer.circuits,
                           "trunk_groups." + s.groups[g] + ".call_blocking");
    ASSERT_TRUE(m);
    EXPECT_LE(*m, 0.01) << s.groups[g];
  }
  // ...and one circuit fewer on any group misses on some group.
  ASSERT_EQ(s.one_smaller.size(), 3u);
  for (std::size_t g = 0; g < 3; ++g) {
    std::vector<std::int64_t> smaller = s.answer.circuits;
    --smaller[g];
    bool misses = false;
    for (std::size_t h = 0; h < 3; ++h) {
      const auto m =
          mean_at(session, s.groups, smaller, "trunk_groups." + s.groups[h] + ".call_blocking");
      misses = misses || (m && *m > 0.01);
    }
    EXPECT_TRUE(misses) << s.groups[g] << " could lose a circuit";
  }
  // The direct group carries most of the traffic: far more circuits than the tandem hops.
  EXPECT_GT(s.answer.circuits[0], 5 * s.answer.circuits[1]);
  // The start comes from the analytic model, within 40% of the answer of these short,
  // noisy runs (Erlang B on the tandem hops' peaked overflow would start at a quarter).
  EXPECT_EQ(how.rfind("analytic network model", 0), 0u) << how;
  ASSERT_EQ(start.size(), 3u);
  for (std::size_t g = 0; g < 3; ++g) {
    EXPECT_NEAR(static_cast<double>(start[g]), static_cast<double>(s.answer.circuits[g]),
                0.4 * static_cast<double>(s.answer.circuits[g]))
        << s.groups[g];
  }
}

TEST(DimensionNetwork, AFullPathIsOneTargetForTheNetwork) {
  studies::Session session(metro());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  const std::string path = "traffic.a-to-b.first_attempt_failure.congestion";
  const studies::NetworkSizing s =
      studies::dimension_network(session, path + "<=0.02", workers, stop, {});
  ASSERT_EQ(s.paths, std::vector<std::string>{path});
  ASSERT_EQ(s.answer.statistics.size(), 1u);
  ASSERT_TRUE(s.answer.statistics[0].mean);
  EXPECT_LE(*s.answer.statistics[0].mean, 0.02);
  for (const auto& c : s.one_smaller) {
    EXPECT_FALSE(c.meets);
    ASSERT_TRUE(c.statistics[0].mean);
    EXPECT_GT(*c.statistics[0].mean, 0.02);
  }
}

TEST(DimensionNetwork, AGroupGoesNoLowerThanItsReservePlusOne) {
  // Almost no traffic: every size meets, and the fewest a group with reserve 1 may have
  // is 2 (the loader refuses reserve >= circuits).
  TempDir dir;
  const fs::path file = dir.path() / "reserved.yaml";
  std::ofstream(file) << R"(telsim: 1
name: reserved
seed: 3
replications: 4
warmup: 0
duration: 2000
exchanges: [{name: B}, {name: T}]
subscribers:
  - {name: b, exchange: B, count: 100, lines: unlimited}
  - {name: t, exchange: T, count: 100, lines: unlimited}
trunk_groups: [{name: TB, between: [T, B], circuits: 4, reserve: 1}]
routes: [{from: T, to: B, via: [[TB]]}]
traffic:
  - {name: tb, from: t, to: b, arrivals: {poisson: {erlangs: 0.01}},
     holding: {exponential: {mean: 60}}}
)";
  studies::SessionOptions o;
  o.file = file;
  studies::Session session(o);
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  std::string how;
  studies::NetworkTrail trail;
  trail.started = [&](const std::vector<std::int64_t>&, const std::string& h) { how = h; };
  const studies::NetworkSizing s =
      studies::dimension_network(session, "call_blocking<=0.05", workers, stop, trail);
  EXPECT_EQ(s.answer.circuits, std::vector<std::int64_t>{2});
  EXPECT_TRUE(s.one_smaller.empty()) << "no smaller size exists to try";
  EXPECT_EQ(how.rfind("analytic network model", 0), 0u) << how;
}

TEST(DimensionNetwork, ABadTargetIsExit2AndAnUnreachableOneExit3) {
  studies::Session session(metro());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  auto [code, message] = study_error(
      [&] { (void)studies::dimension_network(session, "blocking<=0.01", workers, stop, {}); });
  EXPECT_EQ(code, studies::exit_bad_input) << message;
  std::tie(code, message) = study_error([&] {
    (void)studies::dimension_network(session, "traffic.nobody.completion_ratio>=0.5", workers, stop,
                                     {});
  });
  EXPECT_EQ(code, studies::exit_bad_input) << message;
  EXPECT_NE(message.find("no metric 'traffic.nobody.completion_ratio'"), std::string::npos);
  std::tie(code, message) = study_error([&] {
    (void)studies::dimension_network(session, "carried_erlangs>=100000", workers, stop, {});
  });
  EXPECT_EQ(code, studies::exit_failed) << message;
  EXPECT_NE(message.find("is not met with up to"), std::string::npos) << message;
}

}  // namespace
}  // namespace telsim::study_library_test
