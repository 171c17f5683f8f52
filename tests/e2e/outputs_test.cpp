// Where `telsim run` writes (SPEC §4): the default results file name, --out, --csv,
// --junit, and what it prints with and without --quiet.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t count_of(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

TEST(Outputs, DefaultOutIsScenarioNameInTheWorkingFolder) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Only the results file: no temporary file left behind, nothing else.
  EXPECT_EQ(dir.entries(), Strings{"e2e-small.results.json"});
  const auto results = read_json(dir / "e2e-small.results.json");
  EXPECT_EQ(results["scenario"]["name"], "e2e-small");
}

// SPEC §4: the default results file is in the current folder, whatever the scenario's name.
// A name holding a '/' must either be refused as a bad scenario (exit 2) or still give a
// file in the working folder; it must never write elsewhere.
TEST(Outputs, DefaultOutStaysInTheWorkingFolder) {
  for (const char* name : {"../escaped", "sub/inner"}) {
    SCOPED_TRACE(name);
    TempDir root;
    fs::create_directory(root / "work");
    const ProcessResult r = run_telsim({"run", fixture("small.yaml").string(), "--threads", "2",
                                        "--quiet", "--set", std::string("name=") + name},
                                       root / "work");
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 2)
        << "exit " << r.exit_code << ", stderr: " << r.err;
    EXPECT_EQ(root.entries(), Strings{"work"}) << "wrote outside the working folder";
    const Strings written = TempDir::entries_of(root / "work");
    if (r.exit_code == 0) {
      EXPECT_EQ(written.size(), 1u);
      if (written.size() == 1) {
        EXPECT_TRUE(fs::is_regular_file(root / "work" / written[0])) << written[0];
      }
    } else {
      EXPECT_EQ(written, Strings{});
    }
  }
}

TEST(Outputs, OutWritesWhereItSays) {
  TempDir cwd;
  TempDir elsewhere;
  const fs::path out = elsewhere / "my-results.json";
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--threads", "2", "--out", out.string()}, cwd.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cwd.entries(), Strings{}) << "nothing in the working folder";
  EXPECT_EQ(elsewhere.entries(), Strings{"my-results.json"});
  EXPECT_EQ(read_json(out)["telsim"], 1);
}

TEST(Outputs, RelativeOutIsRelativeToTheWorkingFolder) {
  TempDir cwd;
  fs::create_directory(cwd / "sub");
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--threads", "2", "--out", "sub/r.json"}, cwd.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cwd.entries(), Strings{"sub"});
  EXPECT_TRUE(fs::is_regular_file(cwd / "sub" / "r.json"));
}

