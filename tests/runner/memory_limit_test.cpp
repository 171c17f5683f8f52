// limits.max_memory (SPEC §2, §4): the estimate of a run's work and peak
// memory before t=0, the refusal when it exceeds the limit, and the share of
// the limit each running replication may hold as pending events.
// (The estimate against measured peak RSS: bench/memory_estimate.sh.)
#include <gtest/gtest.h>

#include <unistd.h>

#include "../../scenarios/src/recorder.hpp"
#include "telsim/models/network.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/scenarios/work_estimate.hpp"

namespace telsim::scenarios {
namespace {

// Erlang loss, no trunk groups: 10 calls/s held 100 s on average = 1000
// calls in progress (Little's law), 1001 pending events with the arrival.
constexpr const char* tiny = R"(telsim: 1
name: tiny
replications: 3
warmup: 0
duration: 3600
limits: {max_memory: auto}
exchanges: [{name: A}]
subscribers:
  - {name: a, exchange: A, count: 1000, lines: unlimited}
  - {name: b, exchange: A, count: 24, lines: unlimited}
traffic:
  - {from: a, to: b, arrivals: {poisson: {rate: 10}}, holding: {exponential: {mean: 100}}}
)";

Scenario load(const std::string& text, const std::vector<std::string>& sets = {}) {
  return load_scenario_text(text, "tiny.yaml", sets, models::builtin_policy_registry());
}

TEST(MemoryEstimate, ArithmeticOnATinyScenario) {
  const Scenario s = load(tiny);
  const WorkEstimate e = estimate_work(s, 8);
  EXPECT_EQ(e.threads, 3u) << "no more replications at once than there are";
  EXPECT_DOUBLE_EQ(e.arrivals_per_replication, 36000.0);
  EXPECT_DOUBLE_EQ(e.events_per_replication, 72000.0) << "an arrival and an end per call";
  EXPECT_DOUBLE_EQ(e.calls_in_progress, 1000.0);
  EXPECT_DOUBLE_EQ(e.pending_events, 1001.0);
  EXPECT_EQ(e.call_bytes, models::Network::call_record_bytes())
      << "free slots are linked through the records";
  // 1024 addresses at 4 bytes (no policies: no entry bits), one relation's recorder block.
  EXPECT_EQ(e.replication_static_bytes, 1024u * 4 + recorder_block_bytes);
  EXPECT_EQ(e.replication_dynamic_bytes, 1000 * e.call_bytes + 1001 * pending_event_bytes);
  const std::uint64_t metrics = detail::metric_paths(s).size();
  EXPECT_EQ(e.fixed_bytes, base_bytes + 4 * 1024 + metrics * bytes_per_metric_path +
                               3 * metrics * bytes_per_metric_value);
  EXPECT_EQ(e.peak_bytes,
            e.fixed_bytes + 3 * (e.replication_static_bytes + e.replication_dynamic_bytes));
}

TEST(MemoryEstimate, PoliciesAddAnEntryBitPerAddressAndAutoWarmupAddsThePilot) {
  const Scenario s =
      load(std::string(tiny) + "policies: {cb: {type: callback}}\n", {"warmup=auto"});
  const WorkEstimate e = estimate_work(s, 1);
  EXPECT_EQ(e.replication_static_bytes, 1024u * 4 + 1024 / 8 + 1 + 2 * recorder_block_bytes);
  EXPECT_DOUBLE_EQ(e.arrivals_per_replication, 2.5 * 36000.0);
}

TEST(MemoryEstimate, CallsAreCappedByTheLinesOfBothEnds) {
  const Scenario s = load(tiny, {"subscribers.b.lines=2"});
  EXPECT_DOUBLE_EQ(estimate_work(s, 1).calls_in_progress, 48.0);
}

TEST(MemoryEstimate, CallRecordSizeIsPinnedRoughly) {
  // The per-call cost in docs/hardening.md (about 150 bytes with its event)
  // rests on this; a much larger call record must revisit the estimate.
  EXPECT_GE(models::Network::call_record_bytes(), 64u);
  EXPECT_LE(models::Network::call_record_bytes(), 256u);
}

TEST(MemoryLimit, DefaultIsHalfThePhysicalMemory) {
  const Scenario s = load(tiny);
  EXPECT_FALSE(s.max_memory.has_value());
  const auto physical = static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) *
                        static_cast<std::uint64_t>(::sysconf(_SC_PAGE_SIZE));
  EXPECT_EQ(max_memory_bytes(s), physical / 2);
  EXPECT_EQ(max_memory_bytes(load(tiny, {"limits.max_memory=2.5e9"})), 2'500'000'000u);
}

TEST(MemoryLimit, RunIsRefusedBeforeSimulatingWhenTheEstimateExceedsIt) {
  const Scenario s = load(tiny, {"limits.max_memory=1e6", "duration=1e9"});
  RunOptions options;
  options.threads = 2;
  try {
    run_scenario(s, models::builtin_policy_registry(), options);  // would run for hours
    FAIL() << "not refused";
  } catch (const LimitExceeded& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("exceeds limits.max_memory (1 MB)"), std::string::npos) << what;
    EXPECT_NE(what.find("the estimated peak memory of this run, "), std::string::npos) << what;
  }
}

TEST(MemoryLimit, PendingEventsPastTheShareStopTheReplication) {
  // The limit is exactly the estimate: allowed to start, but the pending
  // events' natural peak (Poisson around the mean of 1001) passes the share.
  Scenario s = load(tiny);
  const WorkEstimate e = estimate_work(s, 1);
  s.max_memory = e.peak_bytes;
  EXPECT_NEAR(static_cast<double>(pending_events_within(e, e.peak_bytes)), 1001.0, 2.0);
  RunOptions options;
  try {
    run_scenario(s, models::builtin_policy_registry(), options);
    FAIL() << "not stopped";
  } catch (const LimitExceeded& ex) {
    const std::string what = ex.what();
    EXPECT_NE(what.find("pending events, its share of limits.max_memory"), std::string::npos)
        << what;
  }
  // With twice the room it runs to the end.
  s.max_memory = 2 * e.peak_bytes;
  EXPECT_NO_THROW(run_scenario(s, models::builtin_policy_registry(), options));
}

TEST(MemoryLimit, FormatBytes) {
  EXPECT_EQ(format_bytes(512), "512 bytes");
  EXPECT_EQ(format_bytes(1'000'000), "1 MB");
  EXPECT_EQ(format_bytes(12'600'000'000ull), "12.6 GB");
  EXPECT_EQ(format_bytes(999'999), "1 MB");
}

}  // namespace
}  // namespace telsim::scenarios
