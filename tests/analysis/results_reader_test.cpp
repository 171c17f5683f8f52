// read_results against to_json: documents built here and the results files telsim wrote
// for the viewer's tests must come back byte for byte; malformed ones must name the path.
#include "telsim/analysis/results_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace telsim::analysis {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path gui_data = fs::path(TELSIM_TEST_DATA_DIR) / ".." / "gui" / "data";

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Several metrics with nulls (one with no data at all), paths first seen out of tree order,
// histograms with and without a sibling (one empty), time series with a non-finite mean and
// an empty group, a policy with metrics and one with only its type; precision met.
RunResults full_results() {
  RunResults results;
  results.scenario = {{"telsim", 1}, {"name", "demo"}, {"trunk_groups", {{{"name", "AB"}}}}};
  results.seed = 18446744073709551615ULL;
  results.replications = 3;
  results.warmup = 600.5;
  results.duration = 3600;
  results.run = {"0.1.0", "abc123", "deadbeef", "telsim run demo.yaml", "2024-01-01T00:00:00Z", 4};
  results.engine = {123456789, 0.25, 493827156, 17};
  results.warmup_used = {600.5, std::nullopt, 600.5};
  results.precision = PrecisionOutcome{"trunk_groups.AB.call_blocking", true, 3};
  results.timeseries["AB"]["busy_circuits"] = {{0, 18, 36}, {3.5, 4.25, 0.1}};
  results.timeseries["AB"]["idle_circuits"] = {{0}, {std::numeric_limits<double>::quiet_NaN()}};
  results.timeseries["TB"];
  const std::vector<std::vector<std::pair<std::string, std::optional<double>>>> rows{
      {{"trunk_groups.AB.call_blocking", 0.01},
       {"traffic.x.calls", 100.0},
       {"trunk_groups.TB.call_blocking", 0.1},
       {"traffic.x.completion_latency.mean", std::nullopt},
       {"traffic.x.completion_latency.p95", 12.5},
       {"trunk_groups.AB.carried_erlangs", 14.2},
       {"policies.cb.calls", 10.0}},
      {{"trunk_groups.AB.call_blocking", 0.03},
       {"traffic.x.calls", 110.0},
       {"trunk_groups.TB.call_blocking", std::nullopt},
       {"traffic.x.completion_latency.mean", std::nullopt},
       {"traffic.x.completion_latency.p95", std::nullopt},
       {"trunk_groups.AB.carried_erlangs", 14.7},
       {"policies.cb.calls", 12.0}},
      {{"trunk_groups.AB.call_blocking", 1.0 / 3},
       {"traffic.x.calls", 0.0},
       {"trunk_groups.TB.call_blocking", 0.2},
       {"traffic.x.completion_latency.mean", std::nullopt},
       {"traffic.x.completion_latency.p95", 7.0},
       {"trunk_groups.AB.carried_erlangs", std::numeric_limits<double>::infinity()},
       {"policies.cb.calls", 11.0}}};
  for (const auto& row : rows) {
    ReplicationMetrics replication;
    for (const auto& [path, value] : row) replication.add(path, value);
    results.metrics.add_replication(replication);
  }
  results.histograms["traffic.x.completion_latency_histogram"] = {{0, 0.1, 0.2, 0.3}, {3, 0, 1}};
  results.histograms["traffic.y.completion_latency_histogram"] = {{}, {}};
  results.histograms["policies.cb.completion_latency_histogram"] = {{0, 5}, {2}};
  results.policy_types["cb"] = "callback";
  results.policy_types["idle"] = "campon";
  return results;
}

// No precision, warmup "auto" with a null warm-up, non-finite engine figures, no policies.
RunResults auto_warmup_results() {
  RunResults results;
  results.scenario = {{"telsim", 1}, {"name", "auto"}};
  results.seed = 7;
  results.replications = 2;
  results.warmup_field = "auto";
  results.duration = 1e9;
  results.run = {"", "", "", "", "", 1};
  results.engine = {0, std::numeric_limits<double>::quiet_NaN(),
                    std::numeric_limits<double>::infinity(), 0};
  results.warmup_used = {std::nullopt, 1234.5};
  results.metrics.add_replication({{{"traffic.r.outcome.completed", 0.75}}});
  results.metrics.add_replication({{{"traffic.r.outcome.completed", 0.8}}});
  return results;
}

std::string round_trip(const Json& document) {
  return to_json(read_results(document)).dump();
}

