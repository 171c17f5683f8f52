// The resolved scenario (SPEC §5 `scenario`): SPEC §2 key order, defaults
// filled in, names instead of indices, distributions in map form, no paths.
#include <sstream>

#include <gtest/gtest.h>

#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using json = nlohmann::ordered_json;
using testing::small_scenario;
using testing::with;

json resolve(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const auto registry = models::builtin_policy_registry();
  return resolved_scenario_json(load_scenario_text(text, "t.yaml", overrides, registry), registry);
}

std::vector<std::string> keys(const json& object) {
  std::vector<std::string> out;
  for (const auto& [k, v] : object.items()) out.push_back(k);
  return out;
}

TEST(ResolvedJson, TopLevelKeysInSpecOrder) {
  const auto j = resolve(small_scenario);
  EXPECT_EQ(keys(j), (std::vector<std::string>{"telsim", "name", "seed", "replications", "warmup",
                                               "duration", "limits", "engine", "exchanges",
                                               "subscribers", "trunk_groups", "routes", "traffic",
                                               "policies", "plugins", "expect"}));
  const auto p = resolve(with("precision: {metric: trunk_groups.AB.call_blocking}\n"));
  EXPECT_EQ(keys(p)[6], "precision");
  EXPECT_EQ(p["precision"].dump(),
            R"({"metric":"trunk_groups.AB.call_blocking","relative":0.05,"max_replications":200})");
}

TEST(ResolvedJson, StreamedPieceByPieceInTheLayoutOfTheWholeTree) {
  // `telsim run` streams the resolved scenario into the results file; the
  // text must be what dumping the whole document gives (a policy with
  // parameters, empty lists, nested via arrays).
  const auto registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(small_scenario, "t.yaml", {}, registry);
  std::ostringstream text;
  analysis::JsonWriter writer(text);
  write_resolved_scenario(s, registry, writer);
  EXPECT_EQ(text.str(), json::parse(text.str()).dump(2));
  EXPECT_EQ(text.str(), resolved_scenario_json(s, registry).dump(2));
  ASSERT_FALSE(s.network.policies.empty());
  ASSERT_FALSE(s.network.routes.empty());
}

TEST(ResolvedJson, DefaultsAreFilled) {
  const auto j = resolve(small_scenario);
  EXPECT_EQ(j["seed"], 1);
  EXPECT_EQ(j["replications"], 10);
  EXPECT_EQ(j["warmup"], 0.0);
  EXPECT_EQ(j["limits"].dump(),
            R"({"max_events":10000000000,"max_pending":100000000,"max_memory":"auto"})");
  EXPECT_EQ(j["engine"].dump(), R"({"event_set":"auto"})");
  EXPECT_EQ(j["exchanges"][0].dump(),
            R"({"name":"A","completion":{"modes":["campon","callback","intrude","message"],)"
            R"("max_per_address":8,"messages":4,"bridges":0}})");
  EXPECT_EQ(j["subscribers"][1].dump(), R"({"name":"shops","exchange":"B","count":10,"lines":2})");
  EXPECT_EQ(j["trunk_groups"][0].dump(),
            R"({"name":"AB","between":["A","B"],"circuits":10,"reserve":0})");
  EXPECT_EQ(j["routes"][0].dump(),
            R"({"from":"A","to":"B","via":[["AB"]],"strategy":"sequential"})");
  EXPECT_EQ(j["traffic"][0].dump(),
            R"({"name":"homes-to-shops","from":"homes","to":"shops",)"
            R"("arrivals":{"poisson":{"rate":0.1},"profile":[]},)"
            R"("holding":{"exponential":{"mean":120.0}},"bandwidth":1,)"
            R"("answer":{"probability":1.0,"delay":{"deterministic":{"value":0.0}}},)"
            R"("completion":"none"})");
  EXPECT_EQ(j["policies"].dump(),
            R"({"retry":{"type":"redial","delay":{"exponential":{"mean":60.0}},)"
            R"("persistence":1.0,"max_attempts":"unlimited",)"
            R"("when":["congestion","busy","no_answer"],"fallback":"none"}})");
  EXPECT_EQ(j["plugins"], json::array());
  EXPECT_EQ(j["expect"], json::array());
}

