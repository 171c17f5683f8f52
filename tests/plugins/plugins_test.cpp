// Plug-ins (SPEC §2 `plugins:`, §4 `--plugin`): the example plug-in's type,
// resolution of paths and bare names, every loading error with its exact
// text, and a plug-in that fails at run time.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "telsim/models/plugin_api.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios {
namespace {

namespace fs = std::filesystem;

const fs::path build_plugin_dir = TELSIM_PLUGIN_DIR;
const fs::path test_plugin_dir = TELSIM_TEST_PLUGIN_DIR;

fs::path example_plugin() {
  return fs::canonical(build_plugin_dir / "redial-then-callback.so");
}
fs::path test_plugin(const std::string& name) {
  return fs::canonical(test_plugin_dir / (name + ".so"));
}

/// A fresh folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "telsim-plugins-XXXXXX").string();
    path_ = fs::canonical(mkdtemp(pattern.data()));
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

/// what() of the exception `f` throws, or a note that it threw none.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no exception)";
}

/// Every test starts without TELSIM_PLUGIN_PATH and leaves it as it found it.
class Plugins : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* v = std::getenv("TELSIM_PLUGIN_PATH")) saved_ = v;
    unsetenv("TELSIM_PLUGIN_PATH");
  }
  void TearDown() override {
    if (saved_) {
      setenv("TELSIM_PLUGIN_PATH", saved_->c_str(), 1);
    } else {
      unsetenv("TELSIM_PLUGIN_PATH");
    }
  }

  // Declared before the registry: the plug-ins outlive everything made from them.
  PluginSet plugins_;
  models::PolicyRegistry registry_ = models::builtin_policy_registry();

 private:
  std::optional<std::string> saved_;
};

// ---- the example plug-in --------------------------------------------------------------

TEST_F(Plugins, ExamplePluginRegistersItsTypeWithItsParameters) {
  const std::size_t builtins = registry_.types().size();
  const PluginInfo info = plugins_.load("redial-then-callback", fs::current_path(), registry_);
  EXPECT_EQ(info.name, "redial-then-callback");
  EXPECT_EQ(info.path, example_plugin());
  EXPECT_EQ(info.types, std::vector<std::string>{"redial_then_callback"});
  EXPECT_FALSE(info.description.empty());
  ASSERT_EQ(registry_.types().size(), builtins + 1);

  const models::PolicyType* type = registry_.find("redial_then_callback");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->origin, example_plugin().string());
  EXPECT_EQ(type->mode, models::CompletionMode::callback);
  EXPECT_EQ(type->default_when, (std::vector<models::FailureCause>{
                                    models::FailureCause::congestion, models::FailureCause::busy,
                                    models::FailureCause::no_answer}));
  EXPECT_TRUE(type->create);
  struct Expected {
    const char* name;
    models::ParamKind kind;
    const char* default_text;
  };
  const std::vector<Expected> expected = {
      {"attempts", models::ParamKind::count, "3"},
      {"delay", models::ParamKind::distribution, "exponential 30"},
      {"expiry", models::ParamKind::expiry, "1800"},
      {"recall_answer", models::ParamKind::answer, "{probability: 1, delay: 0, timeout: 20}"},
  };
  ASSERT_EQ(type->params.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const models::ParamDecl& p = type->params[i];
    EXPECT_EQ(p.name, expected[i].name);
    EXPECT_EQ(p.kind, expected[i].kind) << p.name;
    EXPECT_EQ(p.default_text, expected[i].default_text) << p.name;
    EXPECT_FALSE(p.help.empty()) << p.name;
  }
  EXPECT_EQ(type->params[0].default_value.count, std::optional<std::uint64_t>(3));
  ASSERT_TRUE(type->params[1].default_value.distribution.has_value());
  EXPECT_DOUBLE_EQ(type->params[1].default_value.distribution->mean(), 30.0);
  EXPECT_EQ(type->params[3].default_value.answer.timeout, std::optional<double>(20.0));
  EXPECT_EQ(plugins_.plugins().size(), 1u);
}

