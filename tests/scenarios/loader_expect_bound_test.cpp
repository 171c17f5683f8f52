// `expect` checks' optional `bound` (SPEC §2): mean (the default) or ci, read by the loader
// and written back, default filled in, in the resolved scenario.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using analysis::ExpectBound;
using testing::error_of;
using testing::load;
using testing::with;

// small_scenario has 23 lines; the expect list starts on line 24, its check on line 25.
std::string check_with(const std::string& bound_line) {
  return with("expect:\n  - metric: trunk_groups.AB.call_blocking\n    max: 0.01\n" + bound_line);
}

TEST(ExpectBound, DefaultsToTheMean) {
  const Scenario s = load(check_with(""));
  ASSERT_EQ(s.expect.size(), 1u);
  EXPECT_EQ(s.expect[0].bound, ExpectBound::mean);
}

TEST(ExpectBound, ReadsMeanAndCi) {
  EXPECT_EQ(load(check_with("    bound: mean\n")).expect.at(0).bound, ExpectBound::mean);
  const Scenario s = load(check_with("    bound: ci\n"));
  EXPECT_EQ(s.expect.at(0).bound, ExpectBound::ci);
  EXPECT_EQ(s.expect.at(0).metric, "trunk_groups.AB.call_blocking");
  EXPECT_DOUBLE_EQ(*s.expect.at(0).max, 0.01);
  // In the flow form and through --set as well.
  EXPECT_EQ(load(with("expect: [{metric: trunk_groups.AB.call_blocking, min: 0, bound: ci}]\n"))
                .expect.at(0)
                .bound,
            ExpectBound::ci);
  const Scenario set =
      load(with("expect: []\n"),
           {"expect=[{metric: trunk_groups.AB.call_blocking, max: 1, bound: ci}]"});
  EXPECT_EQ(set.expect.at(0).bound, ExpectBound::ci);
}

TEST(ExpectBound, AnotherValueIsAnErrorAtTheValueWithASuggestion) {
  EXPECT_EQ(error_of(check_with("    bound: cis\n")),
            "test.yaml:27:12: error: 'expect.bound' must be mean or ci (the whole 95% interval "
            "within min/max), got 'cis' (did you mean 'ci'?)");
  EXPECT_EQ(error_of(check_with("    bound: median\n")),
            "test.yaml:27:12: error: 'expect.bound' must be mean or ci (the whole 95% interval "
            "within min/max), got 'median' (did you mean 'mean'?)");
  EXPECT_EQ(error_of(check_with("    bound: interval\n")),
            "test.yaml:27:12: error: 'expect.bound' must be mean or ci (the whole 95% interval "
            "within min/max), got 'interval'");
  EXPECT_NE(error_of(check_with("    bound: [ci]\n")).find("test.yaml:27:12: error: "),
            std::string::npos);
  // A misspelt key is unknown, with its suggestion.
  EXPECT_EQ(error_of(check_with("    bounds: ci\n")),
            "test.yaml:27:5: error: unknown key 'bounds' in 'expect' (did you mean 'bound'?)");
}

TEST(ExpectBound, TheResolvedScenarioNamesTheBoundDefaultFilledIn) {
  const auto registry = models::builtin_policy_registry();
  const auto resolve = [&](const std::string& text) {
    return resolved_scenario_json(load(text), registry)["expect"].dump();
  };
  EXPECT_EQ(resolve(check_with("")),
            R"([{"metric":"trunk_groups.AB.call_blocking","max":0.01,"bound":"mean"}])");
  EXPECT_EQ(resolve(check_with("    bound: ci\n")),
            R"([{"metric":"trunk_groups.AB.call_blocking","max":0.01,"bound":"ci"}])");
}

}  // namespace
}  // namespace telsim::scenarios
