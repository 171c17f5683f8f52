// studies::Session: the scenario loaded once, the variants made from it, the errors a
// study reports before running anything, and provenance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/provenance.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::study_library_test {
namespace {

// Whether `text` has the shape of `pattern`: '9' stands for a digit, 'f' for a lowercase
// hexadecimal digit, anything else for itself. (std::regex trips GCC 12's
// -Wmaybe-uninitialized in the sanitizer build.)
bool has_shape(const std::string& text, const std::string& pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    if (pattern[i] == '9'   ? !digit
        : pattern[i] == 'f' ? !(digit || (c >= 'a' && c <= 'f'))
                            : c != pattern[i]) {
      return false;
    }
  }
  return true;
}

using studies::Session;
using studies::SessionOptions;
using studies::StudyError;

std::int64_t ab_circuits(const scenarios::Scenario& s) {
  return static_cast<std::int64_t>(s.network.trunk_groups.at(0).circuits);
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(Session, LoadsTheScenarioWithTheSessionsSets) {
  Session session(quick_erlang_b());
  const scenarios::Scenario& base = session.base();
  EXPECT_EQ(base.name, "erlang-b");
  EXPECT_EQ(base.seed, 1u);
  EXPECT_EQ(base.replications, 10u);
  EXPECT_EQ(base.duration, 36000.0) << "the file says 360000; the --set says 36000";
  ASSERT_EQ(base.network.trunk_groups.size(), 1u);
  EXPECT_EQ(base.network.trunk_groups[0].name, "AB");
  EXPECT_EQ(ab_circuits(base), 20);
}

TEST(Session, VariantChangesOnlyTheOverriddenValue) {
  Session session(quick_erlang_b());
  const scenarios::Scenario v = session.variant({"trunk_groups.AB.circuits=30"});
  EXPECT_EQ(ab_circuits(v), 30);

  nlohmann::ordered_json expected = session.resolved(session.base());
  ASSERT_EQ(expected["trunk_groups"][0]["circuits"], 20);
  expected["trunk_groups"][0]["circuits"] = 30;
  EXPECT_EQ(session.resolved(v).dump(), expected.dump());

  // The base is a value of its own: a variant does not change it.
  EXPECT_EQ(ab_circuits(session.base()), 20);
  EXPECT_EQ(ab_circuits(session.variant({})), 20);
}

TEST(Session, TheSessionsSetsApplyBeforeTheVariants) {
  Session session(quick_erlang_b({"trunk_groups.AB.circuits=25", "replications=4"}));
  EXPECT_EQ(ab_circuits(session.base()), 25);
  // The same key in both: the variant's, applied last, wins.
  const scenarios::Scenario v = session.variant({"trunk_groups.AB.circuits=30"});
  EXPECT_EQ(ab_circuits(v), 30);
  EXPECT_EQ(v.replications, 4u);
  EXPECT_EQ(v.duration, 36000.0);
  // Another key: every session --set is still there.
  const scenarios::Scenario w = session.variant({"replications=3"});
  EXPECT_EQ(ab_circuits(w), 25);
  EXPECT_EQ(w.replications, 3u);
  EXPECT_EQ(w.duration, 36000.0);
}

/// The ScenarioError `f` throws; fails the test when there is none.
template <typename F>
std::optional<scenarios::ScenarioError> scenario_error(F f) {
  try {
    f();
  } catch (const scenarios::ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "no ScenarioError";
  return std::nullopt;
}

// The loader's convention: a problem in an override is at "--set:1:COLUMN" (the column in
// the KEY=VALUE text), one the override causes elsewhere is at FILE:LINE:COLUMN.
TEST(Session, ABadOverrideThrowsTheLoadersErrorAtItsColumn) {
  Session session(quick_erlang_b());
  const struct {
    std::string override_text;
    int column;
    std::string says;
  } cases[] = {
      {"trunk_groups.AB.circuits=lots", 26, "'circuits' must be an integer >= 1, got 'lots'"},
      {"trunk_groups.XY.circuits=3", 14, "no trunk group 'XY'"},
      {"replications=0", 14, "'replications' must be an integer >= 1"},
      {"no_such_key=1", 1, "unknown key 'no_such_key'"},
  };
  for (const auto& c : cases) {
    const auto e = scenario_error([&] { (void)session.variant({c.override_text}); });
    if (!e) continue;
    EXPECT_EQ(e->file(), "--set") << c.override_text;
    EXPECT_EQ(e->line(), 1) << c.override_text;
    EXPECT_EQ(e->column(), c.column) << c.override_text;
    EXPECT_EQ(std::string(e->what()),
              "--set:1:" + std::to_string(c.column) + ": error: " + e->message());
    EXPECT_NE(e->message().find(c.says), std::string::npos) << e->what();
  }
  // The session is still usable after a refused variant.
  EXPECT_EQ(ab_circuits(session.variant({"trunk_groups.AB.circuits=21"})), 21);
}

TEST(Session, AnOverrideThatBreaksTheFileIsReportedInTheFile) {
  Session session(quick_erlang_b());
  const std::string file = library("erlang-b.yaml").string();
  // Renaming the only group leaves the file's route naming one that is gone.
  const auto e = scenario_error(
      [&] { (void)session.variant({"trunk_groups=[{name: XY, between: [A, B], circuits: 3}]"}); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->file(), file);
  EXPECT_GT(e->line(), 1);
  EXPECT_TRUE(starts_with(e->what(), file + ":" + std::to_string(e->line()) + ":" +
                                         std::to_string(e->column()) + ": error: "))
      << e->what();
  EXPECT_NE(e->message().find("AB"), std::string::npos) << e->what();
}

TEST(Session, ABadSetInTheOptionsIsABadInputStudyError) {
  try {
    Session session(quick_erlang_b({"trunk_groups.AB.circuits=lots"}));
    FAIL() << "no error";
  } catch (const StudyError& e) {
    EXPECT_EQ(e.exit_code(), studies::exit_bad_input);
    EXPECT_EQ(std::string(e.what()),
              "--set:1:26: error: trunk group 'AB': 'circuits' must be an integer >= 1, got "
              "'lots'");
  }
  // One that breaks the file: the file's own FILE:LINE:COLUMN line.
  const std::string file = library("erlang-b.yaml").string();
  try {
    Session session(quick_erlang_b({"trunk_groups=[{name: XY, between: [A, B], circuits: 3}]"}));
    FAIL() << "no error";
  } catch (const StudyError& e) {
    EXPECT_EQ(e.exit_code(), studies::exit_bad_input);
    const std::string what = e.what();
    ASSERT_EQ(what.rfind(file + ":", 0), 0u) << what;
    const std::string rest = what.substr(file.size() + 1);
    const auto error = rest.find(": error: ");
    ASSERT_NE(error, std::string::npos) << what;
    EXPECT_TRUE(
        has_shape(rest.substr(0, error), "9:9") || has_shape(rest.substr(0, error), "99:9") ||
        has_shape(rest.substr(0, error), "9:99") || has_shape(rest.substr(0, error), "99:99"))
        << what;
  }
}

TEST(Session, AMissingFileIsABadInputStudyErrorAtLineOne) {
  TempDir dir;
  SessionOptions options;
  options.file = dir / "no-such-scenario.yaml";
  try {
    Session session(options);
    FAIL() << "no error";
  } catch (const StudyError& e) {
    EXPECT_EQ(e.exit_code(), studies::exit_bad_input);
    EXPECT_TRUE(starts_with(e.what(), options.file.string() + ":1:1: error: ")) << e.what();
  }
}

TEST(Session, ABadPluginIsABadInputStudyError) {
  TempDir dir;
  for (const std::string& plugin :
       {(dir / "no-such-plugin.so").string(), std::string("no-such-plugin-anywhere")}) {
    SessionOptions options = quick_erlang_b();
    options.plugins = {plugin};
    try {
      Session session(std::move(options));
      ADD_FAILURE() << plugin << ": no error";
    } catch (const StudyError& e) {
      EXPECT_EQ(e.exit_code(), studies::exit_bad_input) << plugin;
      EXPECT_TRUE(starts_with(e.what(), "--plugin: error: ")) << e.what();
    }
  }
  // A file that exists but is not a shared object.
  const fs::path not_a_plugin = dir / "not-a-plugin.so";
  write_bytes(not_a_plugin, "this is text\n");
  SessionOptions options = quick_erlang_b();
  options.plugins = {not_a_plugin.string()};
  try {
    Session session(std::move(options));
    ADD_FAILURE() << "no error";
  } catch (const StudyError& e) {
    EXPECT_EQ(e.exit_code(), studies::exit_bad_input);
    EXPECT_TRUE(starts_with(e.what(), "--plugin: error: ")) << e.what();
  }
}

// A sweep makes its points long after it started; editing or deleting the file meanwhile
// must not change them.
TEST(Session, VariantsDoNotReadTheFileAgain) {
  TempDir dir;
  const fs::path file = dir / "erlang-b.yaml";
  const std::string original = read_bytes(library("erlang-b.yaml"));
  const std::string marker = "circuits: 20}";
  ASSERT_NE(original.find(marker), std::string::npos);
  write_bytes(file, original);

  SessionOptions options = quick_erlang_b();
  options.file = file;
  Session session(options);
  const std::string before = session.resolved(session.variant({"replications=2"})).dump();

  // Still a valid scenario, but with other circuits: a re-read would be seen.
  std::string edited = original;
  edited.replace(edited.find(marker), marker.size(), "circuits: 99}");
  write_bytes(file, edited);
  ASSERT_EQ(ab_circuits(scenarios::load_scenario_file(file, {}, session.registry())), 99);
  const scenarios::Scenario after_edit = session.variant({"replications=2"});
  EXPECT_EQ(ab_circuits(after_edit), 20);
  EXPECT_EQ(session.resolved(after_edit).dump(), before);

  fs::remove(file);
  const scenarios::Scenario after_removal = session.variant({"replications=2"});
  EXPECT_EQ(session.resolved(after_removal).dump(), before);
  EXPECT_EQ(ab_circuits(session.variant({"trunk_groups.AB.circuits=22"})), 22);
}

TEST(Session, ProvenanceFillsTheRunBlock) {
  SessionOptions options = quick_erlang_b();
  options.command_line = "telsim sweep erlang-b.yaml --vary trunk_groups.AB.circuits=1,2";
  Session session(options);
  const analysis::RunInfo info = session.provenance(3);
  EXPECT_TRUE(!info.version.empty() && std::isdigit(static_cast<unsigned char>(info.version[0])) &&
              std::count(info.version.begin(), info.version.end(), '.') >= 2)
      << info.version;
  EXPECT_EQ(info.version, studies::build_version());
  EXPECT_FALSE(info.commit.empty());
  EXPECT_EQ(info.commit, studies::build_commit());
  EXPECT_TRUE(has_shape(info.scenario_sha256, std::string(64, 'f'))) << info.scenario_sha256;
  EXPECT_EQ(info.scenario_sha256, studies::sha256_of_file(options.file));
  EXPECT_EQ(info.command_line, options.command_line);
  EXPECT_EQ(info.threads, 3);
  EXPECT_TRUE(has_shape(info.started_at, "9999-99-99T99:99:99Z")) << info.started_at;
  EXPECT_EQ(session.provenance(1).threads, 1);
}

TEST(Provenance, Sha256OfAFileIsItsDigestAndEmptyWhenUnreadable) {
  TempDir dir;
  write_bytes(dir / "abc", "abc");
  // FIPS 180-2's first example.
  EXPECT_EQ(studies::sha256_of_file(dir / "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  write_bytes(dir / "empty", "");
  EXPECT_EQ(studies::sha256_of_file(dir / "empty"),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(studies::sha256_of_file(dir / "missing"), "");
}

// A session makes every variant from the bytes it read once, so the hash in the results'
// provenance must be of those bytes, even if the file is edited or deleted meanwhile.
TEST(Session, ProvenanceHashesTheBytesTheSessionRead) {
  TempDir dir;
  const fs::path file = dir / "erlang-b.yaml";
  write_bytes(file, read_bytes(library("erlang-b.yaml")));
  const std::string read_hash = studies::sha256_of_file(file);
  SessionOptions options = quick_erlang_b();
  options.file = file;
  Session session(options);
  write_bytes(file, read_bytes(library("erlang-b.yaml")) + "# edited\n");
  EXPECT_EQ(session.provenance(1).scenario_sha256, read_hash);
  fs::remove(file);
  EXPECT_EQ(session.provenance(1).scenario_sha256, read_hash);
}

TEST(Session, RunFillsTheResolvedScenarioAndProvenance) {
  Session session(quick_erlang_b({"replications=3", "duration=3600"}));
  const scenarios::Scenario v = session.variant({"trunk_groups.AB.circuits=18"});
  std::atomic<int> stop{0};
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  studies::RunControl control;
  control.stop = &stop;
  control.progress = [&](std::size_t done, std::size_t planned) {
    calls.emplace_back(done, planned);
  };
  const analysis::RunResults r = session.run(v, 2, control);
  EXPECT_EQ(r.replications, 3u);
  EXPECT_EQ(r.scenario.dump(), session.resolved(v).dump());
  EXPECT_EQ(r.run.threads, 2);
  EXPECT_EQ(r.run.scenario_sha256, studies::sha256_of_file(library("erlang-b.yaml")));
  ASSERT_TRUE(r.metrics.contains("trunk_groups.AB.call_blocking"));
  EXPECT_EQ(r.metrics.values("trunk_groups.AB.call_blocking").size(), 3u);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), (std::pair<std::size_t, std::size_t>{3, 3}));

  // A stop flag already set: the run stops with the signal, whatever the replications.
  stop = 15;
  try {
    (void)session.run(v, 1, control);
    ADD_FAILURE() << "no interruption";
  } catch (const scenarios::Interrupted& e) {
    EXPECT_EQ(e.signal(), 15);
  }
}

}  // namespace
}  // namespace telsim::study_library_test
