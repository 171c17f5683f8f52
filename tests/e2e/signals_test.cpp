// SIGINT and SIGTERM during `telsim run` (SPEC §4): exit 130 / 143, a message on stderr, and
// nothing written (no results, no CSV, no JUnit report, no temporary file).
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

}  // namespace
}  // namespace telsim::e2e
