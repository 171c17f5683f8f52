// Values: numbers in exponent form, integers, times, distributions and the
// defaults of SPEC §2.
#include <gtest/gtest.h>

#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using sim::Distribution;
using testing::error_of;
using testing::load;
using testing::small_scenario;
using testing::with;

std::string with_holding(const std::string& holding) {
  std::string text = small_scenario;
  const std::string old = "{exponential: {mean: 120}}";
  text.replace(text.find(old), old.size(), holding);
  return text;
}

Distribution holding_of(const std::string& holding) {
  return load(with_holding(holding)).network.relations[0].holding;
}

TEST(Defaults, FilledAsSpecSays) {
  const auto s = load(small_scenario);
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.replications, 10u);
  ASSERT_TRUE(s.warmup.has_value());
  EXPECT_DOUBLE_EQ(*s.warmup, 0.0);
  EXPECT_FALSE(s.precision.has_value());
  EXPECT_EQ(s.limits.max_events, 10'000'000'000ull);
  EXPECT_EQ(s.limits.max_pending, 100'000'000ull);
  const auto& ex = s.network.exchanges[0];
  EXPECT_EQ(ex.completion.modes, (std::array<bool, 4>{true, true, true, true}));
  EXPECT_EQ(ex.completion.max_per_address, std::optional<std::uint32_t>(8));
  EXPECT_EQ(ex.completion.messages, 4u);
  EXPECT_EQ(ex.completion.bridges, 0u);
  EXPECT_EQ(s.network.trunk_groups[0].reserve, 0u);
  const auto& rel = s.network.relations[0];
  EXPECT_EQ(rel.name, "homes-to-shops");
  EXPECT_DOUBLE_EQ(rel.answer.probability, 1.0);
  EXPECT_TRUE(rel.answer.delay.is_deterministic());
  EXPECT_DOUBLE_EQ(rel.answer.delay.mean(), 0.0);
  EXPECT_FALSE(rel.answer.timeout.has_value());
  EXPECT_FALSE(rel.policy.has_value());
  EXPECT_TRUE(rel.arrivals.profile.empty());
  EXPECT_TRUE(s.plugins.empty());
  EXPECT_TRUE(s.expect.empty());
}

TEST(Defaults, PrecisionDefaults) {
  auto s = load(with("precision: {metric: trunk_groups.AB.call_blocking}\n"));
  ASSERT_TRUE(s.precision.has_value());
  EXPECT_DOUBLE_EQ(s.precision->relative, 0.05);
  EXPECT_EQ(s.precision->max_replications, 200u);
  // With more replications than the default allows, the default follows them.
  s = load(with("replications: 300\nprecision: {metric: traffic.homes-to-shops.calls}\n"));
  EXPECT_EQ(s.precision->max_replications, 300u);
}

