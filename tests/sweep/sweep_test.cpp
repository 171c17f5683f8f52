// `telsim sweep` end to end (SPEC §4): the files written, summaries, threads, resume,
// signals, bad --vary, expect failures and (when built with MPI) mpirun.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;
using nlohmann::ordered_json;

const std::string circuits = "trunk_groups.AB.circuits";
const std::string rate = "traffic.callers-to-callees.arrivals.poisson.rate";

// 2 x 3 = 6 small points.
Strings small_sweep(const std::string& out) {
  return {"sweep",  fixture("small.yaml").string(),
          "--vary", circuits + "=8,10",
          "--vary", rate + "=5:7:3",
          "--out",  out,
          "--quiet"};
}

// 8 points of about a second each (about 4 s in all with 2 threads).
Strings slow_sweep(const std::string& out) {
  return {"sweep",   fixture("small.yaml").string(),
          "--vary",  circuits + "=8:15:8",
          "--set",   "duration=400000",
          "--out",   out,
          "--quiet", "--threads",
          "2"};
}

ordered_json without_provenance(const fs::path& file) {
  ordered_json doc = read_json(file);
  doc.erase("run");
  doc.erase("engine");
  return doc;
}

// Every output of two sweep folders matches: point files minus run/engine, summaries byte
// for byte, and nothing else in points/.
void expect_same_sweep(const fs::path& a, const fs::path& b) {
  const Strings points = TempDir::entries_of(a / "points");
  EXPECT_EQ(points, TempDir::entries_of(b / "points"));
  for (const std::string& p : points) {
    EXPECT_EQ(without_provenance(a / "points" / p), without_provenance(b / "points" / p)) << p;
  }
  for (const char* f : {"summary.csv", "summary.json", "results.sqlite"}) {
    EXPECT_EQ(sha256_hex(a / f), sha256_hex(b / f)) << f;
    EXPECT_FALSE(sha256_hex(a / f).empty()) << f;
  }
}

std::vector<fs::file_time_type> mtimes(const fs::path& dir, const Strings& names) {
  std::vector<fs::file_time_type> times;
  for (const auto& n : names) times.push_back(fs::last_write_time(dir / n));
  return times;
}

