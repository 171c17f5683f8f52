// Untrusted scenarios run no foreign code (SPEC §2 `plugins:`, §4 --allow-plugins):
// a plug-in path written in a scenario loads only with --allow-plugins or when the
// same file is given with --plugin; otherwise every command that loads the scenario
// refuses it (exit 2, one line at the entry) before any of the plug-in's code runs.
// Bare names from the trusted folders load as before.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "run_telsim.hpp"

namespace telsim::e2e {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

constexpr int exit_ok = 0;
constexpr int exit_bad_input = 2;

const fs::path build_plugin = fs::path(TELSIM_BINARY_DIR) / "plugins/lib/redial-then-callback.so";

/// A small scenario whose one policy is of the example plug-in's type, with
/// `plugins:` on line 3 as given.
std::string scenario(const std::string& plugins) {
  return "telsim: 1\nname: trust\nplugins: " + plugins + R"(
replications: 2
duration: 300
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: homes, exchange: A, count: 200, lines: 1}
  - {name: desk, exchange: B, count: 1, lines: 2}
trunk_groups: [{name: AB, between: [A, B], circuits: 4}]
routes: [{from: A, to: B, via: [[AB]]}]
traffic:
  - {name: h2d, from: homes, to: desk, arrivals: {poisson: {rate: 0.05}}, holding: 30,
     completion: patient}
policies:
  patient: {type: redial_then_callback, attempts: 2}
)";
}

/// Every test starts without TELSIM_PLUGIN_PATH (the child inherits this
/// process's environment) and leaves it as it found it.
class PluginTrust : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(build_plugin)) << build_plugin;
    if (const char* v = std::getenv("TELSIM_PLUGIN_PATH")) saved_ = v;
    unsetenv("TELSIM_PLUGIN_PATH");
    fs::create_directories(dir_ / "lib");
    fs::copy_file(build_plugin, dir_ / "lib/rtc.so");
    write_file(dir_ / "s.yaml", scenario("[lib/rtc.so]"));
  }
  void TearDown() override {
    if (saved_) {
      setenv("TELSIM_PLUGIN_PATH", saved_->c_str(), 1);
    } else {
      unsetenv("TELSIM_PLUGIN_PATH");
    }
  }

  /// The refusal: exit 2, one line at the entry (line 3, column 11), naming the
  /// reason and every way to allow it; nothing written.
  void expect_refused(const ProcessResult& r) {
    EXPECT_EQ(r.exit_code, exit_bad_input) << r.err;
    EXPECT_TRUE(is_one_error_line(r.err)) << r.err;
    EXPECT_EQ(r.err.rfind("s.yaml:3:11: error: plug-in 'lib/rtc.so': ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("loading a plug-in runs its code"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--allow-plugins"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--plugin " + (dir_ / "lib/rtc.so").string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("TELSIM_PLUGIN_PATH and name it bare 'rtc'"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(dir_.entries(), (Strings{"lib", "s.yaml"})) << "nothing written";
  }

  TempDir dir_;

 private:
  std::optional<std::string> saved_;
};

TEST_F(PluginTrust, EveryCommandRefusesAPathWithoutPermission) {
  const Strings commands[] = {
      {"run", "s.yaml", "--quiet"},
      {"validate", "s.yaml"},
      {"sweep", "s.yaml", "--vary", "trunk_groups.AB.circuits=3,4", "--out", "sw", "--quiet"},
      {"compare", "s.yaml", "--vary", "trunk_groups.AB.circuits=3,4", "--quiet"},
      {"dimension", "s.yaml", "--trunk-group", "AB", "--target", "call_blocking<=0.5", "--quiet"},
      {"analytic", "network", "s.yaml"},
  };
  for (const Strings& args : commands) {
    SCOPED_TRACE(args[0]);
    expect_refused(run_telsim(args, dir_.path()));
  }
}

TEST_F(PluginTrust, AllowPluginsLoadsThePath) {
  const ProcessResult validate = run_telsim({"validate", "s.yaml", "--allow-plugins"}, dir_.path());
  EXPECT_EQ(validate.exit_code, exit_ok) << validate.err;
  const ProcessResult run =
      run_telsim({"run", "s.yaml", "--quiet", "--allow-plugins", "--out", "r.json"}, dir_.path());
  EXPECT_EQ(run.exit_code, exit_ok) << run.err;
  const auto results = read_json(dir_ / "r.json");
  EXPECT_EQ(results["scenario"]["policies"]["patient"]["type"], "redial_then_callback");
  const ProcessResult compare =
      run_telsim({"compare", "s.yaml", "--vary", "trunk_groups.AB.circuits=3,4", "--quiet",
                  "--allow-plugins", "--out", "c.json"},
                 dir_.path());
  EXPECT_EQ(compare.exit_code, exit_ok) << compare.err;
}

TEST_F(PluginTrust, TheSameFileGivenWithPluginLoads) {
  // Named differently on the command line (from the current folder) than in the
  // scenario (from its folder): the same file either way.
  fs::create_directories(dir_ / "work");
  const ProcessResult run =
      run_telsim({"run", "../s.yaml", "--quiet", "--plugin", "../lib/rtc.so", "--out", "r.json"},
                 dir_ / "work");
  EXPECT_EQ(run.exit_code, exit_ok) << run.err;
  EXPECT_TRUE(fs::exists(dir_ / "work/r.json"));

  // Another file, even a copy of the same plug-in, does not vouch for it.
  fs::copy_file(build_plugin, dir_ / "other.so");
  const ProcessResult other =
      run_telsim({"validate", "s.yaml", "--plugin", "other.so"}, dir_.path());
  EXPECT_EQ(other.exit_code, exit_bad_input) << other.err;
  EXPECT_NE(other.err.find("s.yaml:3:11: error: plug-in 'lib/rtc.so'"), std::string::npos)
      << other.err;
}

TEST_F(PluginTrust, APathGivenBySetIsTheCommandLinesOwn) {
  write_file(dir_ / "s.yaml", scenario("[]"));
  const ProcessResult r =
      run_telsim({"validate", "s.yaml", "--set", "plugins=[lib/rtc.so]"}, dir_.path());
  EXPECT_EQ(r.exit_code, exit_ok) << r.err;
}

TEST_F(PluginTrust, BareNamesFromTrustedFoldersNeedNoPermission) {
  // The build's own plug-in folder.
  write_file(dir_ / "s.yaml", scenario("[redial-then-callback]"));
  const ProcessResult build = run_telsim({"validate", "s.yaml"}, dir_.path());
  EXPECT_EQ(build.exit_code, exit_ok) << build.err;

  // A folder on TELSIM_PLUGIN_PATH.
  write_file(dir_ / "s.yaml", scenario("[rtc]"));
  setenv("TELSIM_PLUGIN_PATH", (dir_ / "lib").c_str(), 1);
  const ProcessResult env =
      run_telsim({"run", "s.yaml", "--quiet", "--out", "r.json"}, dir_.path());
  EXPECT_EQ(env.exit_code, exit_ok) << env.err;
  EXPECT_TRUE(fs::exists(dir_ / "r.json"));
}

}  // namespace
}  // namespace telsim::e2e
