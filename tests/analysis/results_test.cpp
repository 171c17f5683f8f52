#include "telsim/analysis/results.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> names;
  for (const auto& item : object.items()) names.push_back(item.key());
  return names;
}

// A fresh folder per test, removed afterwards.
class ScratchFolder {
 public:
  ScratchFolder() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("telsim-analysis-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::permissions(path_, fs::perms::owner_all, ignored);
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

RunResults sample_results() {
  RunResults results;
  results.scenario = {{"telsim", 1}, {"name", "demo"}};
  results.seed = 42;
  results.replications = 2;
  results.warmup = 600;
  results.duration = 3600;
  results.run = {"0.1.0", "abc123", "deadbeef", "telsim run demo.yaml", "2024-01-01T00:00:00Z", 2};
  results.engine = {1000, 0.5, 2000, 17};
  results.warmup_used = {600.0, 600.0};
  results.timeseries["AB"]["busy_circuits"] = {{0, 18}, {3.5, 4.25}};
  results.metrics.add_replication({{{"trunk_groups.AB.call_blocking", 0.01},
                                    {"traffic.x.calls", 100.0},
                                    {"traffic.x.completion_latency.mean", std::nullopt},
                                    {"traffic.x.completion_latency.p50", std::nullopt},
                                    {"traffic.x.answer_seizure_ratio", 0.9},
                                    {"policies.cb.calls", 10.0}}});
  results.metrics.add_replication({{{"trunk_groups.AB.call_blocking", 0.03},
                                    {"traffic.x.calls", 110.0},
                                    {"traffic.x.completion_latency.mean", std::nullopt},
                                    {"traffic.x.completion_latency.p50", std::nullopt},
                                    {"traffic.x.answer_seizure_ratio", 0.8},
                                    {"policies.cb.calls", 12.0}}});
  results.histograms["traffic.x.completion_latency_histogram"] = {{0, 10, 20}, {3, 1}};
  results.policy_types["cb"] = "callback";
  results.policy_types["idle"] = "campon";
  return results;
}

TEST(ResultsJson, TopLevelKeysFollowTheSpec) {
  RunResults results = sample_results();
  EXPECT_EQ(keys(to_json(results)),
            (std::vector<std::string>{"telsim", "scenario", "seed", "replications", "warmup",
                                      "duration", "run", "engine", "warmup_used", "timeseries",
                                      "trunk_groups", "traffic", "policies"}));
  results.precision = PrecisionOutcome{"trunk_groups.AB.call_blocking", true, 37};
  results.warmup_field = "auto";
  const auto json = to_json(results);
  EXPECT_EQ(keys(json)[9], "precision");
  EXPECT_EQ(json["precision"].dump(),
            R"({"metric":"trunk_groups.AB.call_blocking","met":true,"replications":37})");
  EXPECT_EQ(json["warmup"], "auto");
}

TEST(ResultsJson, NestsMetricPathsInFirstSeenOrder) {
  const auto json = to_json(sample_results());
  EXPECT_EQ(json["telsim"], 1);
  EXPECT_EQ(json["seed"], 42);
  EXPECT_EQ(json["warmup"], 600.0);
  EXPECT_EQ(keys(json["run"]), (std::vector<std::string>{"version", "commit", "scenario_sha256",
                                                         "command_line", "threads", "started_at"}));
  EXPECT_EQ(keys(json["engine"]),
            (std::vector<std::string>{"events", "wall_seconds", "events_per_second",
                                      "peak_pending_events"}));
  EXPECT_EQ(json["warmup_used"]["mean"], 600.0);
  EXPECT_EQ(json["timeseries"].dump(),
            R"({"trunk_groups":{"AB":{"busy_circuits":{"t":[0.0,18.0],"mean":[3.5,4.25]}}}})");
  const auto& blocking = json["trunk_groups"]["AB"]["call_blocking"];
  EXPECT_DOUBLE_EQ(blocking["mean"].get<double>(), 0.02);
  EXPECT_EQ(blocking["n"], 2);
  // The histogram comes right after its sibling, before answer_seizure_ratio.
  EXPECT_EQ(keys(json["traffic"]["x"]),
            (std::vector<std::string>{"calls", "completion_latency", "completion_latency_histogram",
                                      "answer_seizure_ratio"}));
  EXPECT_EQ(json["traffic"]["x"]["completion_latency_histogram"].dump(),
            R"({"edges":[0.0,10.0,20.0],"counts":[3,1]})");
  // No data at all: mean and ci95 are null, values hold nulls.
  EXPECT_EQ(json["traffic"]["x"]["completion_latency"]["mean"].dump(),
            R"({"mean":null,"ci95":null,"n":0,"values":[null,null]})");
  // A policy's type comes first; a policy with no metrics still gets its block.
  EXPECT_EQ(keys(json["policies"]["cb"]), (std::vector<std::string>{"type", "calls"}));
  EXPECT_EQ(json["policies"]["cb"]["type"], "callback");
  EXPECT_EQ(json["policies"]["idle"].dump(), R"({"type":"campon"})");
}

TEST(ResultsJson, StreamedTextIsNlohmannsOwnLayoutAndDigits) {
  // The writer streams the document piece by piece; its text must be what
  // nlohmann's dump(2) gives for the same document, digit for digit: parse it
  // back and dump it. Numbers that stress the shortest round trip, the
  // exponent forms and ".0" on integers; names that need escapes or hold UTF-8.
  RunResults results = sample_results();
  results.scenario["note"] = "tab\there, quote \" and \u00e9";
  results.scenario["empty"] = nlohmann::ordered_json::object();
  results.scenario["list"] = {1, -2, 3.5, nullptr, true, nlohmann::ordered_json::array()};
  ReplicationMetrics tricky;
  const std::vector<double> numbers = {0.1,
                                       1.0 / 3,
                                       1e-5,
                                       1.5e-7,
                                       1e21,
                                       1e22,
                                       123456789012345680.0,
                                       -0.0,
                                       5e-324,
                                       1.7976931348623157e308,
                                       2.0,
                                       100.0,
                                       0.3,
                                       2.5e-310,
                                       9007199254740993.0};
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    tricky.add("traffic.\u00e9t\u00e9 \"q\".n" + std::to_string(i), numbers[i]);
  }
  tricky.add("trunk_groups.AB.call_blocking", 0.01);
  RunResults many;
  many = results;
  many.metrics = MetricTable{};
  many.metrics.add_replication(tricky);
  many.metrics.add_replication(tricky);
  for (const RunResults* r : {&results, &many}) {
    std::ostringstream text;
    write_results(text, *r);
    EXPECT_EQ(text.str(), nlohmann::ordered_json::parse(text.str()).dump(2) + "\n");
  }
  std::ostringstream text;
  write_results(text, many);
  EXPECT_NE(text.str().find("\"\u00e9t\u00e9 \\\"q\\\"\": {"), std::string::npos);
}

TEST(ResultsJson, NonFiniteNumbersAreNull) {
  RunResults results = sample_results();
  results.engine.events_per_second = std::numeric_limits<double>::infinity();
  results.timeseries["AB"]["busy_circuits"].mean[0] = std::numeric_limits<double>::quiet_NaN();
  const auto json = to_json(results);
  EXPECT_TRUE(json["engine"]["events_per_second"].is_null());
  EXPECT_TRUE(json["timeseries"]["trunk_groups"]["AB"]["busy_circuits"]["mean"][0].is_null());
}

TEST(ResultsJson, RejectsPathsOutsideTheSectionsAndCollisions) {
  RunResults outside;
  outside.metrics.add_replication({{{"seed.x", 1.0}}});
  EXPECT_THROW((void)to_json(outside), std::invalid_argument);
  RunResults collision;
  collision.metrics.add_replication({{{"traffic.x.calls", 1.0}, {"traffic.x.calls.y", 1.0}}});
  EXPECT_THROW((void)to_json(collision), std::invalid_argument);
  RunResults empty_part;
  empty_part.metrics.add_replication({{{"traffic..calls", 1.0}}});
  EXPECT_THROW((void)to_json(empty_part), std::invalid_argument);
}

TEST(ResultsJson, IsDeterministic) {
  EXPECT_EQ(to_json(sample_results()).dump(2), to_json(sample_results()).dump(2));
}

TEST(WriteFileAtomically, ReplacesTheTargetAndLeavesNoTemporaryFile) {
  ScratchFolder folder;
  const fs::path target = folder.path() / "out.json";
  write_file_atomically(target, "first");
  write_file_atomically(target, "second");
  EXPECT_EQ(read(target), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator{}), 1);
}