TEST_F(Plugins, LoadingTheSameFileAgainUnderAnotherReferenceAddsNothing) {
  plugins_.load("redial-then-callback", fs::current_path(), registry_);
  const std::size_t types = registry_.types().size();
  const PluginInfo again = plugins_.load(example_plugin().string(), fs::current_path(), registry_);
  EXPECT_EQ(again.path, example_plugin());
  EXPECT_EQ(registry_.types().size(), types);
  EXPECT_EQ(plugins_.plugins().size(), 1u);

  // A second registry gets the types too, from the handle already open.
  models::PolicyRegistry other = models::builtin_policy_registry();
  plugins_.load("redial-then-callback", fs::current_path(), other);
  EXPECT_NE(other.find("redial_then_callback"), nullptr);
}

TEST_F(Plugins, BundledScenarioRunsWithThePolicy) {
  const fs::path file = fs::path(TELSIM_SCENARIO_DIR) / "redial-then-callback.yaml";
  const std::vector<PluginEntry> entries = read_scenario_plugins(file, {});
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].reference, "redial-then-callback");

  load_scenario_plugins(plugins_, file, {}, registry_);
  const Scenario s = load_scenario_file(file, {}, registry_);
  ASSERT_EQ(s.network.policies.size(), 2u);
  EXPECT_EQ(s.network.policies[0].type, "redial_then_callback");

  RunOptions options;
  options.threads = 2;
  const analysis::RunResults r = run_scenario(s, registry_, options);
  const auto mean = [&](const std::string& path) {
    EXPECT_TRUE(r.metrics.contains(path)) << path;
    return r.metrics.contains(path) ? r.metrics.statistic(path).mean.value_or(-1.0) : -1.0;
  };
  EXPECT_GT(mean("traffic.homes-to-cc.outcome.completed"), 0.0);
  EXPECT_GT(mean("traffic.homes-to-cc.first_attempt_failure.busy"), 0.1);
  EXPECT_GT(mean("policies.patient.outcome.completed"), 0.0);
  // Callbacks were requested: some caller had a request outstanding.
  EXPECT_GE(mean("policies.patient.completion_requests_max_outstanding"), 1.0);
  EXPECT_GT(mean("policies.patient.completion_ratio"), 0.9);

  const auto resolved = resolved_scenario_json(s, registry_);
  EXPECT_EQ(resolved["policies"]["patient"]["type"], "redial_then_callback");
  EXPECT_EQ(resolved["plugins"], nlohmann::ordered_json::array({"redial-then-callback"}));
  // The resolved scenario is itself a scenario that resolves to the same thing.
  const auto again = resolved_scenario_json(
      load_scenario_text(resolved.dump(2), "resolved", {}, registry_), registry_);
  EXPECT_EQ(resolved.dump(), again.dump());

  // The plug-in draws from the host's streams: results do not depend on threads.
  options.threads = 1;
  const analysis::RunResults one = run_scenario(s, registry_, options);
  EXPECT_EQ(one.metrics.values("policies.patient.outcome.completed"),
            r.metrics.values("policies.patient.outcome.completed"));
}

// ---- the second example plug-in: the life-cycle hooks of ABI version 2 -----------------

/// x talks to h from 1 s to 101 s; a calls x at 10 s and its terminal
/// watches x (ringback_when_free). From 50 s to 150 s b talks to a, and from
/// 120 s to 220 s k talks to x: when x is idle at 101 s, a is busy and waits
/// for its own line; at 150 s it redials and finds x busy again (one
/// refusal); at 220 s x is idle and a gets through, unless it gave up.
std::string ringback_scenario(const std::string& policy_params) {
  return "telsim: 1\nname: ringback\nreplications: 1\nduration: 1000\n"
         "plugins: [ringback-when-free]\n"
         "exchanges: [{name: X}]\n"
         "subscribers:\n"
         "  - {name: x, exchange: X, count: 1, lines: 1}\n"
         "  - {name: h, exchange: X, count: 1, lines: 1}\n"
         "  - {name: a, exchange: X, count: 1, lines: 1}\n"
         "  - {name: b, exchange: X, count: 1, lines: 1}\n"
         "  - {name: k, exchange: X, count: 1, lines: 1}\n"
         "traffic:\n"
         "  - {from: h, to: x, arrivals: {at: [1]}, holding: 100}\n"
         "  - {from: a, to: x, arrivals: {at: [10]}, holding: 30, completion: rb}\n"
         "  - {from: b, to: a, arrivals: {at: [50]}, holding: 100}\n"
         "  - {from: k, to: x, arrivals: {at: [120]}, holding: 100}\n"
         "policies:\n"
         "  rb: {type: ringback_when_free" +
         policy_params + "}\n";
}

