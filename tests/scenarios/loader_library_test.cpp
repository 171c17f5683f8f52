// Every scenario of the example library loads and validates.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/plugins.hpp"

namespace telsim::scenarios {
namespace {

std::vector<std::string> library_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(TELSIM_SCENARIO_DIR)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class LibraryScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(LibraryScenario, Loads) {
  PluginSet plugins;  // a library scenario may name the build's own plug-ins
  auto registry = models::builtin_policy_registry();
  const auto path = std::filesystem::path(TELSIM_SCENARIO_DIR) / GetParam();
  load_scenario_plugins(plugins, path, {}, registry);
  Scenario s;
  ASSERT_NO_THROW(s = load_scenario_file(path, {}, registry));
  EXPECT_EQ(s.name + ".yaml", GetParam()) << "a library scenario is named after its file";
  EXPECT_FALSE(s.network.relations.empty());
}

TEST_P(LibraryScenario, ResolvedJsonLoadsBackUnchanged) {
  // JSON is YAML: the resolved scenario must itself be a valid scenario
  // that resolves to the same thing.
  PluginSet plugins;
  auto registry = models::builtin_policy_registry();
  const auto path = std::filesystem::path(TELSIM_SCENARIO_DIR) / GetParam();
  load_scenario_plugins(plugins, path, {}, registry);
  const auto first = resolved_scenario_json(load_scenario_file(path, {}, registry), registry);
  const auto again =
      resolved_scenario_json(load_scenario_text(first.dump(2), "resolved", {}, registry), registry);
  EXPECT_EQ(first.dump(), again.dump());
}

INSTANTIATE_TEST_SUITE_P(Library, LibraryScenario, ::testing::ValuesIn(library_files()),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.size() - 5);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Library, HasTheExpectedScenarios) {
  const auto files = library_files();
  for (const char* name :
       {"erlang-b.yaml", "engset.yaml", "metro.yaml", "busy-hour.yaml", "bench-erlang-loss.yaml"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), name), files.end()) << name;
  }
}

TEST(Library, ErlangBIsWhatItSays) {
  const auto registry = models::builtin_policy_registry();
  const auto s = load_scenario_file(std::filesystem::path(TELSIM_SCENARIO_DIR) / "erlang-b.yaml",
                                    {}, registry);
  ASSERT_EQ(s.network.trunk_groups.size(), 1u);
  EXPECT_EQ(s.network.trunk_groups[0].circuits, 20u);
  const auto& rel = s.network.relations[0];
  EXPECT_DOUBLE_EQ(rel.arrivals.rate * rel.holding.mean(), 15.0);  // offered Erlangs
  EXPECT_EQ(s.replications, 10u);
  ASSERT_TRUE(s.warmup.has_value());
  EXPECT_DOUBLE_EQ(*s.warmup, 600.0);
  ASSERT_EQ(s.expect.size(), 1u);
  EXPECT_LT(*s.expect[0].min, 0.0456);
  EXPECT_GT(*s.expect[0].max, 0.0456);
}

TEST(Library, BenchOffersTwentyMillionCalls) {
  const auto registry = models::builtin_policy_registry();
  const auto s = load_scenario_file(
      std::filesystem::path(TELSIM_SCENARIO_DIR) / "bench-erlang-loss.yaml", {}, registry);
  const auto& rel = s.network.relations[0];
  EXPECT_NEAR(rel.arrivals.rate * s.duration, 20'000'000.0, 1.0);
  EXPECT_DOUBLE_EQ(rel.arrivals.rate * rel.holding.mean(), 90.0);
  EXPECT_EQ(s.network.trunk_groups[0].circuits, 100u);
  EXPECT_EQ(s.replications, 1u);
}

}  // namespace
}  // namespace telsim::scenarios