TEST(Outputs, CsvWritesThreeFilesThatAgreeWithTheJson) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("small.yaml").string(), "--threads", "2",
                                      "--out", "r.json", "--csv", "csv-out", "--quiet"},
                                     dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(TempDir::entries_of(dir / "csv-out"),
            (Strings{"metrics.csv", "replications.csv", "timeseries.csv"}));
  const auto results = read_json(dir / "r.json");

  // metrics.csv: a header, then one row per statistic; the blocking row carries the mean.
  const Strings metrics = lines_of(read_file(dir / "csv-out" / "metrics.csv"));
  ASSERT_GE(metrics.size(), 2u);
  std::size_t rows = 0;
  for (const std::string& line : metrics) {
    if (line.rfind("trunk_groups.AB.call_blocking,", 0) != 0) continue;
    ++rows;
    const std::string rest = line.substr(std::string("trunk_groups.AB.call_blocking,").size());
    const double mean = std::stod(rest.substr(0, rest.find(',')));
    EXPECT_DOUBLE_EQ(mean, results["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>());
  }
  EXPECT_EQ(rows, 1u) << "one metrics.csv row for trunk_groups.AB.call_blocking";

  // replications.csv: the blocking appears once per replication.
  const std::string replications = read_file(dir / "csv-out" / "replications.csv");
  EXPECT_EQ(count_of(replications, "trunk_groups.AB.call_blocking,"), 4u);

  // timeseries.csv: one row per sample of the busy-circuit series, plus a header.
  const Strings timeseries = lines_of(read_file(dir / "csv-out" / "timeseries.csv"));
  const std::size_t samples =
      results["timeseries"]["trunk_groups"]["AB"]["busy_circuits"]["t"].size();
  EXPECT_EQ(timeseries.size(), samples + 1);
}

TEST(Outputs, JunitHasOneTestCasePerExpectCheck) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("expect_fail.yaml").string(), "--threads", "2",
                                      "--out", "r.json", "--junit", "report.xml", "--quiet"},
                                     dir.path());
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const std::string xml = read_file(dir / "report.xml");
  ASSERT_FALSE(xml.empty());
  EXPECT_EQ(xml.rfind("<?xml", 0), 0u) << xml;
  EXPECT_EQ(count_of(xml, "<testcase "), 2u) << xml;
  EXPECT_EQ(count_of(xml, "<failure"), 1u) << xml;
  EXPECT_NE(xml.find("tests=\"2\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("trunk_groups.AB.call_blocking"), std::string::npos) << xml;
  EXPECT_NE(xml.find("traffic.callers-to-callees.calls"), std::string::npos) << xml;
  EXPECT_NE(xml.find("</testsuites>"), std::string::npos) << xml;
}

// `bound: ci` (SPEC §2): small.yaml's blocking is 0.0777 ± 0.0048, so a max of 0.08 holds
// for the mean but not for the whole interval [0.0729, 0.0825].
TEST(Outputs, ExpectBoundCiFailsWhereOnlyTheMeanIsWithin) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2", "--out", "r.json",
                  "--junit", "report.xml", "--set",
                  "expect=[{metric: trunk_groups.AB.call_blocking, max: 0.08}, "
                  "{metric: trunk_groups.AB.call_blocking, max: 0.08, bound: ci}]"},
                 dir.path());
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(regex_matches(r.out,
                            "\n  pass trunk_groups\\.AB\\.call_blocking mean 0\\.0777[0-9]* "
                            "<= max 0\\.08\n"))
      << r.out;
  EXPECT_TRUE(regex_matches(r.out,
                            "\n  FAIL trunk_groups\\.AB\\.call_blocking 95% CI "
                            "\\[0\\.072[0-9]*, 0\\.082[0-9]*\\] \\(mean 0\\.0777[0-9]* ± "
                            "0\\.0047[0-9]*\\): upper end 0\\.082[0-9]* > max 0\\.08\n"))
      << r.out;
  const std::string xml = read_file(dir / "report.xml");
  EXPECT_EQ(count_of(xml, "<failure"), 1u) << xml;
  EXPECT_NE(xml.find("name=\"trunk_groups.AB.call_blocking &lt;= 0.08 (95% CI)\""),
            std::string::npos)
      << xml;
  // The results file's resolved scenario names each check's bound, the default filled in.
  const auto expect = read_json(dir / "r.json").at("scenario").at("expect");
  ASSERT_EQ(expect.size(), 2u);
  EXPECT_EQ(expect.at(0).at("bound"), "mean");
  EXPECT_EQ(expect.at(1).at("bound"), "ci");
}

// With one replication there is no interval (ci95 null): a ci check fails, saying why.
TEST(Outputs, ExpectBoundCiWithOneReplicationFailsForWantOfAnInterval) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--replications", "1", "--out", "r.json",
                  "--set", "expect=[{metric: trunk_groups.AB.call_blocking, max: 0.5, bound: ci}]"},
                 dir.path());
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL trunk_groups.AB.call_blocking 95% CI is unknown (ci95 is null with 1 "
                       "replication with data; bound: ci needs at least 2)"),
            std::string::npos)
      << r.out;
}

TEST(Outputs, JunitAllPass) {
  TempDir dir;
  const ProcessResult r = run_telsim({"run", fixture("expect_pass.yaml").string(), "--threads", "2",
                                      "--junit", "report.xml", "--quiet"},
                                     dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string xml = read_file(dir / "report.xml");
  EXPECT_EQ(count_of(xml, "<testcase "), 2u) << xml;
  EXPECT_EQ(count_of(xml, "<failure"), 0u) << xml;
  EXPECT_NE(xml.find("failures=\"0\""), std::string::npos) << xml;
}

TEST(Outputs, QuietPrintsNothingOnStdout) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2", "--quiet"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "") << "no progress bar when stderr is not a terminal";
  EXPECT_EQ(dir.entries(), Strings{"e2e-small.results.json"});
}

TEST(Outputs, TimingsAreOneLineOnStderr) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2", "--quiet", "--timings"},
                 dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "stdout stays for the summary";
  const std::vector<std::string> lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  // Every phase, in seconds, in this order, then the peak memory.
  const std::string& line = lines[0];
  std::size_t at = 0;
  for (const char* part : {"timings: load ", " s, build ", " s, simulate ", " s, collect ",
                           " s, write ", " s; peak memory "}) {
    const std::size_t found = line.find(part, at);
    ASSERT_NE(found, std::string::npos) << part << " in " << line;
    at = found + std::string(part).size();
  }
  EXPECT_TRUE(line.ends_with(" MiB")) << line;
  EXPECT_EQ(dir.entries(), Strings{"e2e-small.results.json"});
}

