// The results file of `telsim run` against SPEC §5: its keys and their order, provenance,
// statistics everywhere they belong, outcomes that add up, the resolved scenario and the
// time series. One run of the small fixture serves every test of the suite.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> names;
  for (const auto& item : object.items()) names.push_back(item.key());
  return names;
}

// Checks that `s` is a SPEC §5 statistic over `replications` replications.
::testing::AssertionResult is_statistic(const Json& s, const std::string& path,
                                        std::size_t replications) {
  if (!s.is_object()) return ::testing::AssertionFailure() << path << " is not an object";
  const std::vector<std::string> expected{"mean", "ci95", "n", "values"};
  if (keys_of(s) != expected) {
    return ::testing::AssertionFailure()
           << path << " has keys " << s.dump() << ", expected mean, ci95, n, values";
  }
  if (!s["values"].is_array() || s["values"].size() != replications) {
    return ::testing::AssertionFailure()
           << path << ".values has " << s["values"].size() << " entries, expected " << replications;
  }
  std::size_t with_data = 0;
  double sum = 0;
  for (const Json& v : s["values"]) {
    if (v.is_null()) continue;
    if (!v.is_number()) return ::testing::AssertionFailure() << path << ".values holds " << v;
    ++with_data;
    sum += v.get<double>();
  }
  if (!s["n"].is_number_integer() || s["n"].get<std::size_t>() != with_data) {
    return ::testing::AssertionFailure()
           << path << ".n is " << s["n"] << " but " << with_data << " values are not null";
  }
  if (with_data == 0) {
    if (!s["mean"].is_null() || !s["ci95"].is_null()) {
      return ::testing::AssertionFailure() << path << ": no data, but mean/ci95 are not null";
    }
    return ::testing::AssertionSuccess();
  }
  if (!s["mean"].is_number()) return ::testing::AssertionFailure() << path << ".mean is null";
  const double mean = sum / static_cast<double>(with_data);
  if (std::fabs(s["mean"].get<double>() - mean) > 1e-9 * std::max(1.0, std::fabs(mean))) {
    return ::testing::AssertionFailure()
           << path << ".mean is " << s["mean"] << ", the values average " << mean;
  }
  if (with_data == 1 && !s["ci95"].is_null()) {
    return ::testing::AssertionFailure() << path << ".ci95 is not null with one value";
  }
  if (with_data > 1 && !(s["ci95"].is_number() && s["ci95"].get<double>() >= 0)) {
    return ::testing::AssertionFailure() << path << ".ci95 is " << s["ci95"];
  }
  return ::testing::AssertionSuccess();
}

// Walks a results section: every leaf must be a statistic, except histograms and a
// policy's type. Returns the number of statistics found.
std::size_t check_leaves(const Json& node, const std::string& path, std::size_t replications,
                         bool in_policies, int depth) {
  std::size_t statistics = 0;
  for (const auto& item : node.items()) {
    const std::string child = path + "." + item.key();
    const Json& value = item.value();
    if (item.key() == "completion_latency_histogram") {
      EXPECT_EQ(keys_of(value), (std::vector<std::string>{"edges", "counts"})) << child;
      EXPECT_TRUE(value["edges"].is_array()) << child;
      EXPECT_TRUE(value["counts"].is_array()) << child;
      if (!value["counts"].empty()) {
        EXPECT_EQ(value["edges"].size(), value["counts"].size() + 1) << child;
      }
    } else if (in_policies && depth == 1 && item.key() == "type") {
      EXPECT_TRUE(value.is_string()) << child;
    } else if (value.is_object() && value.contains("values")) {
      EXPECT_TRUE(is_statistic(value, child, replications));
      ++statistics;
    } else if (value.is_object()) {
      EXPECT_FALSE(value.empty()) << child << " is an empty object";
      statistics += check_leaves(value, child, replications, in_policies, depth + 1);
    } else {
      ADD_FAILURE() << child << " is a bare value " << value << ", not a statistic";
    }
  }
  return statistics;
}

// Every string anywhere in `node`, with its path.
void collect_strings(const Json& node, const std::string& path,
                     std::vector<std::pair<std::string, std::string>>& out) {
  if (node.is_string()) {
    out.emplace_back(path, node.get<std::string>());
  } else if (node.is_object()) {
    for (const auto& item : node.items())
      collect_strings(item.value(), path + "." + item.key(), out);
  } else if (node.is_array()) {
    for (std::size_t k = 0; k < node.size(); ++k) {
      collect_strings(node[k], path + "[" + std::to_string(k) + "]", out);
    }
  }
}