TEST(WriteFileAtomically, UsesTheGivenTemporaryFolder) {
  ScratchFolder folder;
  fs::create_directories(folder.path() / ".tmp");
  fs::create_directories(folder.path() / "points");
  write_file_atomically(folder.path() / "points" / "0000.json", "{}", folder.path() / ".tmp");
  EXPECT_EQ(read(folder.path() / "points" / "0000.json"), "{}");
  EXPECT_TRUE(fs::is_empty(folder.path() / ".tmp"));
}

TEST(WriteFileAtomically, FailureLeavesTheTargetUntouched) {
  ScratchFolder folder;
  const fs::path target = folder.path() / "out.json";
  write_file_atomically(target, "old");
  // A temporary folder that is not a folder fails even for root.
  const fs::path not_a_folder = folder.path() / "file";
  write_file_atomically(not_a_folder, "x");
  try {
    write_file_atomically(target, "new", not_a_folder);
    FAIL() << "no exception";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(not_a_folder.string()), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("Not a directory"), std::string::npos);
  }
  EXPECT_EQ(read(target), "old");
  // A missing folder names the path.
  EXPECT_THROW(write_file_atomically(folder.path() / "missing" / "out.json", "x"),
               std::runtime_error);
}

TEST(WriteFileAtomically, UnwritableFolderLeavesTheTargetUntouched) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  ScratchFolder folder;
  const fs::path target = folder.path() / "out.json";
  write_file_atomically(target, "old");
  fs::permissions(folder.path(), fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(write_file_atomically(target, "new"), std::runtime_error);
  fs::permissions(folder.path(), fs::perms::owner_all);
  EXPECT_EQ(read(target), "old");
}

