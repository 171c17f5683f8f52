// SIGINT and SIGTERM during `telsim run` (SPEC §4): exit 130 / 143, a message on stderr, and
// nothing written (no results, no CSV, no JUnit report, no temporary file); within one
// second of the signal even in the middle of a replication of minutes.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

using Strings = std::vector<std::string>;

struct SignalCase {
  const char* label;
  int signal;
  int exit_code;
  // Names the case in gtest messages instead of dumping its bytes.
  friend void PrintTo(const SignalCase& c, std::ostream* os) { *os << c.label; }
};

class Interrupted : public ::testing::TestWithParam<SignalCase> {};

TEST_P(Interrupted, LongRunStopsWritingNothing) {
  TempDir dir;
  const auto started = std::chrono::steady_clock::now();
  Process process(telsim_exe(),
                  {"run", fixture("long.yaml").string(), "--threads", "2", "--out", "r.json",
                   "--csv", "csv", "--junit", "j.xml"},
                  dir.path());
  std::this_thread::sleep_for(std::chrono::seconds(1));
  process.send_signal(GetParam().signal);
  const ProcessResult r = process.wait(std::chrono::seconds(30));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  EXPECT_FALSE(r.timed_out) << "telsim did not stop within 30 s of the signal";
  EXPECT_FALSE(r.killed_by_signal) << "the signal is handled, not fatal";
  EXPECT_EQ(r.exit_code, GetParam().exit_code) << "stderr: " << r.err;
  EXPECT_NE(r.err.find("interrupt"), std::string::npos) << "says why it stopped: " << r.err;
  EXPECT_EQ(dir.entries(), Strings{}) << "no results file, no CSV, no report, no temporary file";
  // The fixture runs for about a minute: stopping soon after the signal shows it was heeded.
  EXPECT_LT(seconds, 20.0);
}

INSTANTIATE_TEST_SUITE_P(Run, Interrupted,
                         ::testing::Values(SignalCase{"Sigterm", SIGTERM, 143},
                                           SignalCase{"Sigint", SIGINT, 130}),
                         [](const auto& info) { return std::string(info.param.label); });

// One replication of long.yaml stretched to about 4e9 events: minutes of work, so a run
// that ends soon after the signal was stopped inside the replication.
const Strings one_long_replication = {"--set", "replications=1", "--set", "duration=300000000"};

struct MidReplicationCase {
  const char* label;
  int signal;
  int exit_code;
  Strings extra;  // after `run long.yaml` and one_long_replication
  friend void PrintTo(const MidReplicationCase& c, std::ostream* os) { *os << c.label; }
};

class InterruptedMidReplication : public ::testing::TestWithParam<MidReplicationCase> {};

// The signal comes once telsim catches it plus 0.3 s, inside the replication (or the
// `warmup: auto` pilot run before it); telsim must end within 3 s of it (typically a few
// ms: the engine looks at the flag every 4096 events), where the replication needs minutes.
TEST_P(InterruptedMidReplication, StopsWithinSecondsWritingNothing) {
  const MidReplicationCase& c = GetParam();
  TempDir dir;
  Strings args = {
      "run", fixture("long.yaml").string(), "--out", "r.json", "--csv", "csv", "--junit", "j.xml"};
  args.insert(args.end(), one_long_replication.begin(), one_long_replication.end());
  args.insert(args.end(), c.extra.begin(), c.extra.end());
  Process process(telsim_exe(), args, dir.path());
  ASSERT_TRUE(process.wait_for_stop_handlers(std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto signalled = std::chrono::steady_clock::now();
  process.send_signal(c.signal);
  const ProcessResult r = process.wait(std::chrono::seconds(30));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();

  EXPECT_FALSE(r.timed_out) << "telsim did not stop within 30 s of the signal";
  EXPECT_FALSE(r.killed_by_signal) << "the signal is handled, not fatal";
  EXPECT_EQ(r.exit_code, c.exit_code) << "stderr: " << r.err;
  EXPECT_NE(r.err.find("interrupted (signal " + std::to_string(c.signal) + ")"), std::string::npos)
      << r.err;
  EXPECT_EQ(dir.entries(), Strings{}) << "no results file, no CSV, no report, no temporary file";
  EXPECT_LT(seconds, 3.0) << "from the signal to the exit";
}

INSTANTIATE_TEST_SUITE_P(
    Run, InterruptedMidReplication,
    ::testing::Values(MidReplicationCase{"SigintOneReplication", SIGINT, 130, {}},
                      MidReplicationCase{"SigtermOneReplication", SIGTERM, 143, {}},
                      // Both threads are inside a replication: each must see the flag.
                      MidReplicationCase{"SigtermTwoReplicationsOnTwoThreads",
                                         SIGTERM,
                                         143,
                                         {"--set", "replications=2", "--threads", "2"}},
                      // The MSER-5 pilot run, as long as the replication, runs first.
                      MidReplicationCase{
                          "SigintInTheWarmupAutoPilotRun", SIGINT, 130, {"--set", "warmup=auto"}}),
    [](const auto& info) { return std::string(info.param.label); });

}  // namespace
}  // namespace telsim::e2e