TEST(Values, ExponentFormForIntegers) {
  const auto s = load(with("limits: {max_events: 1e10, max_pending: 2.5e3}\nseed: 1e3\n"));
  EXPECT_EQ(s.limits.max_events, 10'000'000'000ull);
  EXPECT_EQ(s.limits.max_pending, 2500u);
  EXPECT_EQ(s.seed, 1000u);
}

TEST(Values, MaxMemoryInBytesOrAuto) {
  EXPECT_FALSE(load(testing::small_scenario).max_memory.has_value()) << "default auto";
  EXPECT_FALSE(load(with("limits: {max_memory: auto}\n")).max_memory.has_value());
  EXPECT_EQ(load(with("limits: {max_memory: 8e9}\n")).max_memory,
            std::optional<std::uint64_t>(8'000'000'000ull));
  EXPECT_EQ(load(with("limits: {max_memory: 1}\n"), {"limits.max_memory=2.5e3"}).max_memory,
            std::optional<std::uint64_t>(2500u));
  EXPECT_EQ(error_of(with("limits: {max_memory: lots}\n")),
            "test.yaml:24:22: error: 'limits.max_memory' must be a number of bytes >= 1 (e.g. "
            "8e9) or 'auto', got 'lots'");
  EXPECT_NE(error_of(with("limits: {max_memory: 0}\n"))
                .find("'limits.max_memory' must be an "
                      "integer >= 1, got '0'"),
            std::string::npos);
}

// The engine orders at most 2^44 scheduled events per replication, and every
// event run was scheduled once: max_events stops at 2^44 - 1, exactly.
TEST(Values, MaxEventsStopsAtTheEventSequence) {
  EXPECT_EQ(load(with("limits: {max_events: 17592186044415}\n")).limits.max_events,
            sim::max_events_limit);
  const std::string expected =
      "'limits.max_events' must be an integer from 1 to 17592186044415 (2^44 - 1, the most "
      "events one replication can order), got ";
  EXPECT_EQ(error_of(with("limits: {max_events: 17592186044416}\n")),
            "test.yaml:24:22: error: " + expected + "'17592186044416'");
  EXPECT_EQ(error_of(with("limits: {max_events: 1e20}\n")),
            "test.yaml:24:22: error: " + expected + "'1e20'");
  EXPECT_EQ(error_of(with("limits: {max_events: 0}\n")),
            "test.yaml:24:22: error: 'limits.max_events' must be an integer >= 1, got '0'");
}

// engine.event_set (a telsim extension of SPEC §2): auto by default.
TEST(Values, EngineEventSet) {
  EXPECT_EQ(load(small_scenario).limits.event_set, sim::EventSetMode::automatic);
  EXPECT_EQ(load(with("engine: {event_set: heap}\n")).limits.event_set, sim::EventSetMode::heap);
  EXPECT_EQ(load(with("engine: {event_set: ladder}\n")).limits.event_set,
            sim::EventSetMode::ladder);
  EXPECT_EQ(load(with("engine: {event_set: auto}\n")).limits.event_set,
            sim::EventSetMode::automatic);
  EXPECT_EQ(error_of(with("engine: {event_set: lader}\n")),
            "test.yaml:24:21: error: 'engine.event_set' must be auto, heap or ladder, got "
            "'lader' (did you mean 'ladder'?)");
  EXPECT_EQ(error_of(with("engine: {eventset: heap}\n")),
            "test.yaml:24:10: error: unknown key 'eventset' in 'engine' (did you mean "
            "'event_set'?)");
}

TEST(Values, LargeSeedIsExact) {
  const auto s = load(with("seed: 18446744073709551615\n"));
  EXPECT_EQ(s.seed, 18446744073709551615ull);
}

TEST(Values, WarmupAuto) {
  EXPECT_FALSE(load(with("warmup: auto\n")).warmup.has_value());
  EXPECT_DOUBLE_EQ(*load(with("warmup: 1.5e2\n")).warmup, 150.0);
}

TEST(Values, UnlimitedCounts) {
  std::string text = with("");
  text.replace(text.find("lines: 2"), 8, "lines: unlimited");
  text.replace(text.find("  - name: A\n"), 12,
               "  - name: A\n    completion: {max_per_address: unlimited, modes: [message]}\n");
  const auto s = load(text);
  EXPECT_FALSE(s.network.populations[1].lines.has_value());
  EXPECT_FALSE(s.network.exchanges[0].completion.max_per_address.has_value());
  EXPECT_EQ(s.network.exchanges[0].completion.modes,
            (std::array<bool, 4>{false, false, false, true}));
}

TEST(Values, ProfileAndAnswer) {
  std::string text = small_scenario;
  text.replace(text.find("      poisson: {rate: 0.1}"), 26,
               "      per_idle_source: {rate: 1e-3}\n      profile: [[0, 0.5], [1800, 1], "
               "[3.6e3, 0]]");
  text += "";
  text.replace(text.find("policies:"), 9,
               "    answer: {probability: 0.9, delay: {uniform: {min: 1, max: 9}}, timeout: 30}\n"
               "policies:");
  const auto rel = load(text).network.relations[0];
  EXPECT_EQ(rel.arrivals.kind, models::ArrivalSpec::Kind::per_idle_source);
  EXPECT_DOUBLE_EQ(rel.arrivals.rate, 0.001);
  ASSERT_EQ(rel.arrivals.profile.size(), 3u);
  EXPECT_DOUBLE_EQ(rel.arrivals.profile[2].first, 3600.0);
  EXPECT_DOUBLE_EQ(rel.arrivals.profile[2].second, 0.0);
  EXPECT_DOUBLE_EQ(rel.answer.probability, 0.9);
  EXPECT_DOUBLE_EQ(rel.answer.delay.mean(), 5.0);
  EXPECT_EQ(rel.answer.timeout, std::optional<double>(30.0));
}

TEST(Distributions, EveryKind) {
  EXPECT_EQ(holding_of("{exponential: {mean: 120}}").kind(), Distribution::Kind::exponential);
  const auto d = holding_of("{deterministic: {value: 7}}");
  EXPECT_EQ(d.kind(), Distribution::Kind::deterministic);
  EXPECT_DOUBLE_EQ(d.mean(), 7.0);
  const auto u = holding_of("{uniform: {min: 10, max: 20}}");
  EXPECT_EQ(u.kind(), Distribution::Kind::uniform);
  EXPECT_DOUBLE_EQ(u.mean(), 15.0);
  const auto e = holding_of("{erlang: {k: 3, mean: 90}}");
  EXPECT_EQ(e.kind(), Distribution::Kind::erlang);
  EXPECT_EQ(e.phases(), 3);
  EXPECT_DOUBLE_EQ(e.mean(), 90.0);
  const auto l = holding_of("{lognormal: {mean: 100, sd: 50}}");
  EXPECT_EQ(l.kind(), Distribution::Kind::lognormal);
  EXPECT_DOUBLE_EQ(l.param_b(), 50.0);
  const auto h = holding_of("{hyperexponential: {means: [10, 100], probs: [0.5, 0.5]}}");
  EXPECT_EQ(h.kind(), Distribution::Kind::hyperexponential);
  EXPECT_DOUBLE_EQ(h.mean(), 55.0);
  const auto m = holding_of("{empirical: {values: [60, 120], probs: [0.25, 0.75]}}");
  EXPECT_EQ(m.kind(), Distribution::Kind::empirical);
  EXPECT_DOUBLE_EQ(m.mean(), 105.0);
}

TEST(Distributions, BareNumberIsDeterministic) {
  const auto d = holding_of("1.8e2");
  EXPECT_TRUE(d.is_deterministic());
  EXPECT_DOUBLE_EQ(d.mean(), 180.0);
}

TEST(Distributions, SamplerErrorsAreReportedAtTheParameter) {
  EXPECT_EQ(error_of(with_holding("{uniform: {min: 20, max: 10}}")),
            "test.yaml:21:39: error: relation 'homes-to-shops': 'holding.uniform.max' must be a "
            "finite number >= 'min', got '10'");
  EXPECT_EQ(error_of(with_holding("{hyperexponential: {means: [1, 2], probs: [1]}}")),
            "test.yaml:21:41: error: relation 'homes-to-shops': 'holding.hyperexponential.means' "
            "and 'probs' must have the same length, got a list '[1, 2]'");
}

TEST(Distributions, ShapeErrors) {
  EXPECT_EQ(error_of(with_holding("{exponential: 120}")),
            "test.yaml:21:28: error: relation 'homes-to-shops': 'holding.exponential' takes a map "
            "{mean}, e.g. {exponential: {mean: ...}}, got '120'");
  EXPECT_EQ(error_of(with_holding("{}")),
            "test.yaml:21:14: error: relation 'homes-to-shops': 'holding' must name one "
            "distribution (exponential, deterministic, uniform, erlang, lognormal, "
            "hyperexponential, empirical), got nothing");
  EXPECT_EQ(error_of(with_holding("[1, 2]")),
            "test.yaml:21:14: error: relation 'homes-to-shops': 'holding' must be a distribution "
            "(e.g. {exponential: {mean: 180}}) or a number, got a list '[1, 2]'");
}

TEST(Values, NotNumbers) {
  EXPECT_EQ(error_of(with("seed: 0x10\n")),
            "test.yaml:24:7: error: 'seed' must be an integer >= 0, got '0x10'");
  EXPECT_EQ(error_of(with("warmup: .inf\n")),
            "test.yaml:24:9: error: 'warmup' must be a number of seconds >= 0 or 'auto', got "
            "'.inf'");
  EXPECT_EQ(error_of(with("replications: [1]\n")),
            "test.yaml:24:15: error: 'replications' must be an integer >= 1, got a list '[1]'");
  EXPECT_EQ(error_of(with("replications:\n")),
            "test.yaml:24:1: error: 'replications' must be an integer >= 1, got nothing");
}

TEST(Values, UnicodeTextIsFine) {
  // Comments and strings may use any UTF-8.
  EXPECT_NO_THROW(load(std::string("# Zürich – Genève\n") + small_scenario));
}

TEST(Values, EmptyAndBinaryText) {
  EXPECT_EQ(error_of(""),
            "test.yaml:1:1: error: empty scenario: expected a map with at least telsim, name, "
            "duration, exchanges, subscribers and traffic");
  EXPECT_EQ(error_of(std::string("telsim: 1\0", 10)),
            "test.yaml:1:1: error: not a text file (it holds NUL bytes); a scenario is a YAML "
            "text file");
  EXPECT_EQ(error_of("name: \xc0\xaf\n"),
            "test.yaml:1:1: error: not a text file (line 1 is not valid UTF-8); a scenario is a "
            "YAML text file in UTF-8");
  EXPECT_EQ(error_of("just words\n"),
            "test.yaml:1:1: error: the top level of a scenario must be a map of keys (telsim: 1, "
            "name: ..., ...), got 'just words'");
}

TEST(Values, FileThatCannotBeRead) {
  const auto registry = models::builtin_policy_registry();
  try {
    load_scenario_file("/nonexistent/x.yaml", {}, registry);
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/nonexistent/x.yaml:1:1: error: cannot read the file: No such file or directory");
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.column(), 1);
    EXPECT_EQ(e.file(), "/nonexistent/x.yaml");
  }
}

TEST(Values, ErrorParts) {
  try {
    load(with("seed: -1\n"));
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), "test.yaml");
    EXPECT_EQ(e.line(), 24);
    EXPECT_EQ(e.column(), 7);
    EXPECT_EQ(e.message(), "'seed' must be an integer >= 0, got '-1'");
  }
}

