// --set KEY=VALUE (SPEC §4): every addressing form, and errors reported at
// the offending part of the argument.
#include <gtest/gtest.h>

#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using testing::error_of;
using testing::load;
using testing::small_scenario;
using testing::with;

TEST(SetOverrides, PlainTopLevelKey) {
  const auto s = load(small_scenario, {"duration=1e3", "seed=7"});
  EXPECT_DOUBLE_EQ(s.duration, 1000.0);
  EXPECT_EQ(s.seed, 7u);
}

TEST(SetOverrides, CreatesAMissingOptionalLeaf) {
  const auto s = load(small_scenario, {"warmup=auto", "replications=3"});
  EXPECT_FALSE(s.warmup.has_value());
  EXPECT_EQ(s.replications, 3u);
}

TEST(SetOverrides, TrunkGroupByName) {
  const auto s = load(small_scenario, {"trunk_groups.AB.circuits=90", "trunk_groups.AB.reserve=2"});
  EXPECT_EQ(s.network.trunk_groups[0].circuits, 90u);
  EXPECT_EQ(s.network.trunk_groups[0].reserve, 2u);
}

TEST(SetOverrides, RelationByDefaultName) {
  const auto s = load(small_scenario, {"traffic.homes-to-shops.arrivals.poisson.rate=1.2"});
  EXPECT_DOUBLE_EQ(s.network.relations[0].arrivals.rate, 1.2);
}

TEST(SetOverrides, RelationByExplicitName) {
  std::string text = small_scenario;
  text.replace(text.find("  - from: homes"), 15, "  - name: hs\n    from: homes");
  const auto s = load(text, {"traffic.hs.holding=30"});
  EXPECT_TRUE(s.network.relations[0].holding.is_deterministic());
  EXPECT_DOUBLE_EQ(s.network.relations[0].holding.mean(), 30.0);
  // The default name no longer addresses it.
  EXPECT_EQ(error_of(text, {"traffic.homes-to-shops.holding=30"}),
            "--set:1:9: error: no relation 'homes-to-shops' in 'traffic.homes-to-shops.holding'"
            " (did you mean 'hs'?)");
}

TEST(SetOverrides, RelationCompletionNamesAPolicy) {
  const auto s = load(small_scenario, {"traffic.homes-to-shops.completion=retry"});
  ASSERT_TRUE(s.network.relations[0].policy.has_value());
  EXPECT_EQ(s.network.policies[*s.network.relations[0].policy].name, "retry");
}

TEST(SetOverrides, RouteByFromDashTo) {
  std::string text = small_scenario;
  text.replace(text.find("    circuits: 10\n"), 17,
               "    circuits: 10\n  - {name: AB2, between: [A, B], circuits: 5}\n");
  const auto s = load(text, {"routes.A-B.via=[[AB2], [AB]]"});
  ASSERT_EQ(s.network.routes[0].via.size(), 2u);
  EXPECT_EQ(s.network.routes[0].via[0], std::vector<std::uint32_t>{1});
}

TEST(SetOverrides, PolicyByKey) {
  const auto s = load(small_scenario, {"policies.retry.persistence=0.5"});
  EXPECT_DOUBLE_EQ(s.network.policies[0].params.at("persistence").number, 0.5);
}

TEST(SetOverrides, PopulationAndExchangeByName) {
  const auto s = load(small_scenario,
                      {"subscribers.shops.lines=unlimited", "exchanges.B.completion={bridges: 2}"});
  EXPECT_FALSE(s.network.populations[1].lines.has_value());
  EXPECT_EQ(s.network.exchanges[1].completion.bridges, 2u);
}

TEST(SetOverrides, ReplacesAWholeItem) {
  const auto s = load(small_scenario, {"trunk_groups.AB={name: AB, between: [B, A], circuits: 4}"});
  EXPECT_EQ(s.network.trunk_groups[0].circuits, 4u);
  EXPECT_EQ(s.network.trunk_groups[0].between[0], 1u);
}

TEST(SetOverrides, AppliesInOrder) {
  const auto s = load(small_scenario, {"duration=10", "duration=20"});
  EXPECT_DOUBLE_EQ(s.duration, 20.0);
}

