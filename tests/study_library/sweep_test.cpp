// studies::run_sweep in-process: the files it writes, its report, resume, the folder checks,
// bad --vary, a failing point, a stop flag; and resume_command.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support.hpp"
#include "telsim/analysis/results_reader.hpp"
#include "telsim/studies/study_error.hpp"
#include "telsim/studies/sweep.hpp"

namespace telsim::study_library_test {
namespace {

using studies::StudyError;
using studies::SweepOptions;
using Progress = std::vector<std::pair<std::size_t, std::size_t>>;

const std::string kCommand =
    "telsim sweep erlang-b.yaml --vary trunk_groups.AB.circuits=10,20,30 --out OUT";

// Three points of erlang-b.yaml: 10, 20 and 30 circuits for 15 Erlang, blocking about
// 0.41, 0.046 and 0.0002. Only 20 circuits meet the file's expect check (0.0396..0.0516).
studies::SessionOptions three_points_session() {
  studies::SessionOptions o = quick_erlang_b();
  o.command_line = kCommand;
  o.threads = 2;
  return o;
}

SweepOptions three_points(const fs::path& out, Progress* progress = nullptr) {
  SweepOptions o;
  o.vary = {"trunk_groups.AB.circuits=10,20,30"};
  o.out = out;
  if (progress) {
    o.progress = [progress](std::size_t done, std::size_t total) {
      progress->emplace_back(done, total);
    };
  }
  return o;
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// One sweep, run once for the tests that only look at what it wrote or do not change it.
class SweepOfThreePoints : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    studies::Session session(three_points_session());
    studies::LocalWorkers workers;
    const std::atomic<int> stop{0};
    progress_ = new Progress;
    report_ = new studies::SweepReport(
        studies::run_sweep(session, three_points(out(), progress_), workers, stop));
  }
  static void TearDownTestSuite() {
    delete report_;
    report_ = nullptr;
    delete progress_;
    progress_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  // A study that threw in SetUpTestSuite has been reported there; its tests have nothing
  // to look at.
  void SetUp() override { ASSERT_NE(report_, nullptr) << "the sweep did not finish"; }
  static fs::path out() { return dir_->path() / "sweep"; }

  static TempDir* dir_;
  static Progress* progress_;
  static studies::SweepReport* report_;
};
TempDir* SweepOfThreePoints::dir_ = nullptr;
Progress* SweepOfThreePoints::progress_ = nullptr;
studies::SweepReport* SweepOfThreePoints::report_ = nullptr;

TEST_F(SweepOfThreePoints, WritesPointFilesAndSummaries) {
  EXPECT_EQ(entries(out()),
            (std::vector<std::string>{"points", "results.sqlite", "summary.csv", "summary.json"}))
      << "no .tmp left behind";
  EXPECT_EQ(entries(out() / "points"),
            (std::vector<std::string>{"0000.json", "0001.json", "0002.json"}));
  EXPECT_EQ(read_bytes(out() / "results.sqlite").substr(0, 16),
            std::string("SQLite format 3\0", 16));

  const std::string csv = read_bytes(out() / "summary.csv");
  EXPECT_EQ(csv.rfind("point,trunk_groups.AB.circuits,", 0), 0u) << csv.substr(0, 200);
  EXPECT_NE(csv.find("\n1,20,"), std::string::npos) << csv.substr(0, 400);

  const auto summary = nlohmann::ordered_json::parse(read_bytes(out() / "summary.json"));
  ASSERT_EQ(summary.at("points").size(), 3u);
  EXPECT_EQ(summary.at("vary").at(0).at("key"), "trunk_groups.AB.circuits");
  EXPECT_EQ(summary.at("vary").at(0).at("values"), nlohmann::ordered_json::parse("[10, 20, 30]"));
  for (std::size_t p = 0; p < 3; ++p) {
    const fs::path file = out() / "points" / studies::point_file_name(p);
    const analysis::RunResults point =
        analysis::read_results(nlohmann::ordered_json::parse(read_bytes(file)));
    const int circuits = 10 + 10 * static_cast<int>(p);
    EXPECT_EQ(point.scenario.at("trunk_groups").at(0).at("circuits"), circuits);
    EXPECT_EQ(point.scenario.at("duration"), 36000);
    EXPECT_EQ(point.run.command_line, kCommand);
    EXPECT_EQ(point.replications, 10u);
    const auto& row = summary.at("points").at(p);
    EXPECT_EQ(row.at("point"), p);
    EXPECT_EQ(row.at("values").at("trunk_groups.AB.circuits"), circuits);
    const analysis::Statistic blocking = point.metrics.statistic("trunk_groups.AB.call_blocking");
    ASSERT_TRUE(blocking.mean);
    EXPECT_EQ(row.at("metrics").at("trunk_groups.AB.call_blocking").at("mean").get<double>(),
              *blocking.mean);
  }
}

TEST_F(SweepOfThreePoints, BlockingFallsWithCircuits) {
  std::vector<double> blocking;
  for (std::size_t p = 0; p < 3; ++p) {
    const auto doc =
        nlohmann::ordered_json::parse(read_bytes(out() / "points" / studies::point_file_name(p)));
    blocking.push_back(doc.at("trunk_groups").at("AB").at("call_blocking").at("mean"));
  }
  // B(10, 15) = 0.411, B(20, 15) = 0.0456, B(30, 15) = 0.0002.
  EXPECT_NEAR(blocking[0], 0.411, 0.02);
  EXPECT_NEAR(blocking[1], 0.0456, 0.01);
  EXPECT_LT(blocking[2], 0.002);
}

TEST_F(SweepOfThreePoints, ReportsEveryPointWithItsValuesAndChecks) {
  EXPECT_EQ(report_->out, out());
  ASSERT_EQ(report_->points.size(), 3u);
  const char* names[] = {"0000", "0001", "0002"};
  const char* values[] = {"trunk_groups.AB.circuits=10", "trunk_groups.AB.circuits=20",
                          "trunk_groups.AB.circuits=30"};
  for (std::size_t p = 0; p < 3; ++p) {
    const auto& point = report_->points[p];
    EXPECT_EQ(point.name, names[p]);
    EXPECT_EQ(point.values, values[p]);
    EXPECT_GT(point.wall_seconds, 0.0);
    ASSERT_EQ(point.checks.size(), 1u) << "erlang-b.yaml has one expect check";
    EXPECT_EQ(point.checks[0].passed, p == 1) << point.values;
  }
  EXPECT_TRUE(report_->any_check_failed());
}

TEST_F(SweepOfThreePoints, ProgressCountsThePoints) {
  ASSERT_FALSE(progress_->empty());
  EXPECT_EQ(progress_->front(), (std::pair<std::size_t, std::size_t>{0, 3}));
  EXPECT_EQ(progress_->back(), (std::pair<std::size_t, std::size_t>{3, 3}));
  EXPECT_EQ(progress_->size(), 4u) << "once before the first point, then after each";
}

TEST_F(SweepOfThreePoints, ASecondRunWithoutResumeIsRefused) {
  const std::string summary = read_bytes(out() / "summary.csv");
  studies::Session session(three_points_session());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  const auto [code, message] =
      study_error([&] { (void)studies::run_sweep(session, three_points(out()), workers, stop); });
  EXPECT_EQ(code, studies::exit_bad_input) << message;
  EXPECT_NE(message.find("already holds points of a sweep"), std::string::npos) << message;
  EXPECT_EQ(read_bytes(out() / "summary.csv"), summary);
}

TEST_F(SweepOfThreePoints, ResumingIntoAnotherScenariosFolderIsRefused) {
  // Another duration: the same --vary, but not the points this folder holds.
  studies::SessionOptions other = three_points_session();
  other.sets = {"duration=36001"};
  studies::Session session(other);
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  SweepOptions options = three_points(out());
  options.resume = true;
  const auto [code, message] =
      study_error([&] { (void)studies::run_sweep(session, options, workers, stop); });
  EXPECT_EQ(code, studies::exit_bad_input) << message;
  EXPECT_NE(message.find("was made from another scenario"), std::string::npos) << message;

  // Fewer points: 0002.json is not one of them.
  options.vary = {"trunk_groups.AB.circuits=10,20"};
  studies::Session same(three_points_session());
  const auto [code2, message2] =
      study_error([&] { (void)studies::run_sweep(same, options, workers, stop); });
  EXPECT_EQ(code2, studies::exit_bad_input) << message2;
  EXPECT_NE(message2.find("is not a point of this sweep (2 points)"), std::string::npos)
      << message2;
}

// Changes the folder: a sweep of its own.
TEST(Sweep, ResumeRunsOnlyTheMissingPointsAndEndsByteIdentical) {
  TempDir dir;
  const fs::path out = dir / "sweep";
  studies::Session session(three_points_session());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  (void)studies::run_sweep(session, three_points(out), workers, stop);
  const std::string csv = read_bytes(out / "summary.csv");
  const std::string json = read_bytes(out / "summary.json");
  const std::string point0 = read_bytes(out / "points/0000.json");

  // Nothing missing: nothing runs, the same summaries.
  SweepOptions resume = three_points(out);
  resume.resume = true;
  Progress progress;
  resume.progress = [&](std::size_t done, std::size_t total) {
    progress.emplace_back(done, total);
  };
  const studies::SweepReport again = studies::run_sweep(session, resume, workers, stop);
  EXPECT_EQ(progress, (Progress{{3, 3}}));
  EXPECT_EQ(again.points.size(), 3u);
  EXPECT_EQ(read_bytes(out / "summary.csv"), csv);
  EXPECT_EQ(read_bytes(out / "summary.json"), json);
  EXPECT_EQ(read_bytes(out / "points/0000.json"), point0) << "a kept point is not rewritten";

  // Point 1 lost (as if killed): only it runs again, and the summaries come out the same.
  fs::remove(out / "points/0001.json");
  progress.clear();
  (void)studies::run_sweep(session, resume, workers, stop);
  EXPECT_EQ(progress, (Progress{{2, 3}, {3, 3}}));
  EXPECT_TRUE(fs::exists(out / "points/0001.json"));
  EXPECT_EQ(read_bytes(out / "points/0000.json"), point0);
  EXPECT_EQ(read_bytes(out / "summary.csv"), csv);
  EXPECT_EQ(read_bytes(out / "summary.json"), json);
}

TEST(Sweep, TheFirstVaryVariesSlowest) {
  TempDir dir;
  studies::Session session(quick_erlang_b({"replications=2", "duration=600"}));
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  SweepOptions options;
  options.vary = {"trunk_groups.AB.circuits=10,20",
                  "traffic.callers-to-callees.arrivals.poisson.rate=0.05:0.15:3"};
  options.out = dir / "grid";
  const studies::SweepReport report = studies::run_sweep(session, options, workers, stop);
  const std::string rate = " traffic.callers-to-callees.arrivals.poisson.rate=";
  const std::vector<std::string> expected = {
      "trunk_groups.AB.circuits=10" + rate + "0.05", "trunk_groups.AB.circuits=10" + rate + "0.1",
      "trunk_groups.AB.circuits=10" + rate + "0.15", "trunk_groups.AB.circuits=20" + rate + "0.05",
      "trunk_groups.AB.circuits=20" + rate + "0.1",  "trunk_groups.AB.circuits=20" + rate + "0.15"};
  ASSERT_EQ(report.points.size(), expected.size());
  for (std::size_t p = 0; p < expected.size(); ++p) {
    EXPECT_EQ(report.points[p].name, studies::point_file_name(p).substr(0, 4));
    EXPECT_EQ(report.points[p].values, expected[p]);
    // The point file was made from those values.
    const auto doc = nlohmann::ordered_json::parse(
        read_bytes(options.out / "points" / studies::point_file_name(p)));
    EXPECT_EQ(doc.at("scenario").at("trunk_groups").at(0).at("circuits"), p < 3 ? 10 : 20) << p;
    EXPECT_NEAR(doc.at("scenario")
                    .at("traffic")
                    .at(0)
                    .at("arrivals")
                    .at("poisson")
                    .at("rate")
                    .get<double>(),
                0.05 * static_cast<double>(p % 3 + 1), 1e-12)
        << p;
  }
}

TEST(Sweep, ABadVaryIsABadInputErrorAndWritesNothing) {
  TempDir dir;
  studies::Session session(three_points_session());
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  for (const std::string vary :
       {"trunk_groups.AB.circuits", "=10,20", "trunk_groups.AB.circuits=10,,20",
        "trunk_groups.AB.circuits=10:20:1", "routes.A-B.via=[[AB],[[AB]]"}) {
    SweepOptions options = three_points(dir / "sweep");
    options.vary = {vary};
    const auto [code, message] =
        study_error([&] { (void)studies::run_sweep(session, options, workers, stop); });
    EXPECT_EQ(code, studies::exit_bad_input) << vary << ": " << message;
    EXPECT_EQ(message.rfind("--vary: error: ", 0), 0u) << vary << ": " << message;
  }
  // The same key twice.
  SweepOptions twice = three_points(dir / "sweep");
  twice.vary = {"trunk_groups.AB.circuits=10,20", "trunk_groups.AB.circuits=30"};
  EXPECT_EQ(study_error([&] { (void)studies::run_sweep(session, twice, workers, stop); }).first,
            studies::exit_bad_input);
  // A value the loader refuses names its point, and nothing is written: every point is
  // loaded before the folder is made.
  SweepOptions refused = three_points(dir / "sweep");
  refused.vary = {"trunk_groups.AB.circuits=10,lots"};
  const auto [code, message] =
      study_error([&] { (void)studies::run_sweep(session, refused, workers, stop); });
  EXPECT_EQ(code, studies::exit_bad_input) << message;
  EXPECT_EQ(message.rfind("--vary: error: point 0001 (trunk_groups.AB.circuits=lots): ", 0), 0u)
      << message;
  EXPECT_EQ(entries(dir.path()), std::vector<std::string>{});
}

TEST(Sweep, AFailedPointIsExit3WithTheOthersKeptAndTheResumeCommand) {
  TempDir dir;
  const fs::path out = dir / "sweep";
  studies::SessionOptions options = three_points_session();
  options.threads = 1;
  options.sets.push_back("duration=3600");
  studies::Session session(options);
  studies::LocalWorkers workers;
  const std::atomic<int> stop{0};
  SweepOptions sweep = three_points(out);
  // 100 events cannot hold a replication: point 1 fails while it runs.
  sweep.vary = {"limits={max_events: 100000000},{max_events: 100}"};
  const auto [code, message] =
      study_error([&] { (void)studies::run_sweep(session, sweep, workers, stop); });
  EXPECT_EQ(code, studies::exit_failed) << message;
  EXPECT_EQ(message.rfind("telsim: error: point 0001 (limits={max_events: 100}): ", 0), 0u)
      << message;
  EXPECT_NE(message.find("\n1 of 2 points are finished in " + out.string() +
                         "/points; to resume: " + kCommand + " --resume"),
            std::string::npos)
      << message;
  EXPECT_EQ(entries(out / "points"), std::vector<std::string>{"0000.json"});
  EXPECT_FALSE(fs::exists(out / "summary.csv"));
}

TEST(Sweep, AStopFlagEndsWithTheSignalsCodeAndTheResumeCommand) {
  TempDir dir;
  const fs::path out = dir / "sweep";
  studies::Session session(three_points_session());
  studies::LocalWorkers workers;
  for (const auto& [signal, expected] : {std::pair{2, 130}, std::pair{15, 143}}) {
    const std::atomic<int> stop{signal};
    const auto [code, message] =
        study_error([&] { (void)studies::run_sweep(session, three_points(out), workers, stop); });
    EXPECT_EQ(code, expected) << message;
    EXPECT_EQ(message, "telsim: interrupted (signal " + std::to_string(signal) +
                           "); 0 of 3 points are finished in " + out.string() +
                           "/points\nto resume: " + kCommand + " --resume");
    EXPECT_EQ(entries(out / "points"), std::vector<std::string>{});
    EXPECT_FALSE(fs::exists(out / "summary.json"));
  }
}

TEST(ResumeCommand, AddsOneResumeAtTheEnd) {
  EXPECT_EQ(studies::resume_command("telsim sweep f.yaml --vary k=1,2 --out d"),
            "telsim sweep f.yaml --vary k=1,2 --out d --resume");
  EXPECT_EQ(studies::resume_command("telsim sweep f.yaml --resume --out d"),
            "telsim sweep f.yaml --out d --resume");
  EXPECT_EQ(studies::resume_command("telsim sweep f.yaml --out d --resume"),
            "telsim sweep f.yaml --out d --resume");
}

}  // namespace
}  // namespace telsim::study_library_test