TEST(Values, SameExchangeNeedsNoRoute) {
  std::string text = small_scenario;
  text.replace(text.find("    to: shops"), 13, "    to: homes");
  const auto s = load(text);
  EXPECT_EQ(s.network.relations[0].from, s.network.relations[0].to);
}

TEST(Values, ReverseRouteServesBothWays) {
  std::string text = small_scenario;
  const std::string old = "  - from: homes\n    to: shops";
  text.replace(text.find(old), old.size(), "  - from: shops\n    to: homes");
  EXPECT_NO_THROW(load(text));
}

// Scripted calls (SPEC §2 `arrivals: {at: [...]}`).
std::string with_arrivals(const std::string& arrivals) {
  std::string text = small_scenario;
  const std::string old = "      poisson: {rate: 0.1}";
  text.replace(text.find(old), old.size(), arrivals);
  return text;
}

TEST(ScriptedArrivals, TimesAsListed) {
  const auto a = load(with_arrivals("      at: [0, 120, 120, 3.005e2, +400, 1e12]"))
                     .network.relations[0]
                     .arrivals;
  EXPECT_EQ(a.kind, models::ArrivalSpec::Kind::scripted);
  EXPECT_EQ(a.at, (std::vector<double>{0.0, 120.0, 120.0, 300.5, 400.0, 1e12}));
  EXPECT_TRUE(a.profile.empty());
  EXPECT_DOUBLE_EQ(a.rate, 0.0);
  // Block form, and a single time.
  EXPECT_EQ(
      load(with_arrivals("      at:\n        - 5\n        - 7.5")).network.relations[0].arrivals.at,
      (std::vector<double>{5.0, 7.5}));
  EXPECT_EQ(load(with_arrivals("      at: [60]")).network.relations[0].arrivals.at,
            (std::vector<double>{60.0}));
}