TEST(SetOverrides, UnknownItemWithSuggestion) {
  EXPECT_EQ(error_of(small_scenario, {"trunk_groups.XY.circuits=5"}),
            "--set:1:14: error: no trunk group 'XY' in 'trunk_groups.XY.circuits' (did you mean "
            "'AB'?)");
}

TEST(SetOverrides, UnknownRoute) {
  EXPECT_EQ(error_of(small_scenario, {"routes.B-A.via=[[AB]]"}),
            "--set:1:8: error: no route 'B-A' in 'routes.B-A.via' (did you mean 'A-B'?)");
}

TEST(SetOverrides, MissingParentIsAnError) {
  EXPECT_EQ(error_of(small_scenario, {"precision.relative=0.1"}),
            "--set:1:1: error: no key 'precision' in 'precision.relative' (to add it, set it "
            "whole: --set 'precision={...}')");
  EXPECT_EQ(error_of(small_scenario, {"exchanges.A.completion.bridges=2"}),
            "--set:1:13: error: no key 'completion' in 'exchanges.A.completion.bridges' (to add "
            "it, set it whole: --set 'exchanges.A.completion={...}')");
}

TEST(SetOverrides, MisspeltIntermediateKeyGetsASuggestion) {
  EXPECT_EQ(error_of(small_scenario, {"traffic.homes-to-shops.arivals.poisson.rate=1"}),
            "--set:1:24: error: no key 'arivals' in 'traffic.homes-to-shops.arivals.poisson.rate'"
            " (did you mean 'arrivals'?)");
}

TEST(SetOverrides, UnknownPolicy) {
  EXPECT_EQ(error_of(small_scenario, {"policies.rety.delay=5"}),
            "--set:1:10: error: no policy 'rety' in 'policies.rety.delay' (did you mean "
            "'retry'?)");
}

TEST(SetOverrides, NewLeafKeyIsValidatedLikeTheFile) {
  EXPECT_EQ(error_of(small_scenario, {"trunk_groups.AB.reserv=2"}),
            "--set:1:17: error: unknown key 'reserv' in trunk group 'AB' (did you mean "
            "'reserve'?)");
  EXPECT_EQ(error_of(small_scenario, {"warmpu=5"}),
            "--set:1:1: error: unknown key 'warmpu' in the scenario (did you mean 'warmup'?)");
}

TEST(SetOverrides, BadValueIsReportedAtTheValue) {
  EXPECT_EQ(error_of(small_scenario, {"trunk_groups.AB.circuits=0"}),
            "--set:1:26: error: trunk group 'AB': 'circuits' must be an integer >= 1, got '0'");
  // Inside a structured value, at the offending part of it.
  EXPECT_EQ(error_of(small_scenario, {"routes.A-B.via=[[AB], [XY]]"}),
            "--set:1:24: error: route 'A-B': unknown trunk group 'XY' in 'via' (did you mean "
            "'AB'?)");
  EXPECT_EQ(error_of(small_scenario, {"traffic.homes-to-shops.holding={exponential: {mena: 3}}"}),
            "--set:1:47: error: unknown key 'mena' in 'holding.exponential' of relation "
            "'homes-to-shops' (did you mean 'mean'?)");
}

TEST(SetOverrides, ValueThatIsNotYaml) {
  EXPECT_EQ(error_of(small_scenario, {"routes.A-B.via=[[AB]"}),
            "--set:1:16: error: in the value of 'routes.A-B.via': invalid YAML: end of sequence "
            "flow not found");
}

TEST(SetOverrides, MalformedArguments) {
  EXPECT_EQ(error_of(small_scenario, {"duration"}),
            "--set:1:1: error: expected KEY=VALUE, e.g. trunk_groups.AB.circuits=90, got "
            "'duration'");
  EXPECT_EQ(error_of(small_scenario, {"=5"}), "--set:1:1: error: missing KEY before '=' in '=5'");
  EXPECT_EQ(error_of(small_scenario, {"duration="}),
            "--set:1:10: error: missing VALUE after '=' in 'duration='");
  EXPECT_EQ(error_of(small_scenario, {"trunk_groups..circuits=5"}),
            "--set:1:14: error: empty part in the path 'trunk_groups..circuits'");
}