TEST_F(Plugins, RingbackWhenFreeWatchesTheCalleeThenItsOwnLine) {
  plugins_.load("ringback-when-free", fs::current_path(), registry_);
  RunOptions options;
  const auto run = [&](const std::string& params) {
    const Scenario s = load_scenario_text(ringback_scenario(params), "ringback", {}, registry_);
    return run_scenario(s, registry_, options);
  };
  const auto mean = [](const analysis::RunResults& r, const std::string& path) {
    EXPECT_TRUE(r.metrics.contains(path)) << path;
    return r.metrics.contains(path) ? r.metrics.statistic(path).mean.value_or(-1.0) : -1.0;
  };
  const analysis::RunResults patient = run(", max_refusals: 2");
  EXPECT_EQ(mean(patient, "traffic.a-to-x.outcome.completed"), 1.0);
  EXPECT_EQ(mean(patient, "traffic.a-to-x.completion_latency.mean"), 210.0);
  EXPECT_EQ(mean(patient, "traffic.a-to-x.attempts"), 3.0);
  EXPECT_EQ(mean(patient, "policies.rb.requests.requested"), 0.0) << "no network request";

  const analysis::RunResults once = run(", max_refusals: 1");
  EXPECT_EQ(mean(once, "traffic.a-to-x.outcome.cleared"), 1.0);
  EXPECT_EQ(mean(once, "traffic.a-to-x.attempts"), 2.0);

  const analysis::RunResults hurried = run(", expiry: 60");
  EXPECT_EQ(mean(hurried, "traffic.a-to-x.outcome.expired"), 1.0);
  EXPECT_EQ(mean(hurried, "traffic.a-to-x.attempts"), 1.0);
}

// ---- resolution -----------------------------------------------------------------------

TEST_F(Plugins, BareNamesAndPaths) {
  EXPECT_TRUE(is_bare_plugin_name("redial-then-callback"));
  EXPECT_TRUE(is_bare_plugin_name("v1.2"));
  EXPECT_FALSE(is_bare_plugin_name("libx.so"));
  EXPECT_FALSE(is_bare_plugin_name("./x"));
  EXPECT_FALSE(is_bare_plugin_name("/opt/telsim/x.so"));
}

TEST_F(Plugins, SearchesTelsimPluginPathInOrderThenTheBuildFolder) {
  TempDir first, empty;
  fs::copy_file(build_plugin_dir / "redial-then-callback.so",
                first.path() / "redial-then-callback.so");
  const std::string path =
      empty.path().string() + "::" + first.path().string() + ":" + test_plugin_dir.string();
  setenv("TELSIM_PLUGIN_PATH", path.c_str(), 1);

  EXPECT_EQ(plugin_search_folders(),
            (std::vector<fs::path>{empty.path(), first.path(), test_plugin_dir, build_plugin_dir}));
  // The first folder that has N.so wins, the build's folder last.
  EXPECT_EQ(resolve_plugin("redial-then-callback", "/"), first.path() / "redial-then-callback.so");
  EXPECT_EQ(plugins_.load("throwing", "/", registry_).path, test_plugin("throwing"));
  EXPECT_EQ(registry_.find("throw_in_policy")->origin, test_plugin("throwing").string());

  // `telsim policies` lists each name once, as a bare reference would find it.
  std::vector<std::string> found;
  for (const auto& p : discover_plugins()) found.push_back(p.string());
  EXPECT_EQ(found, (std::vector<std::string>{
                       (first.path() / "redial-then-callback.so").string(),
                       (test_plugin_dir / "abi-mismatch.so").string(),
                       (test_plugin_dir / "abi-v1.so").string(),
                       (test_plugin_dir / "clash.so").string(),
                       (test_plugin_dir / "no-entry.so").string(),
                       (test_plugin_dir / "throwing.so").string(),
                       (build_plugin_dir / "ringback-when-free.so").string(),
                   }));
}