TEST(ScriptedArrivals, OutOfOrderIsAnErrorAtTheFirstSuch) {
  // Not sorted away: a misplaced time is more likely a slip than a wish.
  EXPECT_EQ(error_of(with_arrivals("      at: [5, 5, 4, 3]")),
            "test.yaml:20:18: error: relation 'homes-to-shops': times in 'arrivals.at' must be "
            "non-decreasing (list them in order; equal times are placed in the order listed), got "
            "'4' after '5'");
  EXPECT_EQ(error_of(with_arrivals("      at: [1e3, 999]")),
            "test.yaml:20:17: error: relation 'homes-to-shops': times in 'arrivals.at' must be "
            "non-decreasing (list them in order; equal times are placed in the order listed), got "
            "'999' after '1e3'");
}

TEST(ScriptedArrivals, BadTimes) {
  const std::string prefix =
      "error: relation 'homes-to-shops': times in 'arrivals.at' must be "
      "numbers of seconds from 0 to 1e12, got ";
  EXPECT_EQ(error_of(with_arrivals("      at: [-0.5]")), "test.yaml:20:12: " + prefix + "'-0.5'");
  EXPECT_EQ(error_of(with_arrivals("      at: [1, .nan]")),
            "test.yaml:20:15: " + prefix + "'.nan'");
  EXPECT_EQ(error_of(with_arrivals("      at: [1, inf]")), "test.yaml:20:15: " + prefix + "'inf'");
  EXPECT_EQ(error_of(with_arrivals("      at: [2e12]")), "test.yaml:20:12: " + prefix + "'2e12'");
  EXPECT_EQ(error_of(with_arrivals("      at: [[1, 2]]")),
            "test.yaml:20:12: " + prefix + "a list '[1, 2]'");
}