TEST(Outputs, VersionMatchesTheResultsProvenance) {
  TempDir dir;
  const ProcessResult version = run_telsim({"--version"}, dir.path());
  ASSERT_EQ(version.exit_code, 0) << version.err;
  ASSERT_EQ(version.out.rfind("telsim ", 0), 0u) << version.out;
  const ProcessResult r = run_telsim(
      {"run", fixture("small.yaml").string(), "--threads", "2", "--quiet", "--out", "r.json"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string v = read_json(dir / "r.json")["run"]["version"].get<std::string>();
  EXPECT_NE(version.out.find(v), std::string::npos) << version.out << " vs " << v;
  EXPECT_EQ(run_telsim({"--help"}, dir.path()).exit_code, 0);
  EXPECT_EQ(run_telsim({"run", "--help"}, dir.path()).exit_code, 0);
}

TEST(Outputs, SummaryTableNamesGroupsAndRelations) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("AB"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("callers-to-callees"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("blocking"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("e2e-small"), std::string::npos) << r.out;
  // The blocking is shown with its confidence interval (SPEC §4: "each with its CI").
  EXPECT_TRUE(regex_matches(r.out, "AB[[:space:]]+10[[:space:]]+0\\.0[0-9]+ ± 0\\.[0-9]+"))
      << r.out;
  // Output that is not a terminal gets no progress bar, and a clean run no warnings.
  EXPECT_EQ(r.out.find('\r'), std::string::npos);
  EXPECT_EQ(r.err, "");
}

// What a planner looked for in the table and found only in the JSON (summary.yaml: three
// scripted calls, the same in both replications, so every interval is 0): the traffic a
// relation actually offered, the first attempts never made because the caller was busy
// (and a note saying why that lowers the offered traffic), and every final outcome that
// occurred, here a camp-on caller who gave up (`abandoned`, which is not `cleared`).
TEST(Outputs, SummaryTableShowsOfferedErlangsCallerBusyAndFinalOutcomes) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"run", fixture("summary.yaml").string(), "--threads", "1", "--out", "r.json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(regex_matches(r.out,
                            "\ntraffic +calls +caller busy +offered Erlangs +completion ratio "
                            "+answer/seizure\n"))
      << r.out;
  // calls 1, caller busy 1 ± 0, offered 1 call x 100 s / 200 s = 0.5 ± 0 Erlang.
  EXPECT_TRUE(regex_matches(r.out, "\n  alice-to-desk +1 +1 ± 0 +0\\.5 ± 0 +1 ± 0 +1 ± 0\n"))
      << r.out;
  EXPECT_TRUE(regex_matches(r.out, "\n  bob-to-desk +1 +0 ± 0 +0\\.5 ± 0 +0 ± 0 +0 ± 0\n"))
      << r.out;
  // The outcomes that occurred, and only those, under each relation and policy.
  EXPECT_TRUE(regex_matches(r.out, "alice-to-desk [^\n]*\n +outcome: connected 1 ± 0\n")) << r.out;
  EXPECT_TRUE(regex_matches(r.out, "bob-to-desk [^\n]*\n +outcome: abandoned 1 ± 0\n")) << r.out;
  EXPECT_TRUE(regex_matches(r.out, "wait \\(campon\\) [^\n]*\n +outcome: abandoned 1 ± 0\n"))
      << r.out;
  EXPECT_EQ(count_of(r.out, "outcome: "), 3u) << r.out;
  EXPECT_EQ(count_of(r.out, "cleared"), 0u) << r.out;
  // The note names the relation whose caller was busy, once, under the traffic table.
  EXPECT_EQ(count_of(r.out, "note: "), 1u) << r.out;
  EXPECT_TRUE(regex_matches(r.out,
                            "\nnote: alice-to-desk offers less than its arrivals would \\(rate × "
                            "mean holding, or one call per scripted time\\): a first attempt "
                            "whose caller is busy is not made \\(caller busy\\)\n"))
      << r.out;
  // The table agrees with the results file.
  const auto results = read_json(dir / "r.json");
  const auto& alice = results.at("traffic").at("alice-to-desk");
  EXPECT_EQ(alice.at("caller_busy").at("mean"), 1.0);
  EXPECT_EQ(alice.at("offered_erlangs").at("mean"), 0.5);
  EXPECT_EQ(results.at("traffic").at("bob-to-desk").at("outcome").at("abandoned").at("mean"), 1.0);
}

// No caller busy anywhere (lines unlimited): no note.
TEST(Outputs, SummaryTableHasNoCallerBusyNoteWithoutCallerBusy) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"run", fixture("small.yaml").string(), "--threads", "2"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(regex_matches(r.out, "\n  callers-to-callees +[0-9]+ +0 ± 0 +[0-9.]+ ± [0-9.e+-]+ "))
      << r.out;
  EXPECT_EQ(r.out.find("note: "), std::string::npos) << r.out;
}

}  // namespace
}  // namespace telsim::e2e