TEST(Sweep, WritesPointsAndSummaries) {
  TempDir dir;
  const ProcessResult r = run_telsim(small_sweep("out"), dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "--quiet prints nothing on success";
  EXPECT_EQ(TempDir::entries_of(dir / "out"),
            (Strings{"points", "results.sqlite", "summary.csv", "summary.json"}));
  EXPECT_EQ(
      TempDir::entries_of(dir / "out/points"),
      (Strings{"0000.json", "0001.json", "0002.json", "0003.json", "0004.json", "0005.json"}));

  // Point 4 is circuits=10, rate=6: the same document as `telsim run` writes for it.
  const ProcessResult run =
      run_telsim({"run", fixture("small.yaml").string(), "--set", circuits + "=10", "--set",
                  rate + "=6", "--out", "r.json", "--quiet"},
                 dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(without_provenance(dir / "out/points/0004.json"), without_provenance(dir / "r.json"));
  const ordered_json point = read_json(dir / "out/points/0004.json");
  EXPECT_EQ(point["scenario"]["trunk_groups"][0]["circuits"], 10);
  EXPECT_TRUE(point["run"].contains("command_line"));

  // summary.json holds each point's statistics, as in its file.
  const ordered_json summary = read_json(dir / "out/summary.json");
  ASSERT_EQ(summary["points"].size(), 6u);
  EXPECT_EQ(summary["vary"][1]["values"], ordered_json::parse("[5, 6, 7]"));
  for (std::size_t p = 0; p < 6; ++p) {
    const ordered_json doc = read_json(
        dir / "out/points" / (std::string(p < 10 ? "000" : "00") + std::to_string(p) + ".json"));
    const ordered_json& row = summary["points"][p];
    EXPECT_EQ(row["point"], p);
    EXPECT_EQ(row["metrics"]["trunk_groups.AB.call_blocking"]["mean"],
              doc["trunk_groups"]["AB"]["call_blocking"]["mean"]);
    EXPECT_EQ(row["metrics"]["traffic.callers-to-callees.completion_latency.p90"]["ci95"],
              doc["traffic"]["callers-to-callees"]["completion_latency"]["p90"]["ci95"]);
  }
  EXPECT_EQ(summary["points"][4]["values"][circuits], 10);
  EXPECT_EQ(summary["points"][4]["values"][rate], 6);

  // summary.csv: a header, then a row per point starting with its number and values.
  const std::string csv = read_file(dir / "out/summary.csv");
  EXPECT_EQ(csv.rfind("point," + circuits + "," + rate +
                          ",trunk_groups.AB.call_blocking.mean,"
                          "trunk_groups.AB.call_blocking.ci95,",
                      0),
            0u)
      << csv.substr(0, 200);
  EXPECT_NE(csv.find("\r\n4,10,6,"), std::string::npos);
  std::size_t rows = 0;
  for (char c : csv) rows += c == '\n' ? 1 : 0;
  EXPECT_EQ(rows, 7u);

  // results.sqlite: points and metrics tables agree with the point files.
  sqlite3* db = nullptr;
  ASSERT_EQ(
      sqlite3_open_v2((dir / "out/results.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
      SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  const std::string q = "SELECT p.\"" + circuits +
                        "\", m.mean, m.n FROM points p JOIN metrics m "
                        "ON m.point = p.point WHERE p.point = 4 AND m.metric = "
                        "'trunk_groups.AB.call_blocking'";
  ASSERT_EQ(sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))), "10");
  EXPECT_EQ(sqlite3_column_double(st, 1),
            point["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>());
  EXPECT_EQ(sqlite3_column_int(st, 2), 4);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST(Sweep, ThreadsDoNotChangeResults) {
  TempDir dir;
  Strings one = small_sweep("one"), two = small_sweep("two");
  one.insert(one.end(), {"--threads", "1"});
  two.insert(two.end(), {"--threads", "2"});
  ASSERT_EQ(run_telsim(one, dir.path()).exit_code, 0);
  ASSERT_EQ(run_telsim(two, dir.path()).exit_code, 0);
  expect_same_sweep(dir / "one", dir / "two");
}

TEST(Sweep, ResumeRunsOnlyMissingPoints) {
  TempDir dir;
  ASSERT_EQ(run_telsim(small_sweep("full"), dir.path()).exit_code, 0);
  ASSERT_EQ(run_telsim(small_sweep("part"), dir.path()).exit_code, 0);
  fs::remove(dir / "part/points/0001.json");
  fs::remove(dir / "part/points/0004.json");
  fs::remove(dir / "part/summary.csv");
  const Strings kept{"0000.json", "0002.json", "0003.json", "0005.json"};
  const auto before = mtimes(dir / "part/points", kept);
  const auto rerun_started = fs::file_time_type::clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));

  const ProcessResult again = run_telsim(small_sweep("part"), dir.path());
  EXPECT_EQ(again.exit_code, 2) << "a folder with points needs --resume";
  EXPECT_NE(again.err.find("--resume"), std::string::npos) << again.err;

  Strings resume = small_sweep("part");
  resume.push_back("--resume");
  const ProcessResult r = run_telsim(resume, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(mtimes(dir / "part/points", kept), before) << "finished points are kept as they are";
  EXPECT_GT(fs::last_write_time(dir / "part/points/0001.json"), rerun_started);
  expect_same_sweep(dir / "full", dir / "part");
}

TEST(Sweep, ResumeRefusesPointsOfAnotherScenario) {
  TempDir dir;
  ASSERT_EQ(run_telsim(small_sweep("out"), dir.path()).exit_code, 0);
  Strings changed = small_sweep("out");
  changed.insert(changed.end(), {"--set", "duration=1000", "--resume"});
  const ProcessResult r = run_telsim(changed, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("fresh --out"), std::string::npos) << r.err;
}

TEST(Sweep, KillAndResumeEqualsUnbrokenSweep) {
  TempDir dir;
  ASSERT_EQ(run_telsim(slow_sweep("unbroken"), dir.path(), std::chrono::seconds(120)).exit_code, 0);
  std::mt19937 random(std::random_device{}());
  const int delay_ms = std::uniform_int_distribution<int>(500, 1000)(random);
  {
    Process p(telsim_exe(), slow_sweep("broken"), dir.path());
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    p.send_signal(SIGKILL);
    const ProcessResult killed = p.wait(std::chrono::seconds(10));
    EXPECT_TRUE(killed.killed_by_signal);
  }
  for (const std::string& name : TempDir::entries_of(dir / "broken/points")) {
    EXPECT_TRUE(regex_matches(name, "[0-9]{4}\\.json", true)) << "points/ holds " << name;
  }
  Strings resume = slow_sweep("broken");
  resume.push_back("--resume");
  const ProcessResult r = run_telsim(resume, dir.path(), std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.err << " (killed after " << delay_ms << " ms)";
  expect_same_sweep(dir / "unbroken", dir / "broken");
  EXPECT_EQ(TempDir::entries_of(dir / "broken"),
            (Strings{"points", "results.sqlite", "summary.csv", "summary.json"}))
      << "no temporary files left";
}

// Every point is one replication of minutes, two run at once: SIGTERM stops both inside
// their replication, within seconds (SPEC §4: one second), and no point is finished.
TEST(Sweep, SigtermKeepsPointsAndSaysHowToResume) {
  TempDir dir;
  Strings slower = slow_sweep("out");
  slower.insert(slower.end(), {"--set", "replications=1", "--set", "duration=300000000"});
  Process p(telsim_exe(), slower, dir.path());
  ASSERT_TRUE(p.wait_for_stop_handlers(std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto signalled = std::chrono::steady_clock::now();
  p.send_signal(SIGTERM);
  const ProcessResult r = p.wait(std::chrono::seconds(30));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  EXPECT_EQ(r.exit_code, 143) << r.err;
  EXPECT_FALSE(r.killed_by_signal);
  EXPECT_LT(seconds, 3.0) << "from the signal to the exit";
  EXPECT_NE(r.err.find("to resume: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out/summary.csv")) << "no summary of an unfinished sweep";
  EXPECT_EQ(TempDir::entries_of(dir / "out/points"), Strings{}) << "no point was finished";
  for (const std::string& name : TempDir::entries_of(dir / "out/.tmp")) {
    ADD_FAILURE() << "temporary file left: " << name;
  }
}

TEST(Sweep, BadVaryIsBadUsageAndWritesNothing) {
  TempDir dir;
  const std::string small = fixture("small.yaml").string();
  for (const Strings& vary :
       {Strings{"--vary", circuits + "="}, Strings{"--vary", circuits + "=1:5:1"},
        Strings{"--vary", circuits + "=1:5:x"}, Strings{"--vary", "trunk_groups.AB.circuitz=8,9"},
        Strings{"--vary", circuits + "=8", "--vary", circuits + "=9"}}) {
    Strings args{"sweep", small, "--out", "out"};
    args.insert(args.end(), vary.begin(), vary.end());
    const ProcessResult r = run_telsim(args, dir.path());
    EXPECT_EQ(r.exit_code, 2) << vary.back();
    EXPECT_EQ(r.err.rfind("--vary: error: ", 0), 0u) << r.err;
    EXPECT_EQ(dir.entries(), Strings{}) << vary.back();
  }
}

TEST(Sweep, FailingExpectInOnePointExitsOneWithJunit) {
  TempDir dir;
  // max 0.001 blocking fails with 10 circuits and passes with 40.
  const ProcessResult r = run_telsim({"sweep", fixture("expect_fail.yaml").string(), "--vary",
                                      circuits + "=10,40", "--out", "out", "--junit", "j.xml"},
                                     dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out/summary.csv"));
  EXPECT_NE(r.out.find("0000  " + circuits + "=10  checks 1/2 passed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0001  " + circuits + "=40  checks 2/2 passed"), std::string::npos) << r.out;
  const std::string xml = read_file(dir / "j.xml");
  EXPECT_NE(xml.find("tests=\"4\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("point 0000 (" + circuits + "=10): trunk_groups.AB.call_blocking"),
            std::string::npos)
      << xml;
  EXPECT_EQ(xml.find("<failure"), xml.rfind("<failure")) << "exactly one failure";
}

TEST(Sweep, MpiTwoRanksWriteTheSameFiles) {
#ifndef TELSIM_HAVE_MPI
  GTEST_SKIP() << "built without MPI";
#else
  TempDir dir;
  ASSERT_EQ(run_telsim(small_sweep("one"), dir.path()).exit_code, 0);
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
  ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  // Under the sanitizer preset: OpenMPI keeps allocations until exit, which
  // LeakSanitizer would report as leaks of ours.
  ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
  Strings args{"-n", "2", "--oversubscribe", telsim_exe().string()};
  const Strings sweep = small_sweep("mpi");
  args.insert(args.end(), sweep.begin(), sweep.end());
  args.insert(args.end(), {"--threads", "1"});
  const ProcessResult r = run_program(TELSIM_MPIEXEC, args, dir.path(), std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  expect_same_sweep(dir / "one", dir / "mpi");
  EXPECT_EQ(TempDir::entries_of(dir / "mpi"),
            (Strings{"points", "results.sqlite", "summary.csv", "summary.json"}));
#endif
}

}  // namespace
}  // namespace telsim::e2e