TEST(ScriptedArrivals, NotAList) {
  const std::string message =
      "error: relation 'homes-to-shops': 'arrivals.at' must be a "
      "non-empty list of times in seconds, e.g. at: [120, 300.5], got ";
  EXPECT_EQ(error_of(with_arrivals("      at: []")), "test.yaml:20:11: " + message + "a list '[]'");
  EXPECT_EQ(error_of(with_arrivals("      at:")), "test.yaml:20:7: " + message + "nothing");
  EXPECT_EQ(error_of(with_arrivals("      at: {t: 1}")),
            "test.yaml:20:11: " + message + "a map '{t: 1}'");
}

TEST(ScriptedArrivals, NoProfileAndOneKind) {
  // The profile is refused at its own key, before or after `at`.
  const std::string profile =
      "error: relation 'homes-to-shops': 'arrivals.profile' does not go with 'at': scripted "
      "calls come at the listed times, with no rate to vary (remove 'profile')";
  EXPECT_EQ(error_of(with_arrivals("      at: [1]\n      profile: [[0, 2]]")),
            "test.yaml:21:7: " + profile);
  EXPECT_EQ(error_of(with_arrivals("      profile: [[0, 2]]\n      at: [1]")),
            "test.yaml:20:7: " + profile);
  EXPECT_EQ(error_of(with_arrivals("      per_idle_source: {rate: 1}\n      at: [1]")),
            "test.yaml:21:7: error: relation 'homes-to-shops': 'arrivals' takes one of 'poisson', "
            "'per_idle_source' and 'at', not both 'per_idle_source' and 'at'");
  EXPECT_EQ(error_of(with_arrivals("      t: [1]")),
            "test.yaml:20:7: error: unknown key 't' in 'arrivals' of relation 'homes-to-shops' "
            "(did you mean 'at'?)");
}