TEST(ResolvedJson, SpecialValues) {
  std::string text = with(
      "warmup: auto\nplugins: [plugins/libcamp.so, ../x/libmsg.so, bare]\n"
      "expect: [{metric: traffic.homes-to-shops.calls, min: 1}]\n");
  text.replace(text.find("lines: 2"), 8, "lines: unlimited");
  const auto j = resolve(text, {"traffic.homes-to-shops.answer={timeout: 30}",
                                "traffic.homes-to-shops.completion=retry",
                                "policies.retry={type: redial, fallback: none, max_attempts: 3}"});
  EXPECT_EQ(j["warmup"], "auto");
  EXPECT_EQ(j["subscribers"][1]["lines"], "unlimited");
  // No file paths in results: plug-ins by file name only.
  EXPECT_EQ(j["plugins"], json::array({"libcamp.so", "libmsg.so", "bare"}));
  EXPECT_EQ(j["expect"].dump(),
            R"([{"metric":"traffic.homes-to-shops.calls","min":1.0,"bound":"mean"}])");
  EXPECT_EQ(j["traffic"][0]["answer"]["timeout"], 30.0);
  EXPECT_EQ(j["traffic"][0]["completion"], "retry");
  EXPECT_EQ(j["policies"]["retry"]["max_attempts"], 3);
}

TEST(ResolvedJson, DistributionsInMapForm) {
  std::string text = small_scenario;
  const std::string old = "{exponential: {mean: 120}}";
  auto holding = [&](const std::string& d) {
    std::string t = text;
    t.replace(t.find(old), old.size(), d);
    return resolve(t)["traffic"][0]["holding"].dump();
  };
  EXPECT_EQ(holding("30"), R"({"deterministic":{"value":30.0}})");
  EXPECT_EQ(holding("{uniform: {min: 1, max: 2}}"), R"({"uniform":{"min":1.0,"max":2.0}})");
  EXPECT_EQ(holding("{erlang: {k: 2, mean: 8}}"), R"({"erlang":{"k":2,"mean":8.0}})");
  EXPECT_EQ(holding("{lognormal: {mean: 8, sd: 2}}"), R"({"lognormal":{"mean":8.0,"sd":2.0}})");
  EXPECT_EQ(holding("{hyperexponential: {means: [1, 9], probs: [0.5, 0.5]}}"),
            R"({"hyperexponential":{"means":[1.0,9.0],"probs":[0.5,0.5]}})");
  EXPECT_EQ(holding("{empirical: {values: [1, 9], probs: [0.5, 0.5]}}"),
            R"({"empirical":{"values":[1.0,9.0],"probs":[0.5,0.5]}})");
}

TEST(ResolvedJson, ExchangeCompletionAsWritten) {
  std::string text = small_scenario;
  text.replace(text.find("  - name: A\n"), 12,
               "  - name: A\n    completion: {modes: [message, campon], max_per_address: "
               "unlimited, messages: 2, bridges: 3}\n");
  EXPECT_EQ(resolve(text)["exchanges"][0]["completion"].dump(),
            R"({"modes":["campon","message"],"max_per_address":"unlimited","messages":2,)"
            R"("bridges":3})");
}

TEST(ResolvedJson, ScriptedArrivalsWithoutProfile) {
  std::string text = small_scenario;
  const std::string old = "      poisson: {rate: 0.1}";
  text.replace(text.find(old), old.size(), "      at: [10, 1.5e2, 150]");
  const auto j = resolve(text);
  // No profile key: one may not go with `at`, and the resolved scenario loads back.
  EXPECT_EQ(j["traffic"][0]["arrivals"].dump(), R"({"at":[10.0,150.0,150.0]})");
  EXPECT_EQ(resolve(j.dump())["traffic"][0]["arrivals"], j["traffic"][0]["arrivals"]);
}

TEST(ResolvedJson, PopulationCompletionOnlyAsGiven) {
  std::string text = small_scenario;
  const std::string old = "lines: 2}";
  text.replace(text.find(old), old.size(),
               "lines: 2, completion: {max_per_address: unlimited, modes: [message, campon]}}");
  const auto j = resolve(text);
  // Keys in SPEC order, the modes in SPEC order; a population without a block
  // has none (its capabilities are its exchange's, shown there).
  EXPECT_EQ(j["subscribers"][1].dump(),
            R"({"name":"shops","exchange":"B","count":10,"lines":2,)"
            R"("completion":{"modes":["campon","message"],"max_per_address":"unlimited"}})");
  EXPECT_EQ(j["subscribers"][0].dump(), R"({"name":"homes","exchange":"A","count":100,"lines":1})");
  text = small_scenario;
  text.replace(text.find(old), old.size(), "lines: 2, completion: {max_per_address: 3}}");
  EXPECT_EQ(resolve(text)["subscribers"][1]["completion"].dump(), R"({"max_per_address":3})");
  text = small_scenario;
  text.replace(text.find(old), old.size(), "lines: 2, completion: {modes: []}}");
  EXPECT_EQ(resolve(text)["subscribers"][1]["completion"].dump(), R"({"modes":[]})");
}

}  // namespace
}  // namespace telsim::scenarios