std::string error_of(const Json& document) {
  try {
    read_results(document);
  } catch (const ResultsFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

// "traffic.x.calls" -> the JSON pointer /traffic/x/calls.
Json::json_pointer pointer_of(std::string path) {
  std::replace(path.begin(), path.end(), '.', '/');
  return Json::json_pointer("/" + path);
}

TEST(ResultsReader, BuiltResultsComeBackByteForByte) {
  for (const RunResults& results : {full_results(), auto_warmup_results()}) {
    const Json document = to_json(results);
    EXPECT_EQ(round_trip(document), document.dump());
    // Through text, as a file is read.
    const std::string text = document.dump(2);
    EXPECT_EQ(to_json(read_results(Json::parse(text))).dump(2), text);
  }
}

TEST(ResultsReader, RebuildsEveryField) {
  const RunResults written = full_results();
  const RunResults read = read_results(to_json(written));
  EXPECT_EQ(read.scenario, written.scenario);
  EXPECT_EQ(read.seed, written.seed);
  EXPECT_EQ(read.replications, 3u);
  EXPECT_EQ(read.warmup, 600.5);
  EXPECT_TRUE(read.warmup_field.is_null());
  EXPECT_EQ(read.duration, 3600);
  EXPECT_EQ(read.run.command_line, "telsim run demo.yaml");
  EXPECT_EQ(read.run.started_at, "2024-01-01T00:00:00Z");
  EXPECT_EQ(read.run.threads, 4);
  EXPECT_EQ(read.engine.events, 123456789u);
  EXPECT_EQ(read.engine.events_per_second, 493827156);
  EXPECT_EQ(read.engine.peak_pending_events, 17u);
  EXPECT_EQ(read.warmup_used, written.warmup_used);
  ASSERT_TRUE(read.precision);
  EXPECT_EQ(read.precision->metric, "trunk_groups.AB.call_blocking");
  EXPECT_TRUE(read.precision->met);
  EXPECT_EQ(read.precision->replications, 3u);
  EXPECT_EQ(read.timeseries.at("AB").at("busy_circuits").mean,
            (std::vector<double>{3.5, 4.25, 0.1}));
  EXPECT_TRUE(std::isnan(read.timeseries.at("AB").at("idle_circuits").mean.at(0)));
  EXPECT_TRUE(read.timeseries.at("TB").empty());
  ASSERT_EQ(read.histograms.size(), 3u);
  for (const auto& [path, histogram] : written.histograms) {
    EXPECT_EQ(read.histograms.at(path).edges, histogram.edges) << path;
    EXPECT_EQ(read.histograms.at(path).counts, histogram.counts) << path;
  }
  EXPECT_EQ(read.policy_types, written.policy_types);
  // Paths come back in document order: grouped by trunk group, unlike first-seen order.
  EXPECT_EQ(
      std::vector<std::string>(read.metrics.paths().begin(), read.metrics.paths().end()),
      (std::vector<std::string>{"trunk_groups.AB.call_blocking", "trunk_groups.AB.carried_erlangs",
                                "trunk_groups.TB.call_blocking", "traffic.x.calls",
                                "traffic.x.completion_latency.mean",
                                "traffic.x.completion_latency.p95", "policies.cb.calls"}));
  EXPECT_EQ(read.metrics.replications(), 3u);
  for (const std::string& path : written.metrics.paths()) {
    const auto& values = written.metrics.values(path);
    const auto& read_values = read.metrics.values(path);
    ASSERT_EQ(read_values.size(), values.size()) << path;
    for (std::size_t r = 0; r < values.size(); ++r) {
      // A non-finite value is written as null: no data, as the statistic already counted it.
      const bool has_data = values[r] && std::isfinite(*values[r]);
      EXPECT_EQ(read_values[r], has_data ? values[r] : std::nullopt) << path << " " << r;
    }
  }
}

TEST(ResultsReader, AutoWarmupAndNullNumbers) {
  const RunResults read = read_results(to_json(auto_warmup_results()));
  EXPECT_EQ(read.warmup_field, "auto");
  EXPECT_EQ(read.warmup, 0);
  EXPECT_FALSE(read.precision);
  EXPECT_TRUE(std::isnan(read.engine.wall_seconds));
  EXPECT_TRUE(read.policy_types.empty());
  EXPECT_TRUE(read.histograms.empty());

  Json document = to_json(auto_warmup_results());
  document["warmup"] = nullptr;
  EXPECT_TRUE(std::isnan(read_results(document).warmup));
  EXPECT_EQ(round_trip(document), document.dump());
}

TEST(ResultsReader, FilesTelsimWroteComeBackByteForByte) {
  std::vector<fs::path> files{gui_data / "erlang-b.results.json",
                              gui_data / "policies-metro.results.json"};
  for (const char* sweep : {"sweep-erlang-b", "sweep-engset"}) {
    for (const auto& entry : fs::directory_iterator(gui_data / sweep / "points")) {
      files.push_back(entry.path());
    }
  }
  ASSERT_EQ(files.size(), 11u);
  for (const fs::path& file : files) {
    const std::string text = read_text(file);
    ASSERT_FALSE(text.empty()) << file;
    EXPECT_EQ(to_json(read_results(Json::parse(text))).dump(2) + "\n", text) << file;
  }
  // compare.json holds one results document per alternative.
  const Json comparison = Json::parse(read_text(gui_data / "policy-comparison.compare.json"));
  ASSERT_EQ(comparison["alternatives"].size(), 3u);
  for (const Json& alternative : comparison["alternatives"]) {
    EXPECT_EQ(round_trip(alternative), alternative.dump());
  }
}

// What a sweep summary needs: each statistic as the file wrote it, from the values alone.
TEST(ResultsReader, StatisticsFromTheValuesAreTheOnesWritten) {
  const Json document = Json::parse(read_text(gui_data / "policies-metro.results.json"));
  const RunResults read = read_results(document);
  ASSERT_GT(read.metrics.paths().size(), 50u);
  for (const std::string& path : read.metrics.paths()) {
    EXPECT_EQ(to_json(read.metrics.statistic(path)).dump(), document.at(pointer_of(path)).dump())
        << path;
  }
  EXPECT_TRUE(read.histograms.contains("traffic.a-to-cc.completion_latency_histogram"));
  EXPECT_FALSE(read.policy_types.empty());
}

TEST(ResultsReader, IgnoresKeysToJsonNeverWrites) {
  const Json written = to_json(full_results());
  Json document = written;
  document["written_by_a_newer_telsim"] = {1, 2};
  document["run"]["host"] = "node17";
  document["trunk_groups"]["AB"]["call_blocking"]["median"] = 0.02;
  EXPECT_EQ(round_trip(document), written.dump());
}

TEST(ResultsReader, NamesThePathOfWhatIsWrong) {
  const Json valid = to_json(full_results());
  const std::vector<std::pair<std::function<void(Json&)>, std::string>> cases{
      {[](Json& d) { d = Json::array(); }, "document: expected an object, found an array"},
      {[](Json& d) { d.erase("telsim"); }, "telsim: missing"},
      {[](Json& d) { d["telsim"] = 2; }, "telsim: format version 2; this reader reads version 1"},
      {[](Json& d) { d["scenario"] = "demo.yaml"; },
       "scenario: expected an object, found a string"},
      {[](Json& d) { d["seed"] = -1; }, "seed: expected a non-negative integer, found a number"},
      {[](Json& d) { d["warmup"] = true; },
       "warmup: expected seconds, null or a word such as \"auto\", found a boolean"},
      {[](Json& d) { d["run"].erase("commit"); }, "run.commit: missing"},
      {[](Json& d) { d["engine"]["events"] = 1.5; },
       "engine.events: expected a non-negative integer, found a number"},
      {[](Json& d) { d["precision"]["met"] = "yes"; },
       "precision.met: expected true or false, found a string"},
      {[](Json& d) { d["warmup_used"].erase("n"); }, "warmup_used.n: missing"},
      {[](Json& d) { d["timeseries"]["trunk_groups"]["AB"]["busy_circuits"]["t"].erase(0); },
       "timeseries.trunk_groups.AB.busy_circuits: 2 times but 3 means"},
      {[](Json& d) { d.erase("policies"); }, "policies: missing"},
      {[](Json& d) { d["traffic"]["x"]["calls"]["values"] = "100,110,0"; },
       "traffic.x.calls.values: expected an array, found a string"},
      {[](Json& d) { d["traffic"]["x"]["calls"]["values"][1] = "110"; },
       "traffic.x.calls.values[1]: expected a number or null, found a string"},
      {[](Json& d) { d["traffic"]["x"]["calls"]["mean"] = "70"; },
       "traffic.x.calls.mean: expected a number or null, found a string"},
      {[](Json& d) { d["trunk_groups"]["TB"]["call_blocking"]["n"] = 3; },
       "trunk_groups.TB.call_blocking.n: 3, but values holds 2 numbers"},
      {[](Json& d) { d["traffic"]["x"]["calls"]["values"].push_back(nullptr); },
       "traffic.x.calls.values: 4 entries, but trunk_groups.AB.call_blocking.values has 3"},
      {[](Json& d) { d["traffic"]["x"]["calls"] = 100; },
       "traffic.x.calls: expected an object (a statistic, a histogram or a group of them), "
       "found a number"},
      {[](Json& d) { d["traffic"]["z"] = Json::object(); },
       "traffic.z: an empty object (to_json writes no empty group)"},
      {[](Json& d) {
         const Json calls = d["traffic"]["x"]["calls"];
         d["traffic"]["x.y"] = calls;
       },
       "traffic: key \"x.y\" is not a name (empty or with a '.')"},
      {[](Json& d) { d["traffic"]["x"]["completion_latency_histogram"]["counts"].erase(0); },
       "traffic.x.completion_latency_histogram: 4 edges for 2 bins (a histogram has one more)"},
      {[](Json& d) { d["traffic"]["x"]["completion_latency_histogram"]["counts"][0] = -3; },
       "traffic.x.completion_latency_histogram.counts[0]: expected a non-negative integer, "
       "found a number"},
      {[](Json& d) { d["policies"]["idle"]["type"] = 3; },
       "policies.idle.type: expected a string, found a number"},
  };
  for (const auto& [mutate, message] : cases) {
    Json document = valid;
    mutate(document);
    EXPECT_EQ(error_of(document), message);
  }
  EXPECT_EQ(error_of(valid), "(no error)");
}

}  // namespace
}  // namespace telsim::analysis