TEST(WriteFileAtomically, StreamedWriteThatFailsHalfWayLeavesTheTargetUntouched) {
  ScratchFolder folder;
  const fs::path target = folder.path() / "out.json";
  write_file_atomically(target, "old");
  const auto half_then_fail = [](std::ostream& out) {
    out << std::string(3 << 20, 'x');  // past the buffer: bytes are on disk already
    throw std::runtime_error("stopped");
  };
  EXPECT_THROW(write_file_atomically(target, half_then_fail), std::runtime_error);
  EXPECT_EQ(read(target), "old");
  // A results table that cannot be written (a path outside the sections) fails the same way,
  // after the document's first part was streamed.
  RunResults bad = sample_results();
  bad.metrics.add_replication({{{"elsewhere.x", 1.0}}});
  EXPECT_THROW(write_results_file(target, bad), std::invalid_argument);
  EXPECT_EQ(read(target), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator{}), 1)
      << "no temporary file left behind";
  write_results_file(target, sample_results());
  EXPECT_EQ(nlohmann::ordered_json::parse(read(target)), to_json(sample_results()));
}

TEST(WriteFileAtomically, ASymbolicLinkStaysALinkAndItsFileIsReplaced) {
  // Renaming over the link's own path replaced the link: as root,
  // `--out /dev/stdout > file` replaced /dev/stdout itself.
  ScratchFolder folder;
  const fs::path file = folder.path() / "real.json";
  const fs::path link = folder.path() / "link.json";
  write_file_atomically(file, "old");
  fs::create_symlink(file, link);
  write_file_atomically(link, "new");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read(file), "new");
  write_results_file(link, sample_results());
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(nlohmann::ordered_json::parse(read(file)), to_json(sample_results()));
  // A link to a file not there yet, through a second link.
  const fs::path later = folder.path() / "later.json";
  fs::create_symlink("link-to-later", folder.path() / "first-link");
  fs::create_symlink(later.filename(), folder.path() / "link-to-later");
  write_file_atomically(folder.path() / "first-link", "made");
  EXPECT_TRUE(fs::is_symlink(folder.path() / "first-link"));
  EXPECT_EQ(read(later), "made");
}

TEST(ResultsJson, TextThatIsNotUtf8IsWrittenWithReplacementCharacters) {
  // A command line naming a Latin-1 file: the results are still written.
  RunResults results = sample_results();
  results.run.command_line = "telsim run caf\xe9.yaml";
  std::ostringstream text;
  write_results(text, results);
  EXPECT_NE(text.str().find("\"command_line\": \"telsim run caf\xef\xbf\xbd.yaml\""),
            std::string::npos);
}

TEST(WriteCsv, WritesThreeFiles) {
  ScratchFolder folder;
  RunResults results = sample_results();
  results.metrics.add_replication({{{"traffic.x,y.calls", 5.0}}});
  write_csv(folder.path() / "csv", results);
  const std::string metrics = read(folder.path() / "csv" / "metrics.csv");
  EXPECT_EQ(metrics.substr(0, metrics.find('\n')), "path,mean,ci95,n");
  EXPECT_NE(metrics.find("\ntraffic.x.completion_latency.mean,,,0\n"), std::string::npos);
  EXPECT_NE(metrics.find("\n\"traffic.x,y.calls\",5,,1\n"), std::string::npos);
  const std::string replications = read(folder.path() / "csv" / "replications.csv");
  EXPECT_NE(replications.find("replication,path,value\n0,trunk_groups.AB.call_blocking,0.01\n"),
            std::string::npos);
  EXPECT_NE(replications.find("\n1,trunk_groups.AB.call_blocking,0.03\n"), std::string::npos);
  EXPECT_NE(replications.find("\n2,trunk_groups.AB.call_blocking,\n"), std::string::npos);
  EXPECT_EQ(read(folder.path() / "csv" / "timeseries.csv"),
            "group,series,t,mean\nAB,busy_circuits,0,3.5\nAB,busy_circuits,18,4.25\n");
}

}  // namespace
}  // namespace telsim::analysis