TEST_F(Plugins, ScenarioPathsAreRelativeToTheScenarioFolder) {
  TempDir dir;
  fs::create_directories(dir.path() / "lib");
  fs::copy_file(build_plugin_dir / "redial-then-callback.so", dir.path() / "lib" / "rtc.so");
  const fs::path file = dir.path() / "scenarios" / "s.yaml";
  write(file, "plugins: [../lib/rtc.so]\n");
  load_scenario_plugins(plugins_, file, {}, registry_,
                        PluginTrust{.allow_paths = true, .given = {}});
  ASSERT_NE(registry_.find("redial_then_callback"), nullptr);
  EXPECT_EQ(registry_.find("redial_then_callback")->origin, (dir.path() / "lib/rtc.so").string());
}

// ---- trust: a path named by a scenario loads only when the command line allows it -----

TEST_F(Plugins, APathInAScenarioIsRefusedAtTheEntryBeforeAnythingLoads) {
  TempDir dir;
  fs::create_directories(dir.path() / "lib");
  fs::copy_file(build_plugin_dir / "redial-then-callback.so", dir.path() / "lib" / "rtc.so");
  const fs::path file = dir.path() / "s.yaml";
  write(file, "telsim: 1\nplugins:\n  - ringback-when-free\n  - lib/rtc.so\n");
  const std::size_t types = registry_.types().size();
  EXPECT_EQ(error_of([&] { load_scenario_plugins(plugins_, file, {}, registry_); }),
            file.string() +
                ":4:5: error: plug-in 'lib/rtc.so': the scenario names a plug-in by path, and "
                "loading a plug-in runs its code; telsim loads it only if you allow it: run with "
                "--allow-plugins (if you trust this scenario), or give the same file with "
                "--plugin " +
                (dir.path() / "lib/rtc.so").string() +
                ", or put it in a folder on TELSIM_PLUGIN_PATH and name it bare 'rtc'");
  EXPECT_EQ(registry_.types().size(), types) << "not even the bare name before it loaded";
  EXPECT_TRUE(plugins_.plugins().empty());

  // A path that does not exist is refused the same way (no hint of a bare name
  // for a file not called NAME.so).
  write(file, "telsim: 1\nplugins: [/nowhere/plugin]\n");
  EXPECT_EQ(error_of([&] { load_scenario_plugins(plugins_, file, {}, registry_); }),
            file.string() +
                ":2:11: error: plug-in '/nowhere/plugin': the scenario names a plug-in by path, "
                "and loading a plug-in runs its code; telsim loads it only if you allow it: run "
                "with --allow-plugins (if you trust this scenario), or give the same file with "
                "--plugin /nowhere/plugin, or put it in a folder on TELSIM_PLUGIN_PATH and name "
                "it bare");
}

