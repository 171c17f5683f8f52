// Sequential stopping (`precision:`) and `warmup: auto` through `telsim run` (SPEC §2, §5).
#include <gtest/gtest.h>

#include <cmath>
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

TEST(Precision, ResultsReportTheStoppingRule) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("precision.yaml").string(), "--threads", "2", "--quiet", "--out", "r.json"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");

  // `precision` sits between warmup_used and timeseries (SPEC §5).
  const std::vector<std::string> expected{
      "telsim", "scenario",    "seed",      "replications", "warmup",       "duration", "run",
      "engine", "warmup_used", "precision", "timeseries",   "trunk_groups", "traffic",  "policies"};
  EXPECT_EQ(keys_of(results), expected);

  const Json& p = results["precision"];
  EXPECT_EQ(keys_of(p), (std::vector<std::string>{"metric", "met", "replications"}));
  EXPECT_EQ(p["metric"], "trunk_groups.AB.call_blocking");
  ASSERT_TRUE(p["met"].is_boolean());
  const std::size_t used = p["replications"].get<std::size_t>();
  EXPECT_GE(used, 4u) << "at least the scenario's replications";
  EXPECT_LE(used, 24u) << "at most max_replications";
  EXPECT_EQ(results["replications"], used);
  const Json& blocking = results["trunk_groups"]["AB"]["call_blocking"];
  EXPECT_EQ(blocking["values"].size(), used);
  EXPECT_EQ(results["warmup_used"]["values"].size(), used);
  if (p["met"].get<bool>()) {
    EXPECT_LE(blocking["ci95"].get<double>(), 0.05 * blocking["mean"].get<double>());
  } else {
    EXPECT_EQ(used, 24u) << "not met only once max_replications is reached";
  }
  // With 4 replications of 2000 s the ci95 is well above 5% of the blocking: the rule
  // has to add replications.
  EXPECT_GT(used, 4u);
  EXPECT_EQ(results["scenario"]["precision"]["metric"], "trunk_groups.AB.call_blocking");
}

TEST(Precision, StoppingPointDoesNotDependOnThreads) {
  TempDir dir;
  for (const char* threads : {"1", "3"}) {
    const ProcessResult r =
        run_telsim({"run", fixture("precision.yaml").string(), "--threads", threads, "--quiet",
                    "--out", std::string("r") + threads + ".json"},
                   dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  Json a = read_json(dir / "r1.json");
  Json b = read_json(dir / "r3.json");
  EXPECT_EQ(a["precision"], b["precision"]);
  a.erase("run");
  a.erase("engine");
  b.erase("run");
  b.erase("engine");
  EXPECT_EQ(a.dump(), b.dump());
}

TEST(Precision, AbsentWithoutPrecisionKey) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--threads", "2", "--quiet", "--out", "r.json"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(read_json(dir / "r.json").contains("precision"));
}

TEST(WarmupAuto, WarmupUsedHasAValuePerReplication) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("warmup_auto.yaml").string(), "--threads", "2", "--quiet", "--out", "r.json"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json results = read_json(dir / "r.json");
  EXPECT_EQ(results["warmup"], "auto");
  EXPECT_EQ(results["scenario"]["warmup"], "auto");
  const Json& used = results["warmup_used"];
  ASSERT_EQ(used["values"].size(), 4u);
  EXPECT_EQ(used["n"], 4);
  for (const Json& v : used["values"]) {
    ASSERT_TRUE(v.is_number()) << v;
    EXPECT_GE(v.get<double>(), 0.0);
    EXPECT_LE(v.get<double>(), 2000.0) << "MSER-5 cuts within the pilot run";
  }
  EXPECT_TRUE(used["mean"].is_number());
  // The measurement still covers `duration` seconds after each warm-up.
  EXPECT_NEAR(results["traffic"]["callers-to-callees"]["calls"]["mean"].get<double>(), 14000,
              5 * std::sqrt(14000.0));
}

}  // namespace
}  // namespace telsim::e2e
