// The call detail records' writer in-process (SPEC §4 `--calls`): row format, order of
// first attempt whatever the order calls end in, bounded memory through spilled runs,
// the assembled file, and no temporary file left behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../../scenarios/src/call_record_writer.hpp"
#include "telsim/scenarios/call_records.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios::detail {
namespace {

namespace fs = std::filesystem;

class Folder {
 public:
  Folder() {
    std::random_device entropy;
    path_ = fs::temp_directory_path() /
            ("telsim-cdr-test-" + std::to_string(entropy()) + std::to_string(entropy()));
    fs::create_directories(path_);
  }
  ~Folder() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Populations "a" (3 addresses: 0-2) and "b" (2 addresses: 3-4); relation "a-to-b";
/// policies "p" (with fallback "q") and "q".
models::NetworkSpec network() {
  models::NetworkSpec net;
  net.populations.resize(2);
  net.populations[0].name = "a";
  net.populations[0].count = 3;
  net.populations[1].name = "b";
  net.populations[1].count = 2;
  net.relations.resize(1);
  net.relations[0].name = "a-to-b";
  net.relations[0].from = 0;
  net.relations[0].to = 1;
  net.policies.resize(2);
  net.policies[0].name = "p";
  net.policies[0].fallback = 1;
  net.policies[1].name = "q";
  return net;
}

models::CallSummary call(std::uint64_t sequence, sim::Tick start) {
  models::CallSummary c;
  c.sequence = sequence;
  c.measured = true;
  c.caller = 1;
  c.callee = 4;
  c.attempts = 1;
  c.outcome = models::CallOutcome::connected;
  c.first_attempt_time = start;
  return c;
}

TEST(CallRecordWriter, RowFormat) {
  Folder dir;
  const models::NetworkSpec net = network();
  {
    CallRecordFile file(dir.path() / "calls.csv");
    auto writer = file.open_replication(net, 0);
    models::CallSummary c = call(0, 1);  // 1 µs
    c.first_failure = models::FailureCause::busy;
    c.policies = {0, 1};
    c.completion_ids = {3, 7};
    c.attempts = 4;
    c.outcome = models::CallOutcome::completed;
    c.completion_latency = 12'345'678'901;
    writer->call_ended(c, 99'000'000'000);
    models::CallSummary unmeasured = call(5, 2);
    unmeasured.measured = false;
    writer->call_ended(unmeasured, 3);  // no row
    models::CallSummary cleared = call(1, 2'500'000);
    cleared.first_failure = models::FailureCause::no_answer;
    cleared.outcome = models::CallOutcome::cleared;
    cleared.completion_latency = 5;  // not shown: only completed calls have a latency
    writer->call_ended(cleared, 32'500'000);
    writer->finish();
    file.assemble(nullptr);
    file.commit();
  }
  EXPECT_EQ(read(dir.path() / "calls.csv"),
            std::string(call_records_header) +
                "\n"
                "0,0,a-to-b,a#1,b#1,0.000001,busy,q,3;7,4,completed,12345.678901,99000.000000\n"
                "0,1,a-to-b,a#1,b#1,2.500000,no_answer,,,1,cleared,,32.500000\n");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"calls.csv"});
}

TEST(CallRecordWriter, NamesThatNeedQuotesAreQuoted) {
  Folder dir;
  models::NetworkSpec net = network();
  net.relations[0].name = "x,y";
  net.populations[0].name = "say \"hi\"";
  {
    CallRecordFile file(dir.path() / "calls.csv");
    auto writer = file.open_replication(net, 0);
    writer->call_ended(call(0, 0), 0);
    writer->finish();
    file.assemble(nullptr);
    file.commit();
  }
  const std::vector<std::string> lines = lines_of(read(dir.path() / "calls.csv"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "0,0,\"x,y\",\"say \"\"hi\"\"#1\",b#1,0.000000,,,,1,connected,,0.000000");
}

// Calls end in random order and call 0 lasts until the end, so every other row waits
// for it: with a tiny budget they are spilled again and again, and come out in order.
TEST(CallRecordWriter, OrderOfFirstAttemptInBoundedMemory) {
  Folder dir;
  const models::NetworkSpec net = network();
  constexpr std::size_t calls = 20000;
  constexpr std::size_t budget = 8 << 10;
  std::vector<std::pair<sim::Tick, std::uint64_t>> ends;  // (end, sequence)
  std::mt19937_64 rng(7);
  for (std::uint64_t i = 0; i < calls; ++i) {
    const auto start = static_cast<sim::Tick>(i * 1000);
    ends.emplace_back(
        i == 0 ? sim::Tick{1} << 40 : start + static_cast<sim::Tick>(rng() % 5'000'000), i);
  }
  std::sort(ends.begin(), ends.end());
  {
    CallRecordFile file(dir.path() / "calls.csv", budget);
    auto writer = file.open_replication(net, 0);
    for (const auto& [end, sequence] : ends) {
      writer->call_ended(call(sequence, static_cast<sim::Tick>(sequence * 1000)), end);
    }
    EXPECT_LE(writer->peak_held_bytes(), budget + 256) << "held rows stay within the budget";
    EXPECT_GT(writer->spill_runs(), 100u);
    writer->finish();
    file.assemble(nullptr);
    file.commit();
  }
  const std::vector<std::string> lines = lines_of(read(dir.path() / "calls.csv"));
  ASSERT_EQ(lines.size(), calls + 1);
  for (std::size_t i = 0; i < calls; ++i) {
    ASSERT_EQ(lines[i + 1].rfind("0," + std::to_string(i) + ",", 0), 0u) << lines[i + 1];
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"calls.csv"}) << "spilled runs are gone";
}

TEST(CallRecordWriter, CallEndingTwiceIsAnInternalError) {
  Folder dir;
  const models::NetworkSpec net = network();
  CallRecordFile file(dir.path() / "calls.csv", 1);  // every held row is spilled
  auto writer = file.open_replication(net, 0);
  writer->call_ended(call(0, 0), 1);
  EXPECT_THROW(writer->call_ended(call(0, 0), 2), std::logic_error);
  writer->call_ended(call(2, 0), 3);
  writer->call_ended(call(2, 0), 3);
  EXPECT_THROW(writer->call_ended(call(1, 0), 4), std::logic_error);
}

TEST(CallRecordWriter, CallThatNeverEndedIsAnInternalError) {
  Folder dir;
  const models::NetworkSpec net = network();
  CallRecordFile file(dir.path() / "calls.csv");
  auto writer = file.open_replication(net, 0);
  writer->call_ended(call(0, 0), 1);
  writer->call_ended(call(2, 0), 1);
  EXPECT_THROW(writer->finish(), std::logic_error);
}

TEST(CallRecordFile, KeepsTheReplicationsUsedInOrder) {
  Folder dir;
  const models::NetworkSpec net = network();
  {
    CallRecordFile file(dir.path() / "calls.csv");
    // Replications finish in any order (threads); the file follows replication order.
    for (const std::size_t r : {2u, 0u, 1u}) {
      auto writer = file.open_replication(net, r);
      writer->call_ended(call(0, 0), 1);
      writer->finish();
    }
    file.keep_replications(2);
    file.assemble(nullptr);
    EXPECT_FALSE(fs::exists(dir.path() / "calls.csv")) << "renamed only at commit";
    file.commit();
  }
  const std::vector<std::string> lines = lines_of(read(dir.path() / "calls.csv"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].substr(0, 4), "0,0,");
  EXPECT_EQ(lines[2].substr(0, 4), "1,0,");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"calls.csv"});
}

TEST(CallRecordFile, LeavesNothingWithoutCommit) {
  Folder dir;
  const models::NetworkSpec net = network();
  {
    CallRecordFile file(dir.path() / "calls.csv", 1);
    auto writer = file.open_replication(net, 0);
    writer->call_ended(call(1, 0), 1);  // spilled
    auto finished = file.open_replication(net, 1);
    finished->call_ended(call(0, 0), 1);
    finished->finish();
    EXPECT_GE(dir.entries().size(), 3u) << "the temporary file and two parts";
    EXPECT_THROW(file.assemble(nullptr), std::logic_error) << "replication 0 never finished";
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(CallRecordFile, StopSignalInterruptsAssembly) {
  Folder dir;
  const models::NetworkSpec net = network();
  {
    CallRecordFile file(dir.path() / "calls.csv");
    auto writer = file.open_replication(net, 0);
    writer->call_ended(call(0, 0), 1);
    writer->finish();
    const std::atomic<int> stop{15};
    EXPECT_THROW(file.assemble(&stop), Interrupted);
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(CallRecordFile, UnwritableFolderFailsAtOnce) {
  try {
    CallRecordFile file("/proc/telsim-x/calls.csv");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/telsim-x/"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace telsim::scenarios::detail