TEST_F(Plugins, APathLoadsWhenAllowedOrGivenOnTheCommandLine) {
  TempDir dir;
  fs::create_directories(dir.path() / "lib");
  fs::copy_file(build_plugin_dir / "redial-then-callback.so", dir.path() / "lib" / "rtc.so");
  fs::create_symlink(dir.path() / "lib" / "rtc.so", dir.path() / "link.so");
  const fs::path file = dir.path() / "s.yaml";
  write(file, "telsim: 1\nplugins: [./lib/../lib/rtc.so]\n");

  {  // --allow-plugins
    PluginSet set;
    models::PolicyRegistry registry = models::builtin_policy_registry();
    load_scenario_plugins(set, file, {}, registry, PluginTrust{.allow_paths = true, .given = {}});
    EXPECT_NE(registry.find("redial_then_callback"), nullptr);
  }
  {  // --plugin naming the same file another way (a symbolic link to it)
    PluginSet set;
    models::PolicyRegistry registry = models::builtin_policy_registry();
    PluginTrust trust;
    trust.given.push_back(set.load((dir.path() / "link.so").string(), "/", registry).path);
    load_scenario_plugins(set, file, {}, registry, trust);
    EXPECT_NE(registry.find("redial_then_callback"), nullptr);
    EXPECT_EQ(set.plugins().size(), 1u) << "the same file, loaded once";
  }
  {  // --plugin naming another file vouches for nothing else
    PluginSet set;
    models::PolicyRegistry registry = models::builtin_policy_registry();
    PluginTrust trust;
    trust.given.push_back(set.load("ringback-when-free", "/", registry).path);
    EXPECT_NE(error_of([&] {
                load_scenario_plugins(set, file, {}, registry, trust);
              }).find("loading a plug-in runs its code"),
              std::string::npos);
  }
  {  // --set plugins=[PATH] is the command line's own choice
    PluginSet set;
    models::PolicyRegistry registry = models::builtin_policy_registry();
    load_scenario_plugins(set, file, {"plugins=[lib/rtc.so]"}, registry);
    EXPECT_NE(registry.find("redial_then_callback"), nullptr);
  }
  // A bare name from a trusted folder needs no permission.
  write(file, "telsim: 1\nplugins: [redial-then-callback]\n");
  load_scenario_plugins(plugins_, file, {}, registry_);
  EXPECT_NE(registry_.find("redial_then_callback"), nullptr);
}

TEST_F(Plugins, ReadsOnlyThePluginsListWithPositions) {
  TempDir dir;
  const fs::path file = dir.path() / "s.yaml";
  write(file,
        "telsim: 1\n"
        "name: x\n"
        "unknown_key_is_the_loaders_business: 1\n"
        "plugins:\n"
        "  - one\n"
        "  - lib/two.so\n");
  const std::vector<PluginEntry> entries = read_scenario_plugins(file, {});
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].reference, "one");
  EXPECT_EQ(entries[0].file, file.string());
  EXPECT_EQ(entries[0].line, 5);
  EXPECT_EQ(entries[0].column, 5);
  EXPECT_EQ(entries[1].reference, "lib/two.so");
  EXPECT_EQ(entries[1].line, 6);

  // --set replaces the list, as the loader will.
  const std::vector<PluginEntry> set = read_scenario_plugins(file, {"plugins=[three]"});
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].reference, "three");
  EXPECT_EQ(set[0].file, "--set");
  EXPECT_EQ(set[0].line, 1);
  EXPECT_EQ(set[0].column, 10);

  // A file the loader will reject as a whole gives no plug-ins (the loader says why).
  write(file, "telsim: [1\n");
  EXPECT_TRUE(read_scenario_plugins(file, {}).empty());
  EXPECT_TRUE(read_scenario_plugins(dir.path() / "missing.yaml", {}).empty());
}

TEST_F(Plugins, APluginsKeyThatIsNotAListIsTheLoadersError) {
  TempDir dir;
  const fs::path file = dir.path() / "s.yaml";
  write(file, "telsim: 1\nname: x\nplugins: redial-then-callback\n");
  const std::string message = error_of([&] { read_scenario_plugins(file, {}); });
  EXPECT_EQ(message, file.string() +
                         ":3:10: error: 'plugins' must be a list, got "
                         "'redial-then-callback'");
}

// ---- errors, with their exact text ----------------------------------------------------

TEST_F(Plugins, MissingFile) {
  TempDir dir;
  EXPECT_EQ(
      error_of([&] { plugins_.load("nope/missing.so", dir.path(), registry_); }),
      "plug-in 'nope/missing.so': no such file: " + (dir.path() / "nope/missing.so").string());
}