TEST(SetOverrides, NoAddressingByIndex) {
  EXPECT_EQ(error_of(small_scenario, {"trunk_groups.0.circuits=5"}),
            "--set:1:14: error: no trunk group '0' in 'trunk_groups.0.circuits' (did you mean "
            "'AB'?)");
  EXPECT_EQ(error_of(small_scenario, {"routes.A-B.via.0=[AB]"}),
            "--set:1:16: error: 'routes.A-B.via' is a list, and lists are not addressed by index:"
            " set it whole, e.g. --set 'routes.A-B.via=[...]'");
}

TEST(SetOverrides, DescendingIntoAValueIsAnError) {
  EXPECT_EQ(error_of(small_scenario, {"duration.x=5"}),
            "--set:1:10: error: 'duration' is a single value, not a map: set it whole with "
            "--set 'duration=...'");
}

TEST(SetOverrides, ResolvedScenarioShowsTheOverride) {
  const auto registry = models::builtin_policy_registry();
  const auto s =
      load_scenario_text(small_scenario, "x.yaml", {"trunk_groups.AB.circuits=77"}, registry);
  EXPECT_EQ(resolved_scenario_json(s, registry)["trunk_groups"][0]["circuits"], 77);
}

TEST(SetOverrides, SectionIsAddedWhole) {
  const auto s =
      load(with("expect: []\n"), {"expect=[{metric: trunk_groups.AB.call_blocking, max: 0.01}]"});
  ASSERT_EQ(s.expect.size(), 1u);
  EXPECT_DOUBLE_EQ(*s.expect[0].max, 0.01);
}

TEST(SetOverrides, ScriptedArrivals) {
  // Switching kind: arrivals set whole, as between poisson and per_idle_source.
  auto s = load(small_scenario, {"traffic.homes-to-shops.arrivals={at: [10, 20]}"});
  EXPECT_EQ(s.network.relations[0].arrivals.kind, models::ArrivalSpec::Kind::scripted);
  EXPECT_EQ(s.network.relations[0].arrivals.at, (std::vector<double>{10.0, 20.0}));
  // Then the list alone, set whole like any list.
  s = load(small_scenario, {"traffic.homes-to-shops.arrivals={at: [10, 20]}",
                            "traffic.homes-to-shops.arrivals.at=[5, 1e3]"});
  EXPECT_EQ(s.network.relations[0].arrivals.at, (std::vector<double>{5.0, 1000.0}));
  // And back.
  s = load(small_scenario, {"traffic.homes-to-shops.arrivals={at: [10]}",
                            "traffic.homes-to-shops.arrivals={poisson: {rate: 2}}"});
  EXPECT_EQ(s.network.relations[0].arrivals.kind, models::ArrivalSpec::Kind::poisson);
  EXPECT_TRUE(s.network.relations[0].arrivals.at.empty());
}

TEST(SetOverrides, ScriptedArrivalsErrorsAtTheValue) {
  // A new `at` beside poisson is a second kind, reported at the key with the remedy.
  EXPECT_EQ(error_of(small_scenario, {"traffic.homes-to-shops.arrivals.at=[10, 20]"}),
            "--set:1:33: error: relation 'homes-to-shops': 'arrivals' takes one of 'poisson', "
            "'per_idle_source' and 'at', not both 'poisson' and 'at' (to switch kind, set "
            "'arrivals' whole)");
  EXPECT_EQ(error_of(small_scenario, {"traffic.homes-to-shops.arrivals={at: [20, 10]}"}),
            "--set:1:43: error: relation 'homes-to-shops': times in 'arrivals.at' must be "
            "non-decreasing (list them in order; equal times are placed in the order listed), got "
            "'10' after '20'");
}

TEST(SetOverrides, PopulationCompletion) {
  const auto s = load(small_scenario, {"subscribers.shops.completion={modes: [campon]}"});
  EXPECT_EQ(s.network.populations[1].completion.modes,
            (std::optional<std::array<bool, 4>>({true, false, false, false})));
  EXPECT_EQ(error_of(small_scenario, {"subscribers.shops.completion={messages: 1}"}),
            "--set:1:31: error: population 'shops': 'completion.messages' cannot be given per "
            "population: the predefined messages stay per exchange; set it in the 'completion' of "
            "exchange 'B'");
}

}  // namespace
}  // namespace telsim::scenarios