class ResultsFile : public ::testing::Test {
 protected:
  static constexpr std::size_t replications = 4;  // as in small.yaml
  static constexpr double duration = 2000;        // as in small.yaml

  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    scenario_ = fixture("small.yaml").string();
    run_ = std::make_unique<ProcessResult>(run_telsim(
        {"run", scenario_, "--threads", "2", "--out", "r.json", "--quiet"}, dir_->path()));
    if (run_->exit_code == 0) results_ = read_json(dir_->path() / "r.json");
  }
  static void TearDownTestSuite() {
    run_.reset();
    dir_.reset();
  }

  void SetUp() override {
    ASSERT_EQ(run_->exit_code, 0) << "stderr: " << run_->err;
    ASSERT_TRUE(results_.is_object());
  }

  static const Json& results() { return results_; }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ProcessResult> run_;
  static inline std::string scenario_;
  static inline Json results_;
};

TEST_F(ResultsFile, TopLevelKeysAreSpecKeysInOrder) {
  const std::vector<std::string> expected{
      "telsim", "scenario",    "seed",       "replications", "warmup",  "duration", "run",
      "engine", "warmup_used", "timeseries", "trunk_groups", "traffic", "policies"};
  EXPECT_EQ(keys_of(results()), expected);
  EXPECT_EQ(results()["telsim"], 1);
  EXPECT_EQ(results()["seed"], 1);  // the default
  EXPECT_EQ(results()["replications"], replications);
  EXPECT_EQ(results()["warmup"], 0);  // the default
  EXPECT_EQ(results()["duration"], duration);
}

TEST_F(ResultsFile, RunHoldsProvenance) {
  const Json& run = results()["run"];
  EXPECT_EQ(keys_of(run), (std::vector<std::string>{"version", "commit", "scenario_sha256",
                                                    "command_line", "threads", "started_at"}));
  EXPECT_TRUE(run["version"].is_string() && !run["version"].get<std::string>().empty());
  EXPECT_TRUE(run["commit"].is_string() && !run["commit"].get<std::string>().empty());
  const std::string sha = run["scenario_sha256"].get<std::string>();
  EXPECT_TRUE(regex_matches(sha, "[0-9a-f]{64}", true)) << sha;
  const std::string expected_sha = sha256_hex(scenario_);
  ASSERT_EQ(expected_sha.size(), 64u) << "sha256sum failed";
  EXPECT_EQ(sha, expected_sha);
  const std::string command_line = run["command_line"].get<std::string>();
  EXPECT_NE(command_line.find(" run "), std::string::npos) << command_line;
  EXPECT_NE(command_line.find(scenario_), std::string::npos) << command_line;
  EXPECT_NE(command_line.find("--threads 2"), std::string::npos) << command_line;
  EXPECT_EQ(run["threads"], 2);
  const std::string started = run["started_at"].get<std::string>();
  EXPECT_TRUE(regex_matches(
      started,
      "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})",
      true))
      << started;
}

TEST_F(ResultsFile, EngineCountsTheWork) {
  const Json& engine = results()["engine"];
  EXPECT_EQ(keys_of(engine),
            (std::vector<std::string>{"events", "wall_seconds", "events_per_second",
                                      "peak_pending_events"}));
  // 4 replications x 2000 s x 7 arrivals/s, each an arrival and most a release.
  EXPECT_TRUE(engine["events"].is_number_integer());
  EXPECT_GT(engine["events"].get<double>(), 4 * 2000 * 7);
  EXPECT_GE(engine["wall_seconds"].get<double>(), 0.0);
  EXPECT_GE(engine["events_per_second"].get<double>(), 0.0);
  EXPECT_TRUE(engine["peak_pending_events"].is_number_integer());
  EXPECT_GE(engine["peak_pending_events"].get<double>(), 1.0);
}

TEST_F(ResultsFile, WarmupUsedIsTheScenarioWarmup) {
  EXPECT_TRUE(is_statistic(results()["warmup_used"], "warmup_used", replications));
  for (const Json& v : results()["warmup_used"]["values"]) EXPECT_EQ(v, 0);
}

