// RunOptions::progress_within: how far running replications got, between their ends, so
// that `telsim run` can show an ETA for one replication of minutes (SPEC §4 progress bar).
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <vector>

#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

// One replication of about a million events: long enough for many 1 ms reports.
constexpr const char* one_long_replication = R"(telsim: 1
name: long
seed: 3
replications: 1
warmup: 0
duration: 200000
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: a, exchange: A, count: 1000, lines: unlimited}
  - {name: b, exchange: B, count: 1000, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 20}
routes:
  - {from: A, to: B, via: [[AB]]}
traffic:
  - {from: a, to: b, arrivals: {poisson: {rate: 2}}, holding: {exponential: {mean: 5}}}
)";

std::vector<double> reports_of(const std::string& yaml, const std::vector<std::string>& sets,
                               unsigned threads) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(yaml, "long.yaml", sets, registry);
  std::mutex mutex;
  std::vector<double> reports;
  RunOptions options;
  options.threads = threads;
  options.progress_interval = std::chrono::milliseconds(1);
  options.progress_within = [&](double done, std::size_t planned) {
    const std::lock_guard lock(mutex);
    EXPECT_EQ(planned, s.replications);
    reports.push_back(done);
  };
  run_scenario(s, registry, options);
  return reports;
}

TEST(ProgressWithin, OneLongReplicationReportsHowFarItGot) {
  const std::vector<double> reports = reports_of(one_long_replication, {}, 1);
  ASSERT_GE(reports.size(), 3u) << "reported while the replication ran";
  double inside = 0;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    EXPECT_GE(reports[i], 0.0);
    EXPECT_LT(reports[i], 1.0) << "not finished until it returns";
    if (i > 0) {
      EXPECT_GE(reports[i], reports[i - 1]) << "the clock only moves forward";
    }
    inside = std::max(inside, reports[i]);
  }
  EXPECT_GT(inside, 0.0) << "some report saw the replication's clock move";
}

TEST(ProgressWithin, ThePilotOfAutomaticWarmupCountsAsPartOfTheWork) {
  const std::vector<double> reports = reports_of(one_long_replication, {"warmup=auto"}, 1);
  ASSERT_GE(reports.size(), 1u);
  for (std::size_t i = 1; i < reports.size(); ++i) {
    EXPECT_GE(reports[i], reports[i - 1]);
  }
  EXPECT_LT(reports.back(), 1.0);
}

TEST(ProgressWithin, SeveralThreadsCountFinishedAndRunningReplications) {
  const std::vector<double> reports = reports_of(one_long_replication, {"replications=4"}, 2);
  ASSERT_GE(reports.size(), 1u);
  for (const double r : reports) {
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 4.0);
  }
}

}  // namespace
}  // namespace telsim::scenarios
