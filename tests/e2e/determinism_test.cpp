// A run is a pure function of the scenario and the seed (SPEC §3, §5): the thread count
// changes nothing but `run` and `engine`; --seed, --replications and --set change what they
// say, and show in the resolved scenario.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

using Json = nlohmann::ordered_json;

// Runs the small fixture with `extra` arguments and returns the parsed results.
Json run_small(const TempDir& dir, const std::string& out, std::vector<std::string> extra) {
  std::vector<std::string> args{"run", fixture("small.yaml").string(), "--quiet", "--out", out};
  args.insert(args.end(), extra.begin(), extra.end());
  const ProcessResult r = run_telsim(args, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return Json();
  return read_json(dir / out);
}

// The results without the two blocks that may differ between runs.
std::string without_run_and_engine(Json results) {
  results.erase("run");
  results.erase("engine");
  return results.dump(1);
}

// Every statistic's `values` array in a section, by path.
void collect_values(const Json& node, const std::string& path,
                    std::vector<std::pair<std::string, std::size_t>>& out) {
  if (!node.is_object()) return;
  if (node.contains("values") && node.contains("mean")) {
    out.emplace_back(path, node["values"].size());
    return;
  }
  for (const auto& item : node.items()) collect_values(item.value(), path + "." + item.key(), out);
}

TEST(Determinism, ThreadCountChangesOnlyRunAndEngine) {
  TempDir dir;
  const Json one = run_small(dir, "t1.json", {"--threads", "1", "--replications", "8"});
  const Json two = run_small(dir, "t2.json", {"--threads", "2", "--replications", "8"});
  const Json eight = run_small(dir, "t8.json", {"--threads", "8", "--replications", "8"});
  ASSERT_TRUE(one.is_object() && two.is_object() && eight.is_object());
  EXPECT_EQ(one["run"]["threads"], 1);
  EXPECT_EQ(eight["run"]["threads"], 8);
  const std::string reference = without_run_and_engine(one);
  EXPECT_EQ(without_run_and_engine(two), reference);
  EXPECT_EQ(without_run_and_engine(eight), reference);
  // The same events, whatever the threads.
  EXPECT_EQ(one["engine"]["events"], eight["engine"]["events"]);
}

TEST(Determinism, RepeatedRunIsIdentical) {
  TempDir dir;
  const Json a = run_small(dir, "a.json", {"--threads", "2"});
  const Json b = run_small(dir, "b.json", {"--threads", "2"});
  ASSERT_TRUE(a.is_object() && b.is_object());
  EXPECT_EQ(without_run_and_engine(a), without_run_and_engine(b));
  // Byte-identical files outside `run` and `engine`: compare the raw text after them.
  const std::string text_a = read_file(dir / "a.json");
  const std::string text_b = read_file(dir / "b.json");
  const auto tail = [](const std::string& text) {
    return text.substr(text.find("\"warmup_used\""));
  };
  EXPECT_EQ(tail(text_a), tail(text_b));
}

TEST(Determinism, OtherSeedGivesOtherValues) {
  TempDir dir;
  const Json base = run_small(dir, "s1.json", {"--threads", "2"});
  const Json other = run_small(dir, "s2.json", {"--threads", "2", "--seed", "2"});
  ASSERT_TRUE(base.is_object() && other.is_object());
  EXPECT_EQ(base["seed"], 1);
  EXPECT_EQ(other["seed"], 2);
  EXPECT_EQ(other["scenario"]["seed"], 2);
  EXPECT_NE(base["trunk_groups"]["AB"]["call_blocking"]["values"],
            other["trunk_groups"]["AB"]["call_blocking"]["values"]);
  EXPECT_NE(base["traffic"]["callers-to-callees"]["calls"]["values"],
            other["traffic"]["callers-to-callees"]["calls"]["values"]);
  EXPECT_NE(base["run"]["command_line"], other["run"]["command_line"]);
}

TEST(Determinism, ReplicationsOptionSetsTheCount) {
  TempDir dir;
  const Json results = run_small(dir, "r.json", {"--threads", "2", "--replications", "3"});
  ASSERT_TRUE(results.is_object());
  EXPECT_EQ(results["replications"], 3);
  EXPECT_EQ(results["scenario"]["replications"], 3);
  EXPECT_EQ(results["warmup_used"]["values"].size(), 3u);
  std::vector<std::pair<std::string, std::size_t>> statistics;
  for (const char* section : {"trunk_groups", "traffic", "policies"}) {
    collect_values(results[section], section, statistics);
  }
  ASSERT_FALSE(statistics.empty());
  for (const auto& [path, size] : statistics) EXPECT_EQ(size, 3u) << path;
}

TEST(Determinism, FirstReplicationsDoNotDependOnHowManyFollow) {
  // Replication k draws from streams of (seed, k): 3 replications are the first 3 of 4.
  TempDir dir;
  const Json three = run_small(dir, "3.json", {"--threads", "2", "--replications", "3"});
  const Json four = run_small(dir, "4.json", {"--threads", "2", "--replications", "4"});
  ASSERT_TRUE(three.is_object() && four.is_object());
  const Json& v3 = three["trunk_groups"]["AB"]["call_blocking"]["values"];
  const Json& v4 = four["trunk_groups"]["AB"]["call_blocking"]["values"];
  ASSERT_EQ(v3.size(), 3u);
  ASSERT_EQ(v4.size(), 4u);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(v3[k], v4[k]) << k;
}

TEST(Set, MoreCircuitsLowerTheBlocking) {
  TempDir dir;
  const Json ten = run_small(dir, "10.json", {"--threads", "2"});
  const Json twenty =
      run_small(dir, "20.json", {"--threads", "2", "--set", "trunk_groups.AB.circuits=20"});
  ASSERT_TRUE(ten.is_object() && twenty.is_object());
  EXPECT_EQ(twenty["scenario"]["trunk_groups"][0]["circuits"], 20);
  const double b10 = ten["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>();
  const double b20 = twenty["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>();
  EXPECT_GT(b10, 0.05);   // Erlang B(10, 7) = 0.0787
  EXPECT_LT(b20, 0.001);  // Erlang B(20, 7) = 3e-5
  // Common random numbers: the offered calls are the same draws.
  EXPECT_EQ(ten["traffic"]["callers-to-callees"]["calls"]["values"],
            twenty["traffic"]["callers-to-callees"]["calls"]["values"]);
}

TEST(Set, SeveralOverridesAndAMap) {
  TempDir dir;
  const Json results = run_small(
      dir, "r.json",
      {"--threads", "2", "--set", "traffic.callers-to-callees.arrivals.poisson.rate=3.5", "--set",
       "duration=1000", "--set", "traffic.callers-to-callees.holding={deterministic: {value: 2}}"});
  ASSERT_TRUE(results.is_object());
  EXPECT_EQ(results["duration"], 1000);
  EXPECT_EQ(results["scenario"]["traffic"][0]["arrivals"]["poisson"]["rate"], 3.5);
  EXPECT_EQ(results["scenario"]["traffic"][0]["holding"]["deterministic"]["value"], 2);
  // Still 7 Erlang offered, now over 1000 s.
  const double calls = results["traffic"]["callers-to-callees"]["calls"]["mean"].get<double>();
  EXPECT_NEAR(calls, 3500, 300);
}

struct BadSet {
  const char* label;
  const char* assignment;
  // Names the case in gtest messages instead of dumping its bytes.
  friend void PrintTo(const BadSet& c, std::ostream* os) { *os << c.label; }
};

class SetErrors : public ::testing::TestWithParam<BadSet> {};

TEST_P(SetErrors, ExitTwoWithSetDiagnostic) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--threads", "2", "--set", GetParam().assignment},
      dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.rfind("--set", 0), 0u) << "starts with --set: " << r.err;
  EXPECT_TRUE(!r.err.empty() && r.err.find('\n') == r.err.size() - 1) << "one line: " << r.err;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(
    Run, SetErrors,
    ::testing::Values(BadSet{"UnknownTrunkGroup", "trunk_groups.XY.circuits=20"},
                      BadSet{"UnknownKeyInGroup", "trunk_groups.AB.circuts=20"},
                      BadSet{"UnknownTopLevelKey", "no_such_key=1"},
                      BadSet{"UnknownRelation", "traffic.nobody.arrivals.poisson.rate=1"},
                      BadSet{"ListByIndex", "trunk_groups.0.circuits=20"}),
    [](const auto& info) { return std::string(info.param.label); });

TEST(Set, BadValueIsRejectedLikeTheFile) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("small.yaml").string(), "--threads", "2",
                                      "--set", "trunk_groups.AB.circuits=0"},
                                     dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("circuits"), std::string::npos) << r.err;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

}  // namespace
}  // namespace telsim::e2e
