// `telsim validate`, `telsim policies` and `telsim analytic` (SPEC §4).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "run_telsim.hpp"
#include "telsim/analysis/erlang.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// ---- validate ------------------------------------------------------------------------

TEST(Validate, EveryLibraryScenarioIsValid) {
  TempDir dir;
  std::size_t checked = 0;
  for (const auto& entry : fs::directory_iterator(TELSIM_SCENARIO_DIR)) {
    if (entry.path().extension() != ".yaml") continue;
    const ProcessResult r = run_telsim({"validate", entry.path().string()}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << entry.path() << ": " << r.err;
    EXPECT_EQ(r.err, "") << entry.path();
    EXPECT_NE(r.out.find("ok"), std::string::npos) << entry.path() << ": " << r.out;
    ++checked;
  }
  EXPECT_GE(checked, 3u) << "scenarios/library holds at least erlang-b, engset and metro";
  EXPECT_EQ(dir.entries(), Strings{}) << "validate writes nothing";
}

TEST(Validate, EveryGoodFixtureIsValid) {
  TempDir dir;
  for (const char* name :
       {"small.yaml", "expect_fail.yaml", "expect_pass.yaml", "expect_null.yaml", "max_events.yaml",
        "precision.yaml", "warmup_auto.yaml", "long.yaml", "redial.yaml"}) {
    const ProcessResult r = run_telsim({"validate", fixture(name).string()}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
  }
}

TEST(Validate, BadFixturesExitTwoWithOneDiagnostic) {
  TempDir dir;
  for (const char* name : {"bad_unknown_key.yaml", "empty.yaml", "bad_duplicate.yaml"}) {
    const std::string file = fixture(name).string();
    const ProcessResult r = run_telsim({"validate", file}, dir.path());
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_EQ(r.out, "") << name;
    EXPECT_TRUE(is_one_error_line(r.err)) << name << ": " << r.err;
    EXPECT_EQ(r.err.rfind(file + ":", 0), 0u) << r.err;
  }
  const ProcessResult r =
      run_telsim({"validate", fixture("bad_unknown_key.yaml").string()}, dir.path());
  EXPECT_NE(r.err.find(":19:5: error: unknown key 'circuts'"), std::string::npos) << r.err;
}

TEST(Validate, MissingFileExitsTwo) {
  TempDir dir;
  const ProcessResult r = run_telsim({"validate", (dir / "nothing.yaml").string()}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(is_one_error_line(r.err)) << r.err;
}

TEST(Validate, AppliesSetOverrides) {
  TempDir dir;
  const std::string file = fixture("small.yaml").string();
  const ProcessResult good =
      run_telsim({"validate", file, "--set", "trunk_groups.AB.circuits=20"}, dir.path());
  EXPECT_EQ(good.exit_code, 0) << good.err;
  const ProcessResult zero =
      run_telsim({"validate", file, "--set", "trunk_groups.AB.circuits=0"}, dir.path());
  EXPECT_EQ(zero.exit_code, 2) << zero.err;
  EXPECT_NE(zero.err.find("circuits"), std::string::npos) << zero.err;
  const ProcessResult unknown =
      run_telsim({"validate", file, "--set", "trunk_groups.XY.circuits=20"}, dir.path());
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_EQ(unknown.err.rfind("--set", 0), 0u) << unknown.err;
  EXPECT_EQ(dir.entries(), Strings{});
}

TEST(Validate, MissingArgumentExitsTwo) {
  TempDir dir;
  EXPECT_EQ(run_telsim({"validate"}, dir.path()).exit_code, 2);
}

// ---- policies ------------------------------------------------------------------------

// The lines of `text` from the one that starts with `name:` up to the next unindented line.
std::string block_of(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string block;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    if (!indented) inside = line.rfind(name + ":", 0) == 0;
    if (inside) block += line + "\n";
  }
  return block;
}

TEST(Policies, ListsNoneAndRedialWithParameters) {
  TempDir dir;
  const ProcessResult r = run_telsim({"policies"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string none = block_of(r.out, "none");
  const std::string redial = block_of(r.out, "redial");
  EXPECT_FALSE(none.empty()) << r.out;
  ASSERT_FALSE(redial.empty()) << r.out;
  for (const char* param : {"delay", "persistence", "max_attempts", "when", "fallback"}) {
    EXPECT_TRUE(regex_matches(redial, std::string("\n[[:space:]]+") + param + "[[:space:]]"))
        << param << " in\n"
        << redial;
  }
  // Defaults from SPEC §3: delay exponential 60, persistence 1.0, max_attempts unlimited.
  EXPECT_TRUE(regex_matches(redial, "delay[[:space:]]+exponential 60")) << redial;
  EXPECT_TRUE(regex_matches(redial, "persistence[[:space:]]+1(\\.0)?[[:space:]]")) << redial;
  EXPECT_TRUE(regex_matches(redial, "max_attempts[[:space:]]+unlimited")) << redial;
  EXPECT_EQ(dir.entries(), Strings{});
}

// ---- analytic ------------------------------------------------------------------------

// `name: value` lines, in order.
std::vector<std::pair<std::string, std::string>> key_values(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const std::size_t colon = line.find(": ");
    if (colon == std::string::npos) {
      out.emplace_back(line, "");
    } else {
      out.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    }
  }
  return out;
}

// Significant digits written in a decimal number ("0.0183845703" has 9).
std::size_t significant_digits(const std::string& number) {
  std::string mantissa = number.substr(0, number.find_first_of("eE"));
  std::size_t digits = 0;
  bool leading = true;
  for (char c : mantissa) {
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++digits;
  }
  return digits;
}

void expect_value(const std::pair<std::string, std::string>& line, const std::string& key,
                  double expected) {
  EXPECT_EQ(line.first, key);
  ASSERT_FALSE(line.second.empty()) << key;
  EXPECT_GE(significant_digits(line.second), 6u) << key << ": " << line.second;
  EXPECT_NEAR(std::stod(line.second), expected, 5e-7 * std::fabs(expected)) << key;
}

TEST(Analytic, ErlangB) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"analytic", "erlang-b", "--circuits", "10", "--load", "5"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("blocking: 0.01838457", 0), 0u) << r.out;
  const auto lines = key_values(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  expect_value(lines[0], "blocking", 0.01838457033664814);
}

TEST(Analytic, ErlangBFewestCircuitsForATarget) {
  TempDir dir;
  ProcessResult r =
      run_telsim({"analytic", "erlang-b", "--load", "15", "--target", "0.01"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "circuits: 24\n");  // B(23, 15) = 0.0122 > 0.01 >= B(24, 15) = 0.0077
  // Exact at the boundary: a target equal to B(10, 5) is met by 10 circuits.
  char boundary[32];
  std::snprintf(boundary, sizeof boundary, "%.17g", analysis::erlang_b(10, 5.0));
  r = run_telsim({"analytic", "erlang-b", "--load", "5", "--target", boundary}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "circuits: 10\n");
}

TEST(Analytic, ErlangBLargestLoadForATarget) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"analytic", "erlang-b", "--circuits", "24", "--target", "0.01"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = key_values(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  ASSERT_EQ(lines[0].first, "load");
  const double load = std::stod(lines[0].second);
  EXPECT_NEAR(load, 15.295, 1e-3) << "the classic table: 24 circuits carry 15.3 Erlang at 1%";
  // Six significant digits, rounded so that the printed load itself meets the target and
  // the next six-digit value does not.
  EXPECT_LE(analysis::erlang_b(24, load), 0.01);
  EXPECT_GT(analysis::erlang_b(24, load + 1e-4), 0.01);
}

TEST(Analytic, ErlangC) {
  TempDir dir;
  const ProcessResult r =
      run_telsim({"analytic", "erlang-c", "--circuits", "10", "--load", "5"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = key_values(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  expect_value(lines[0], "p_wait", 0.0361053591583202);
  // Mean wait in units of the mean holding time: C / (c - A).
  expect_value(lines[1], "mean_wait", 0.0072210718316640405);
}

TEST(Analytic, Engset) {
  TempDir dir;
  const ProcessResult r = run_telsim(
      {"analytic", "engset", "--circuits", "10", "--sources", "30", "--beta", "0.25"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = key_values(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out;
  expect_value(lines[0], "time_congestion", 0.03640341205151772);
  expect_value(lines[1], "call_congestion", 0.030153229967068866);
  expect_value(lines[2], "traffic_congestion", 0.024268941367678504);
}

TEST(Analytic, KaufmanRoberts) {
  TempDir dir;
  // C = 2; 1 circuit at 1 Erlang and 2 circuits at 1 Erlang: q = 1, 1, 1.5 (sum 3.5).
  const ProcessResult r = run_telsim(
      {"analytic", "kaufman-roberts", "--circuits", "2", "--class", "1:1", "--class", "2:1"},
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = key_values(r.out);
  ASSERT_EQ(lines.size(), 5u) << r.out;
  expect_value(lines[0], "class_1_blocking", 3.0 / 7.0);
  expect_value(lines[1], "class_2_blocking", 5.0 / 7.0);
  expect_value(lines[2], "occupancy_0", 2.0 / 7.0);
  expect_value(lines[3], "occupancy_1", 2.0 / 7.0);
  expect_value(lines[4], "occupancy_2", 3.0 / 7.0);
}

struct BadAnalytic {
  const char* label;
  Strings args;
  // Names the case in gtest messages instead of dumping its bytes.
  friend void PrintTo(const BadAnalytic& c, std::ostream* os) { *os << c.label; }
};

class AnalyticErrors : public ::testing::TestWithParam<BadAnalytic> {};

TEST_P(AnalyticErrors, ExitTwo) {
  TempDir dir;
  const ProcessResult r = run_telsim(GetParam().args, dir.path());
  EXPECT_EQ(r.exit_code, 2) << "stdout: " << r.out << "\nstderr: " << r.err;
  EXPECT_FALSE(r.err.empty());
  EXPECT_EQ(r.out.find("blocking:"), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Run, AnalyticErrors,
    ::testing::Values(
        BadAnalytic{"NegativeCircuits",
                    {"analytic", "erlang-b", "--circuits", "-1", "--load", "5"}},
        BadAnalytic{"NegativeLoad", {"analytic", "erlang-b", "--circuits", "10", "--load", "-5"}},
        BadAnalytic{"TextCircuits", {"analytic", "erlang-b", "--circuits", "ten", "--load", "5"}},
        BadAnalytic{"MissingLoad", {"analytic", "erlang-b", "--circuits", "10"}},
        BadAnalytic{"TargetAlone", {"analytic", "erlang-b", "--target", "0.01"}},
        BadAnalytic{
            "AllThree",
            {"analytic", "erlang-b", "--circuits", "10", "--load", "5", "--target", "0.01"}},
        BadAnalytic{"TargetAboveOne",
                    {"analytic", "erlang-b", "--circuits", "10", "--target", "1.5"}},
        BadAnalytic{"TargetZero", {"analytic", "erlang-b", "--load", "5", "--target", "0"}},
        BadAnalytic{"NoModel", {"analytic"}},
        BadAnalytic{"UnknownModel", {"analytic", "erlang-z", "--circuits", "10", "--load", "5"}},
        BadAnalytic{"EngsetNegativeSources",
                    {"analytic", "engset", "--circuits", "10", "--sources", "-3", "--beta", "0.1"}},
        BadAnalytic{"KaufmanRobertsNoClass", {"analytic", "kaufman-roberts", "--circuits", "5"}},
        BadAnalytic{"KaufmanRobertsNoColon",
                    {"analytic", "kaufman-roberts", "--circuits", "5", "--class", "2"}},
        BadAnalytic{"KaufmanRobertsTextLoad",
                    {"analytic", "kaufman-roberts", "--circuits", "5", "--class", "2:lots"}},
        BadAnalytic{"KaufmanRobertsZeroBandwidth",
                    {"analytic", "kaufman-roberts", "--circuits", "5", "--class", "0:1"}},
        BadAnalytic{"ErlangCNegativeCircuits",
                    {"analytic", "erlang-c", "--circuits", "-1", "--load", "5"}}),
    [](const auto& info) { return std::string(info.param.label); });

}  // namespace
}  // namespace telsim::e2e