TEST_F(ResultsFile, EveryLeafIsAStatistic) {
  std::size_t statistics = 0;
  for (const char* section : {"trunk_groups", "traffic", "policies"}) {
    ASSERT_TRUE(results()[section].is_object()) << section;
    statistics += check_leaves(results()[section], section, replications,
                               std::string(section) == "policies", 0);
  }
  // 4 per trunk group, and 3 + 3 + 10 + 1 + 5 + 2 per relation (SPEC §5).
  EXPECT_GE(statistics, 4u + 24u);
}

TEST_F(ResultsFile, TrunkGroupAndRelationBlocksHaveSpecKeys) {
  const Json& ab = results()["trunk_groups"]["AB"];
  for (const char* key :
       {"call_blocking", "time_congestion", "carried_erlangs", "overflow_calls"}) {
    EXPECT_TRUE(ab.contains(key)) << key;
  }
  ASSERT_TRUE(results()["traffic"].contains("callers-to-callees"));
  const Json& rel = results()["traffic"]["callers-to-callees"];
  for (const char* key : {"calls", "attempts", "caller_busy", "first_attempt_failure", "outcome",
                          "completion_ratio", "completion_latency", "completion_latency_histogram",
                          "answer_seizure_ratio", "completion_requests_max_outstanding"}) {
    EXPECT_TRUE(rel.contains(key)) << key;
  }
  for (const char* key : {"congestion", "busy", "no_answer"}) {
    EXPECT_TRUE(rel["first_attempt_failure"].contains(key)) << key;
  }
  for (const char* key : {"connected", "completed", "intruded", "abandoned", "expired",
                          "recall_failed", "cleared", "rejected", "unsupported", "message"}) {
    EXPECT_TRUE(rel["outcome"].contains(key)) << key;
  }
  for (const char* key : {"mean", "p50", "p90", "p95", "p99"}) {
    EXPECT_TRUE(rel["completion_latency"].contains(key)) << key;
  }
  EXPECT_TRUE(results()["policies"].empty()) << "the fixture has no policies";
}

TEST_F(ResultsFile, FinalOutcomesSumToOne) {
  const Json& outcome = results()["traffic"]["callers-to-callees"]["outcome"];
  const char* finals[] = {"connected", "completed",     "intruded", "abandoned",
                          "expired",   "recall_failed", "cleared"};
  double sum = 0;
  std::vector<double> per_replication(replications, 0.0);
  for (const char* key : finals) {
    ASSERT_TRUE(outcome[key]["mean"].is_number()) << key;
    sum += outcome[key]["mean"].get<double>();
    for (std::size_t r = 0; r < replications; ++r) {
      per_replication[r] += outcome[key]["values"][r].get<double>();
    }
  }
  EXPECT_NEAR(sum, 1.0, 1e-9);
  for (std::size_t r = 0; r < replications; ++r) EXPECT_NEAR(per_replication[r], 1.0, 1e-9) << r;
  // Lost calls cleared: the only final outcomes are connected and cleared, and cleared is
  // the congestion the trunk group saw.
  const Json& rel = results()["traffic"]["callers-to-callees"];
  EXPECT_NEAR(outcome["cleared"]["mean"].get<double>(),
              rel["first_attempt_failure"]["congestion"]["mean"].get<double>(), 1e-12);
  EXPECT_EQ(rel["completion_latency"]["mean"]["mean"], nullptr) << "no call is ever completed";
}

