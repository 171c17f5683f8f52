// The measurement window end to end (SPEC §3, §5): a first attempt exactly at
// the end of the warm-up is measured, one exactly at the horizon (warmup +
// duration) is not. Scripted calls (`arrivals: {at: [...]}`) put calls a
// microsecond (one tick) either side of both edges. The model-level version is
// tests/models/adversarial_review_test.cpp MeasurementWindowEdges; this one goes
// through the scenario loader, the runner and the results file.
#include <gtest/gtest.h>

#include <string>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

TEST(MeasurementWindow, ArrivalAtWarmupIsMeasuredAndAtTheHorizonIsNot) {
  TempDir dir;
  write_file(dir / "edges.yaml", R"(telsim: 1
name: edges
replications: 2
warmup: 100
duration: 50
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: callers, exchange: A, count: 10, lines: unlimited}
  - {name: callees, exchange: B, count: 10, lines: unlimited}
trunk_groups: [{name: AB, between: [A, B], circuits: 10}]
routes: [{from: A, to: B, via: [[AB]]}]
traffic:
  - name: edges
    from: callers
    to: callees
    arrivals: {at: [99.999999, 100, 149.999999, 150]}
    holding: {deterministic: {value: 0.5}}
)");
  const ProcessResult r = run_telsim(
      {"run", "edges.yaml", "--quiet", "--out", "r.json", "--calls", "calls.csv"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto results = read_json(dir / "r.json");
  const auto& traffic = results["traffic"]["edges"];
  EXPECT_EQ(traffic["calls"]["mean"], 2.0) << "the calls at 100 and 149.999999 only";
  EXPECT_EQ(traffic["calls"]["values"], nlohmann::ordered_json::array({2.0, 2.0}));
  EXPECT_EQ(traffic["attempts"]["mean"], 2.0);
  EXPECT_EQ(traffic["outcome"]["connected"]["mean"], 1.0) << "both measured calls connected";
  // The call detail records list exactly the measured calls, with their times.
  EXPECT_EQ(read_file(dir / "calls.csv").find("99.999999"), std::string::npos);
  const std::string calls = read_file(dir / "calls.csv");
  EXPECT_NE(calls.find(",100.000000,"), std::string::npos) << calls;
  EXPECT_NE(calls.find(",149.999999,"), std::string::npos) << calls;
  EXPECT_EQ(calls.find(",150.000000,"), std::string::npos) << calls;
}

}  // namespace
}  // namespace telsim::e2e