// A population's own completion block (SPEC §3 "Capabilities per address").
std::string with_shops(const std::string& extra) {
  std::string text = small_scenario;
  const std::string old = "lines: 2}";
  text.replace(text.find(old), old.size(), "lines: 2, " + extra + "}");
  return text;
}

TEST(PopulationCompletion, OnlyTheKeysGiven) {
  const auto s = load(with_shops("completion: {modes: [message, campon], max_per_address: 2}"));
  const auto& own = s.network.populations[1].completion;
  EXPECT_EQ(own.modes, (std::array<bool, 4>{true, false, false, true}));
  EXPECT_TRUE(own.has_max_per_address);
  EXPECT_EQ(own.max_per_address, std::optional<std::uint32_t>(2));
  // Nothing given elsewhere, and the exchange keeps its own values.
  const auto& other = s.network.populations[0].completion;
  EXPECT_FALSE(other.modes.has_value());
  EXPECT_FALSE(other.has_max_per_address);
  EXPECT_EQ(s.network.exchanges[1].completion.max_per_address, std::optional<std::uint32_t>(8));
  EXPECT_EQ(s.network.exchanges[1].completion.modes, (std::array<bool, 4>{true, true, true, true}));
}

TEST(PopulationCompletion, EachKeyAlone) {
  auto own = load(with_shops("completion: {max_per_address: unlimited}"))
                 .network.populations[1]
                 .completion;
  EXPECT_FALSE(own.modes.has_value());
  EXPECT_TRUE(own.has_max_per_address);
  EXPECT_FALSE(own.max_per_address.has_value());
  own = load(with_shops("completion: {modes: []}")).network.populations[1].completion;
  EXPECT_EQ(own.modes, (std::array<bool, 4>{false, false, false, false}));
  EXPECT_FALSE(own.has_max_per_address);
  own = load(with_shops("completion: {}")).network.populations[1].completion;
  EXPECT_FALSE(own.modes.has_value());
  EXPECT_FALSE(own.has_max_per_address);
}

TEST(PopulationCompletion, CheckedAsAnExchangesBlock) {
  EXPECT_EQ(error_of(with_shops("completion: {max_per_address: 0}")),
            "test.yaml:9:83: error: population 'shops': 'completion.max_per_address' must be an "
            "integer >= 1 or 'unlimited', got '0'");
  EXPECT_EQ(error_of(with_shops("completion: {modes: [campon, campon]}")),
            "test.yaml:9:82: error: population 'shops': mode 'campon' is listed twice in "
            "'completion.modes'");
  EXPECT_EQ(error_of(with_shops("completion: [campon]")),
            "test.yaml:9:65: error: population 'shops': 'completion' must be a map of keys, got a "
            "list '[campon]'");
  EXPECT_EQ(error_of(with_shops("completion: {modes: [campon], modes: [message]}")),
            "test.yaml:9:83: error: duplicate key 'modes' in 'completion' of population 'shops' "
            "(first at line 9; give it once)");
}

TEST(PopulationCompletion, MessagesAndBridgesStayPerExchange) {
  EXPECT_EQ(error_of(with_shops("completion: {bridges: 1, max_per_adress: 2}")),
            "test.yaml:9:66: error: population 'shops': 'completion.bridges' cannot be given per "
            "population: the conference bridges stay per exchange; set it in the 'completion' of "
            "exchange 'B'");
  EXPECT_EQ(error_of(with_shops("completion: {mesages: 1}")),
            "test.yaml:9:66: error: unknown key 'mesages' in 'completion' of population 'shops' "
            "(expected one of: modes, max_per_address)");
}

}  // namespace
}  // namespace telsim::scenarios