TEST_F(ResultsFile, FiguresMatchErlangB) {
  // Erlang B(10, 7) = 0.078741; 4 x 2000 s of 7 calls/s estimate it to about +-0.01.
  const double blocking = results()["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>();
  EXPECT_NEAR(blocking, 0.078741, 0.015);
  const double carried = results()["trunk_groups"]["AB"]["carried_erlangs"]["mean"].get<double>();
  EXPECT_NEAR(carried, 7 * (1 - 0.078741), 0.3);
  const double calls = results()["traffic"]["callers-to-callees"]["calls"]["mean"].get<double>();
  EXPECT_NEAR(calls, 7 * duration, 5 * std::sqrt(7 * duration));
}

TEST_F(ResultsFile, ScenarioIsResolvedWithDefaultsAndNoPaths) {
  const Json& s = results()["scenario"];
  ASSERT_TRUE(s.is_object());
  EXPECT_EQ(s["telsim"], 1);
  EXPECT_EQ(s["name"], "e2e-small");
  EXPECT_EQ(s["seed"], 1);
  EXPECT_EQ(s["replications"], replications);
  EXPECT_EQ(s["warmup"], 0);
  EXPECT_EQ(s["duration"], duration);
  ASSERT_EQ(s["trunk_groups"].size(), 1u);
  EXPECT_EQ(s["trunk_groups"][0]["circuits"], 10);
  EXPECT_EQ(s["trunk_groups"][0]["reserve"], 0);
  ASSERT_EQ(s["subscribers"].size(), 2u);
  EXPECT_EQ(s["subscribers"][0]["lines"], "unlimited");
  ASSERT_EQ(s["traffic"].size(), 1u);
  EXPECT_EQ(s["traffic"][0]["name"], "callers-to-callees");
  EXPECT_EQ(s["traffic"][0]["completion"], "none");
  EXPECT_TRUE(s["traffic"][0].contains("answer")) << "answer defaults are filled in";
  std::vector<std::pair<std::string, std::string>> strings;
  collect_strings(s, "scenario", strings);
  for (const auto& [path, text] : strings) {
    EXPECT_EQ(text.find('/'), std::string::npos) << path << " = " << text;
    EXPECT_EQ(text.find(".yaml"), std::string::npos) << path << " = " << text;
  }
}

TEST_F(ResultsFile, TimeseriesHasAbout200SamplesInTheWindow) {
  const Json& series = results()["timeseries"]["trunk_groups"]["AB"]["busy_circuits"];
  ASSERT_TRUE(series["t"].is_array());
  ASSERT_TRUE(series["mean"].is_array());
  const std::size_t n = series["t"].size();
  EXPECT_EQ(series["mean"].size(), n);
  EXPECT_GE(n, 150u);
  EXPECT_LE(n, 250u);
  std::optional<double> previous;
  for (std::size_t k = 0; k < n; ++k) {
    const double t = series["t"][k].get<double>();
    EXPECT_GE(t, 0.0) << k;
    EXPECT_LE(t, duration) << k;
    if (previous) {
      EXPECT_GT(t, *previous) << k;
    }
    previous = t;
    const double busy = series["mean"][k].get<double>();
    EXPECT_GE(busy, 0.0) << k;
    EXPECT_LE(busy, 10.0) << k;
  }
}

TEST(ResultsWindow, TimeseriesCoversTheWindowAfterTheWarmup) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("small.yaml").string(), "--threads", "2",
                                      "--quiet", "--set", "warmup=500", "--out", "r.json"},
                                     dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  EXPECT_EQ(results["warmup"], 500);
  for (const Json& v : results["warmup_used"]["values"]) EXPECT_EQ(v, 500);
  const Json& t = results["timeseries"]["trunk_groups"]["AB"]["busy_circuits"]["t"];
  ASSERT_GE(t.size(), 150u);
  for (const Json& v : t) {
    EXPECT_GE(v.get<double>(), 500.0);
    EXPECT_LE(v.get<double>(), 2500.0);
  }
  // Samples spread over the whole window, not bunched at one end.
  EXPECT_LT(t.front().get<double>(), 600.0);
  EXPECT_GT(t.back().get<double>(), 2400.0);
}

TEST(ResultsWindow, OneReplicationHasNullConfidenceIntervals) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("small.yaml").string(), "--threads", "2",
                                      "--quiet", "--replications", "1", "--out", "r.json"},
                                     dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  const Json& blocking = results["trunk_groups"]["AB"]["call_blocking"];
  EXPECT_TRUE(is_statistic(blocking, "trunk_groups.AB.call_blocking", 1));
  EXPECT_TRUE(blocking["ci95"].is_null()) << blocking;
  EXPECT_EQ(blocking["n"], 1);
  EXPECT_EQ(blocking["mean"], blocking["values"][0]);
}

// A relation with a redial policy: completed calls, latencies, a `policies` block.
class RedialResults : public ::testing::Test {
 protected:
  static constexpr std::size_t replications = 4;

  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    run_ = std::make_unique<ProcessResult>(run_telsim(
        {"run", fixture("redial.yaml").string(), "--threads", "2", "--out", "r.json", "--quiet"},
        dir_->path()));
    if (run_->exit_code == 0) results_ = read_json(dir_->path() / "r.json");
  }
  static void TearDownTestSuite() {
    run_.reset();
    dir_.reset();
  }
  void SetUp() override {
    ASSERT_EQ(run_->exit_code, 0) << "stderr: " << run_->err;
    ASSERT_TRUE(results_.is_object());
  }

  static const Json& relation() { return results_["traffic"]["callers-to-callees"]; }
  static const Json& policy() { return results_["policies"]["retry"]; }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<ProcessResult> run_;
  static inline Json results_;
};