TEST_F(Plugins, MissingBareNameListsWhereItLooked) {
  EXPECT_EQ(error_of([&] { plugins_.load("missing-one", "/", registry_); }),
            "plug-in 'missing-one': not found: looked for missing-one.so in " +
                build_plugin_dir.string() +
                " (the build's plug-in folder; TELSIM_PLUGIN_PATH is not set); add the folder "
                "that holds it to TELSIM_PLUGIN_PATH, or give its path");

  setenv("TELSIM_PLUGIN_PATH", "/no/such/a:/no/such/b", 1);
  EXPECT_EQ(error_of([&] { plugins_.load("missing-one", "/", registry_); }),
            "plug-in 'missing-one': not found: looked for missing-one.so in /no/such/a, "
            "/no/such/b (TELSIM_PLUGIN_PATH) and " +
                build_plugin_dir.string() +
                " (the build's plug-in folder); add the folder that holds it to "
                "TELSIM_PLUGIN_PATH, or give its path");
}

TEST_F(Plugins, FileThatIsNotASharedObject) {
  TempDir dir;
  const fs::path notes = dir.path() / "notes.so";
  write(notes, "these are notes, not machine code\n");
  // The system's own reason, as dlopen gives it.
  void* handle = dlopen(notes.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_EQ(handle, nullptr);
  const std::string reason = dlerror();
  EXPECT_NE(reason.find(notes.string()), std::string::npos) << reason;

  EXPECT_EQ(error_of([&] { plugins_.load("notes.so", dir.path(), registry_); }),
            "plug-in 'notes.so': not a loadable shared object: " + reason);
  EXPECT_EQ(error_of([&] { plugins_.load(dir.path().string(), "/", registry_); }),
            "plug-in '" + dir.path().string() + "': " + dir.path().string() +
                " is a folder, not a shared object");
  EXPECT_TRUE(plugins_.plugins().empty());
}

TEST_F(Plugins, SharedObjectWithoutTheEntryPoint) {
  const fs::path file = test_plugin("no-entry");
  EXPECT_EQ(error_of([&] { plugins_.load(file.string(), "/", registry_); }),
            "plug-in '" + file.string() +
                "': no entry point 'telsim_plugin_entry': it is not a telsim plug-in (a plug-in "
                "defines it with TELSIM_PLUGIN(name, description, register_fn) from "
                "telsim/models/plugin_api.hpp)");
}

TEST_F(Plugins, AbiVersionMismatchNamesBothVersions) {
  const fs::path file = test_plugin("abi-mismatch");
  const std::size_t types = registry_.types().size();
  EXPECT_EQ(error_of([&] { plugins_.load(file.string(), "/", registry_); }),
            "plug-in '" + file.string() + "': built for plug-in ABI version " +
                std::to_string(TELSIM_PLUGIN_ABI_VERSION + 1000) +
                ", but this telsim loads version " + std::to_string(TELSIM_PLUGIN_ABI_VERSION) +
                "; rebuild the plug-in against this telsim's headers");
  EXPECT_EQ(registry_.types().size(), types);
}

TEST_F(Plugins, VersionOnePluginIsRefusedNamingBothVersions) {
  static_assert(TELSIM_PLUGIN_ABI_VERSION == 2, "this test pins the step from version 1 to 2");
  const fs::path file = test_plugin("abi-v1");
  const std::size_t types = registry_.types().size();
  EXPECT_EQ(error_of([&] { plugins_.load(file.string(), "/", registry_); }),
            "plug-in '" + file.string() +
                "': built for plug-in ABI version 1, but this telsim loads version 2; rebuild "
                "the plug-in against this telsim's headers");
  EXPECT_EQ(registry_.types().size(), types);
}

TEST_F(Plugins, TypeNameClashAddsNothing) {
  const std::size_t types = registry_.types().size();
  EXPECT_EQ(error_of([&] { plugins_.load("clash", test_plugin_dir, registry_); }),
            "plug-in 'clash': not found: looked for clash.so in " + build_plugin_dir.string() +
                " (the build's plug-in folder; TELSIM_PLUGIN_PATH is not set); add the folder "
                "that holds it to TELSIM_PLUGIN_PATH, or give its path")
      << "a bare name is never looked up in the base folder";
  EXPECT_EQ(error_of([&] { plugins_.load("clash.so", test_plugin_dir, registry_); }),
            "plug-in 'clash.so' (" + test_plugin("clash").string() +
                "): policy type 'callback' clashes with the built-in type of that name; a "
                "plug-in's types need names of their own");
  EXPECT_EQ(registry_.types().size(), types) << "a plug-in is added whole or not at all";
  EXPECT_EQ(registry_.find("clash_fresh"), nullptr);

  // Two plug-ins with the same type name: the second names the first.
  TempDir dir;
  fs::copy_file(build_plugin_dir / "redial-then-callback.so", dir.path() / "copy.so");
  plugins_.load("redial-then-callback", "/", registry_);
  EXPECT_EQ(error_of([&] { plugins_.load("copy.so", dir.path(), registry_); }),
            "plug-in 'copy.so' (" + (dir.path() / "copy.so").string() +
                "): policy type 'redial_then_callback' clashes with the type of that name from "
                "plug-in " +
                example_plugin().string() + "; a plug-in's types need names of their own");
}

TEST_F(Plugins, ScenarioEntryErrorsAreReportedAtTheEntry) {
  TempDir dir;
  const fs::path file = dir.path() / "s.yaml";
  write(file, "telsim: 1\nplugins:\n  - redial-then-callback\n  - ./notes.so\n");
  EXPECT_EQ(error_of([&] {
              load_scenario_plugins(plugins_, file, {}, registry_,
                                    PluginTrust{.allow_paths = true, .given = {}});
            }),
            file.string() + ":4:5: error: plug-in './notes.so': no such file: " +
                (dir.path() / "notes.so").string());
  EXPECT_NE(registry_.find("redial_then_callback"), nullptr) << "the entries before it loaded";

  EXPECT_EQ(error_of([&] {
              load_scenario_plugins(plugins_, file, {"plugins=[redial-then-callback, nope]"},
                                    registry_);
            }),
            "--set:1:32: error: plug-in 'nope': not found: looked for nope.so in " +
                build_plugin_dir.string() +
                " (the build's plug-in folder; TELSIM_PLUGIN_PATH is not set); add the folder "
                "that holds it to TELSIM_PLUGIN_PATH, or give its path");

  // An error in the scenario proper is the loader's, after the plug-ins loaded.
  write(file, "telsim: 1\nplugins: [redial-then-callback]\n");
  EXPECT_EQ(error_of([&] { load_scenario_plugins(plugins_, file, {}, registry_); }),
            "(no exception)");
}

// ---- run-time failures ------------------------------------------------------------------

Scenario scenario_with_policy(const std::string& type, const std::string& policy,
                              const models::PolicyRegistry& registry) {
  const std::string text = R"(telsim: 1
name: fails
replications: 2
duration: 200
exchanges:
  - name: A
subscribers:
  - {name: homes, exchange: A, count: 50, lines: 1}
  - {name: desk, exchange: A, count: 1, lines: 1}
traffic:
  - name: homes-to-desk
    from: homes
    to: desk
    arrivals:
      poisson: {rate: 0.5}
    holding: {exponential: {mean: 60}}
    completion: )" + policy +
                           R"(
policies:
  )" + policy + R"(: {type: )" +
                           type + R"(}
)";
  return load_scenario_text(text, "fails.yaml", {}, registry);
}

TEST_F(Plugins, APolicyThatThrowsFailsTheRunNamingThePlugin) {
  plugins_.load(test_plugin("throwing").string(), "/", registry_);
  const std::string who = "plug-in 'throwing' (" + test_plugin("throwing").string() + ")";
  RunOptions options;
  options.threads = 2;

  const Scenario in_policy = scenario_with_policy("throw_in_policy", "boom", registry_);
  EXPECT_EQ(error_of([&] { run_scenario(in_policy, registry_, options); }),
            who + ": policy 'boom': out of coffee");

  const Scenario in_factory = scenario_with_policy("throw_in_factory", "bad", registry_);
  EXPECT_EQ(error_of([&] { run_scenario(in_factory, registry_, options); }),
            who + ": policy 'bad': bad mood");

  const Scenario in_timer = scenario_with_policy("throw_in_timer", "late", registry_);
  EXPECT_EQ(error_of([&] { run_scenario(in_timer, registry_, options); }),
            who + ": policy 'late': threw an exception that is not a std::exception");
}

}  // namespace
}  // namespace telsim::scenarios
