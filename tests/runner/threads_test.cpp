// Replications run in threads give exactly the results of one thread, and
// the runner's boundaries (warm-up, precision) behave as documented.
#include <gtest/gtest.h>

#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

constexpr const char* small_network = R"(telsim: 1
name: small
seed: 9
replications: 5
warmup: 100
duration: 1500
exchanges: [{name: A}, {name: B}, {name: T}]
subscribers:
  - {name: homes, exchange: A, count: 50, lines: 1}
  - {name: shops, exchange: B, count: 20, lines: 2}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 6}
  - {name: AT, between: [A, T], circuits: 4}
  - {name: TB, between: [T, B], circuits: 4, reserve: 1}
routes:
  - {from: A, to: B, via: [[AB], [AT, TB]]}
policies:
  again: {type: redial, delay: {exponential: {mean: 30}}, persistence: 0.8}
traffic:
  - from: homes
    to: shops
    arrivals: {poisson: {rate: 0.05}}
    holding: {exponential: {mean: 120}}
    answer: {probability: 0.9, delay: {uniform: {min: 2, max: 10}}, timeout: 20}
    completion: again
  - from: shops
    to: homes
    arrivals: {per_idle_source: {rate: 0.002}}
    holding: {lognormal: {mean: 100, sd: 40}}
)";

std::string results_without_provenance(const std::string& yaml, unsigned threads) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(yaml, "small.yaml", {}, registry);
  RunOptions options;
  options.threads = threads;
  analysis::RunResults r = run_scenario(s, registry, options);
  nlohmann::ordered_json j = analysis::to_json(r);
  j.erase("run");
  j.erase("engine");
  return j.dump();
}

TEST(Runner, ResultsDoNotDependOnTheNumberOfThreads) {
  const std::string one = results_without_provenance(small_network, 1);
  EXPECT_EQ(one, results_without_provenance(small_network, 2));
  EXPECT_EQ(one, results_without_provenance(small_network, 5));
}

analysis::RunResults run_with_precision(double relative, std::size_t start, std::size_t cap,
                                        unsigned threads) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  Scenario s = load_scenario_text(small_network, "small.yaml", {}, registry);
  s.precision = PrecisionSpec{"trunk_groups.AB.time_congestion", relative, cap};
  s.replications = start;
  RunOptions options;
  options.threads = threads;
  return run_scenario(s, registry, options);
}

TEST(Runner, PrecisionStopsAtTheFirstReplicationCountThatMeetsIt) {
  const analysis::RunResults r = run_with_precision(0.1, 2, 200, 2);
  ASSERT_TRUE(r.precision.has_value());
  ASSERT_TRUE(r.precision->met);
  EXPECT_EQ(r.replications, r.precision->replications);
  EXPECT_GT(r.replications, 2u);
  const analysis::Statistic st = r.metrics.statistic("trunk_groups.AB.time_congestion");
  ASSERT_EQ(st.values.size(), r.replications);
  EXPECT_LE(*st.ci95, 0.1 * *st.mean);
  // One replication fewer did not meet it.
  analysis::MetricTable fewer;
  for (std::size_t i = 0; i + 1 < r.replications; ++i) {
    fewer.add_replication({{"trunk_groups.AB.time_congestion", st.values[i]}});
  }
  const analysis::Statistic before = fewer.statistic("trunk_groups.AB.time_congestion");
  EXPECT_GT(*before.ci95, 0.1 * *before.mean);
  // The stopping point does not depend on the number of threads.
  EXPECT_EQ(run_with_precision(0.1, 2, 200, 1).replications, r.replications);
  EXPECT_EQ(run_with_precision(0.1, 2, 200, 3).replications, r.replications);
}

TEST(Runner, PrecisionThatCannotBeMetStopsAtMaxReplications) {
  const analysis::RunResults r = run_with_precision(0.0001, 3, 12, 2);
  ASSERT_TRUE(r.precision.has_value());
  EXPECT_FALSE(r.precision->met);
  EXPECT_EQ(r.replications, 12u);
  EXPECT_EQ(r.precision->replications, 12u);
}

TEST(Runner, AutoWarmupIsChosenPerReplicationWithinTheFirstHalf) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  Scenario s = load_scenario_text(small_network, "small.yaml", {"warmup=auto"}, registry);
  RunOptions options;
  const analysis::RunResults r = run_scenario(s, registry, options);
  ASSERT_EQ(r.warmup_used.size(), 5u);
  for (const auto& w : r.warmup_used) {
    ASSERT_TRUE(w.has_value());
    EXPECT_GE(*w, 0.0);
    EXPECT_LE(*w, 0.5 * s.duration + 1e-6);
  }
  EXPECT_EQ(analysis::to_json(r)["warmup"], "auto");
}

TEST(Runner, LimitsStopARunawayScenarioWithAClearError) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  Scenario s = load_scenario_text(small_network, "small.yaml", {}, registry);
  s.limits.max_events = 100;
  RunOptions options;
  try {
    run_scenario(s, registry, options);
    FAIL() << "expected LimitExceeded";
  } catch (const LimitExceeded& e) {
    EXPECT_NE(std::string(e.what()).find("limits.max_events"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace telsim::scenarios