TEST_F(RedialResults, PolicyBlockIsStatisticsWithItsType) {
  ASSERT_TRUE(results_["policies"].contains("retry")) << results_["policies"];
  EXPECT_EQ(policy()["type"], "redial");
  const std::size_t statistics =
      check_leaves(results_["policies"], "policies", replications, true, 0);
  EXPECT_GE(statistics, 20u);
  for (const char* key : {"calls", "attempts", "first_attempt_failure", "outcome",
                          "completion_ratio", "completion_latency", "completion_latency_histogram",
                          "answer_seizure_ratio", "completion_requests_max_outstanding"}) {
    EXPECT_TRUE(policy().contains(key)) << key;
  }
  EXPECT_FALSE(policy().contains("caller_busy")) << "caller_busy is per relation only (SPEC §5)";
  check_leaves(results_["traffic"], "traffic", replications, false, 0);
}

TEST_F(RedialResults, PolicyActsOnTheCallsThatMetCongestion) {
  for (std::size_t r = 0; r < replications; ++r) {
    const double calls = relation()["calls"]["values"][r].get<double>();
    const double congested =
        relation()["first_attempt_failure"]["congestion"]["values"][r].get<double>();
    EXPECT_NEAR(policy()["calls"]["values"][r].get<double>(), calls * congested, 1e-6) << r;
    EXPECT_EQ(policy()["first_attempt_failure"]["congestion"]["values"][r], 1.0) << r;
    EXPECT_GT(relation()["attempts"]["values"][r].get<double>(), calls) << "redials are attempts";
  }
}

TEST_F(RedialResults, OutcomesAddUpInRelationAndPolicy) {
  for (const Json* block : {&relation(), &policy()}) {
    const Json& outcome = (*block)["outcome"];
    for (std::size_t r = 0; r < replications; ++r) {
      double sum = 0;
      for (const char* key : {"connected", "completed", "intruded", "abandoned", "expired",
                              "recall_failed", "cleared"}) {
        sum += outcome[key]["values"][r].get<double>();
      }
      EXPECT_NEAR(sum, 1.0, 1e-9) << r;
      const double ratio = outcome["connected"]["values"][r].get<double>() +
                           outcome["completed"]["values"][r].get<double>() +
                           outcome["intruded"]["values"][r].get<double>();
      EXPECT_NEAR((*block)["completion_ratio"]["values"][r].get<double>(), ratio, 1e-9) << r;
    }
    EXPECT_GT(outcome["completed"]["mean"].get<double>(), 0.0);
  }
  EXPECT_EQ(policy()["outcome"]["connected"]["mean"], 0.0) << "every call it acts on failed once";
}

TEST_F(RedialResults, LatencyHistogramPoolsEveryCompletedCall) {
  const Json& histogram = relation()["completion_latency_histogram"];
  ASSERT_FALSE(histogram["counts"].empty());
  ASSERT_EQ(histogram["edges"].size(), histogram["counts"].size() + 1);
  EXPECT_GE(histogram["edges"][0].get<double>(), 0.0) << "latencies are not negative";
  for (std::size_t k = 1; k < histogram["edges"].size(); ++k) {
    EXPECT_GT(histogram["edges"][k].get<double>(), histogram["edges"][k - 1].get<double>()) << k;
  }
  double pooled = 0;
  for (const Json& c : histogram["counts"]) pooled += c.get<double>();
  double completed = 0;
  for (std::size_t r = 0; r < replications; ++r) {
    completed += std::round(relation()["outcome"]["completed"]["values"][r].get<double>() *
                            relation()["calls"]["values"][r].get<double>());
  }
  EXPECT_EQ(pooled, completed);
  EXPECT_EQ(policy()["completion_latency_histogram"], histogram) << "the same calls";
}

TEST_F(RedialResults, LatencyPercentilesAreOrdered) {
  const Json& latency = relation()["completion_latency"];
  for (std::size_t r = 0; r < replications; ++r) {
    double previous = 0;
    for (const char* key : {"p50", "p90", "p95", "p99"}) {
      const double v = latency[key]["values"][r].get<double>();
      EXPECT_GE(v, previous) << key << " replication " << r;
      previous = v;
    }
  }
  // Redial delay exponential with mean 5 s: most completed calls need one redial.
  EXPECT_NEAR(latency["mean"]["mean"].get<double>(), 5.5, 1.5);
}

}  // namespace
}  // namespace telsim::e2e
