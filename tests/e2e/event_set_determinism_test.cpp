// The pending-event set never shows in the results: a scenario run with the
// 4-ary heap, with the ladder queue and with the automatic choice writes
// byte-identical results files, apart from the blocks that may differ
// between any two runs (`run`, `engine`) and the resolved `engine` key that
// names the choice.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

using Json = nlohmann::ordered_json;

Json run_with_event_set(const TempDir& dir, const std::string& scenario, const std::string& set) {
  const std::string out = set + ".json";
  const ProcessResult r =
      run_telsim({"run", (std::filesystem::path(TELSIM_SCENARIO_DIR) / scenario).string(),
                  "--quiet", "--replications", "2", "--threads", "2", "--set",
                  "engine={event_set: " + set + "}", "--out", out},
                 dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (r.exit_code != 0) return Json();
  return read_json(dir / out);
}

std::string comparable(Json results) {
  results.erase("run");
  results.erase("engine");
  results["scenario"].erase("engine");
  return results.dump(1);
}

// policies-metro: every completion policy, so cancellable timers, camp-on
// queues and redials all go through the set.
TEST(EventSetDeterminism, HeapLadderAndAutoGiveIdenticalResults) {
  TempDir dir;
  const Json heap = run_with_event_set(dir, "policies-metro.yaml", "heap");
  const Json ladder = run_with_event_set(dir, "policies-metro.yaml", "ladder");
  const Json automatic = run_with_event_set(dir, "policies-metro.yaml", "auto");
  ASSERT_TRUE(heap.is_object() && ladder.is_object() && automatic.is_object());
  EXPECT_EQ(heap["scenario"]["engine"]["event_set"], "heap");
  EXPECT_EQ(ladder["scenario"]["engine"]["event_set"], "ladder");
  const std::string reference = comparable(heap);
  EXPECT_EQ(comparable(ladder), reference);
  EXPECT_EQ(comparable(automatic), reference);
  EXPECT_EQ(heap["engine"]["events"], ladder["engine"]["events"]);
  EXPECT_EQ(heap["engine"]["peak_pending_events"], ladder["engine"]["peak_pending_events"]);
  EXPECT_GT(heap["engine"]["events"].get<double>(), 20'000.0);
}

}  // namespace
}  // namespace telsim::e2e
