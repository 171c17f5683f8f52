// The format's one declaration (telsim/scenarios/scenario_format.hpp) against what the
// loader does: every map the loader reads rejects a key the declaration does not list,
// the declared defaults are the ones the loader fills in, and the reference page in
// docs/ is the one the program prints.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "loader_test_util.hpp"
#include "telsim/scenarios/scenario_format.hpp"

namespace telsim::scenarios {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::load;
using Json = nlohmann::ordered_json;

const fs::path library = TELSIM_SCENARIO_DIR;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Every map node of `node`, depth first.
void collect_maps(YAML::Node node, std::vector<YAML::Node>& maps) {
  if (node.IsMap()) {
    maps.push_back(node);
    for (auto it = node.begin(); it != node.end(); ++it) collect_maps(it->second, maps);
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) collect_maps(*it, maps);
  }
}

/// The bundled scenarios small enough to load hundreds of times (not the national one).
std::vector<fs::path> small_library_files() {
  std::vector<fs::path> files;
  for (const auto& folder : {library, library / "validation"}) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.path().extension() == ".yaml" && fs::file_size(entry.path()) < 20000) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// The objects the library's scenarios never use, in one scenario: precision, limits,
/// engine, scripted and per-idle-source arrivals, every distribution kind, a per-cause
/// expiry, both completion blocks.
const char* const every_object = R"(telsim: 1
name: every-object
duration: 3600
precision: {metric: trunk_groups.AB.call_blocking, relative: 0.1, max_replications: 20}
limits: {max_events: 1e9, max_pending: 1e6, max_memory: 8e9}
engine: {event_set: heap}
exchanges:
  - {name: A, completion: {modes: [campon, callback], max_per_address: 3, messages: 2, bridges: 1}}
  - name: B
subscribers:
  - {name: homes, exchange: A, count: 100, lines: 1, completion: {modes: [callback], max_per_address: 2}}
  - {name: shops, exchange: B, count: 10, lines: 2}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 10, reserve: 1}
routes:
  - {from: A, to: B, via: [[AB]], strategy: sequential}
traffic:
  - {name: scripted, from: homes, to: shops, arrivals: {at: [10, 20]},
     holding: {hyperexponential: {means: [60, 600], probs: [0.9, 0.1]}}}
  - {name: engset, from: homes, to: shops, arrivals: {per_idle_source: {rate: 0.001}, profile: [[0, 1]]},
     holding: {empirical: {values: [30, 60], probs: [0.5, 0.5]}},
     answer: {probability: 0.9, delay: {lognormal: {mean: 5, sd: 2}}, timeout: 30}, completion: cb}
  - {name: more, from: homes, to: shops, arrivals: {poisson: {erlangs: 2}},
     holding: {erlang: {k: 2, mean: 100}},
     answer: {delay: {uniform: {min: 1, max: 3}}}}
  - {name: fixed, from: homes, to: shops, arrivals: {poisson: {rate: 0.01}},
     holding: {deterministic: {value: 90}}}
policies:
  cb: {type: callback, expiry: {busy: 100, no_answer: 200}, when: [busy], fallback: none}
expect:
  - {metric: trunk_groups.AB.call_blocking, max: 0.5, bound: mean}
)";

TEST(ScenarioFormat, EveryMapOfTheLibraryRejectsAKeyTheDeclarationDoesNotList) {
  const auto registry = models::builtin_policy_registry();
  std::size_t maps_checked = 0;
  std::vector<std::pair<std::string, std::string>> scenarios{{"every_object", every_object}};
  for (const auto& file : small_library_files()) {
    if (file.filename() == "redial-then-callback.yaml") continue;  // needs its plug-in
    scenarios.emplace_back(file.string(), read_file(file));
  }
  for (const auto& [file, text] : scenarios) {
    ASSERT_EQ(error_of(text, {}, registry), "") << file;
    std::vector<YAML::Node> maps;
    YAML::Node doc = YAML::Load(text);
    collect_maps(doc, maps);
    for (std::size_t i = 0; i < maps.size(); ++i) {
      YAML::Node copy = YAML::Load(text);  // a fresh tree: the i-th map of the same walk
      std::vector<YAML::Node> copy_maps;
      collect_maps(copy, copy_maps);
      copy_maps[i]["undeclared_key"] = 1;
      YAML::Emitter out;
      out << copy;
      const std::string error = error_of(out.c_str(), {}, registry);
      EXPECT_NE(error.find("undeclared_key"), std::string::npos)
          << file << ": map " << i << " accepted an undeclared key: " << error;
      ++maps_checked;
    }
  }
  EXPECT_GT(maps_checked, 340u);
}

/// Where a declared object sits in every_object, as --set addresses it.
const std::vector<std::pair<std::string, std::string>>& set_places() {
  static const std::vector<std::pair<std::string, std::string>> places = {
      {"scenario", ""},
      {"precision", "precision."},
      {"limits", "limits."},
      {"exchange_completion", "exchanges.A.completion."},
      {"population", "subscribers.shops."},
      {"trunk_group", "trunk_groups.AB."},
      {"relation", "traffic.fixed."},
      {"poisson", "traffic.fixed.arrivals.poisson."},
      {"per_idle_source", "traffic.engset.arrivals.per_idle_source."},
      {"answer", "traffic.engset.answer."},
      {"distribution_deterministic", "traffic.fixed.holding.deterministic."},
      {"distribution_erlang", "traffic.more.holding.erlang."},
      {"distribution_lognormal", "traffic.engset.answer.delay.lognormal."},
  };
  return places;
}

std::string number_text(double x) {
  return fmt::format("{}", x);
}

TEST(ScenarioFormat, DeclaredRangesAreTheLoadersOwn) {
  // For every plain numeric key of these objects: the schema's bounds are accepted and a
  // value just beyond each is refused, naming the key. Keys whose bounds depend on another
  // key (reserve < circuits, max_replications >= replications) are left to their own tests.
  const std::set<std::string> cross = {"reserve", "circuits", "telsim",
                                       "count",   "erlangs",  "max_replications"};
  std::size_t bounds_checked = 0;
  for (const auto& [id, prefix] : set_places()) {
    for (const auto& key : scenario_object(id).keys) {
      const std::string name(key.name);
      if (cross.count(name)) continue;
      const Json schema = Json::parse(key.schema);
      if (!schema.contains("type") || (schema["type"] != "integer" && schema["type"] != "number")) {
        continue;
      }
      const bool integer = schema["type"] == "integer";
      const std::string path = prefix + name;
      auto check = [&](double value, bool accepted) {
        const std::string error = error_of(every_object, {path + "=" + number_text(value)});
        if (accepted) {
          EXPECT_EQ(error, "") << path << "=" << value << " is within the declared range";
        } else {
          EXPECT_NE(error.find(name), std::string::npos)
              << path << "=" << value << " is outside the declared range, but: " << error;
        }
        ++bounds_checked;
      };
      if (schema.contains("minimum")) {
        const double min = schema["minimum"].get<double>();
        check(min, true);
        check(integer ? min - 1 : min - 0.5, false);
      }
      if (schema.contains("exclusiveMinimum"))
        check(schema["exclusiveMinimum"].get<double>(), false);
      if (schema.contains("maximum") && schema["maximum"].get<double>() < 1e15) {
        const double max = schema["maximum"].get<double>();
        check(integer ? max + 1 : max * 1.5, false);
      }
    }
  }
  EXPECT_GE(bounds_checked, 30u);
}

TEST(ScenarioFormat, AQuotedNumberIsTextAsTheSchemaReadsIt) {
  // duration: "3600" is a string to YAML and to the schema: the loader refuses it too.
  std::string text = testing::small_scenario;
  text.replace(text.find("duration: 3600"), 14, "duration: \"3600\"");
  const std::string error = error_of(text);
  EXPECT_NE(error.find("'duration'"), std::string::npos) << error;
  EXPECT_NE(error.find("in quotes (text, not a number)"), std::string::npos) << error;
  // A name may be a plain number: it is read as written.
  std::string named = testing::small_scenario;
  named.replace(named.find("name: AB"), 8, "name: 12");
  named.replace(named.find("via: [[AB]]"), 11, "via: [[12]]");
  EXPECT_EQ(error_of(named), "");
}

/// The declared default as JSON, where the resolved scenario states it: a number, a word,
/// or a list of words. nullopt for defaults that are descriptions ("the exchange's").
std::optional<Json> comparable_default(const KeyDeclaration& key) {
  std::string text(key.default_text);
  if (text.empty()) return std::nullopt;
  if (const auto number = Json::parse(text, nullptr, false); !number.is_discarded()) {
    if (number.is_number()) return number;
  }
  static const std::regex word("^[a-z_]+$");
  static const std::regex word_list(R"(^\[([a-z_]+)(, [a-z_]+)*\]$)");
  if (std::regex_match(text, word)) return Json(text);
  if (std::regex_match(text, word_list)) {
    Json list = Json::array();
    static const std::regex item("[a-z_]+");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), item);
         it != std::sregex_iterator(); ++it) {
      list.push_back(it->str());
    }
    return list;
  }
  return std::nullopt;
}

/// Whether the scenario's text gives `key` in the object at `pointer` ("/traffic/0").
bool given_in_source(const YAML::Node& root, const std::string& pointer, const std::string& key) {
  YAML::Node at = YAML::Clone(root);
  std::stringstream parts(pointer);
  std::string part;
  while (std::getline(parts, part, '/')) {
    if (part.empty()) continue;
    if (!at.IsDefined() || at.IsNull()) return false;
    if (at.IsSequence()) {
      at = at[std::stoul(part)];
    } else {
      at = at[part];
    }
  }
  return at.IsMap() && at[key].IsDefined();
}

TEST(ScenarioFormat, DeclaredDefaultsAreTheOnesTheLoaderFillsIn) {
  const std::string text = std::string(testing::small_scenario) + R"(expect:
  - {metric: trunk_groups.AB.call_blocking, max: 0.5}
precision: {metric: trunk_groups.AB.call_blocking}
)";
  const auto registry = models::builtin_policy_registry();
  const Json resolved = resolved_scenario_json(load(text), registry);
  const YAML::Node source = YAML::Load(text);
  // Where each object sits in the resolved small scenario.
  const std::vector<std::pair<std::string, std::string>> places = {
      {"scenario", ""},
      {"precision", "/precision"},
      {"limits", "/limits"},
      {"engine", "/engine"},
      {"exchange", "/exchanges/0"},
      {"exchange_completion", "/exchanges/0/completion"},
      {"population", "/subscribers/0"},
      {"trunk_group", "/trunk_groups/0"},
      {"route", "/routes/0"},
      {"relation", "/traffic/0"},
      {"arrivals", "/traffic/0/arrivals"},
      {"answer", "/traffic/0/answer"},
      {"expect", "/expect/0"},
  };
  std::size_t compared = 0;
  for (const auto& [id, pointer] : places) {
    const Json& object = resolved.at(Json::json_pointer(pointer));
    for (const auto& key : scenario_object(id).keys) {
      const std::string name(key.name);
      if (key.required || given_in_source(source, pointer, name)) continue;
      if (key.default_text == "none") {
        // Absent, or stated as none / an empty list.
        if (object.contains(name)) {
          const Json& v = object.at(name);
          EXPECT_TRUE(v == "none" || (v.is_array() && v.empty()) || v.is_null())
              << id << "." << name << " defaults to none but resolves to " << v.dump();
        }
        ++compared;
        continue;
      }
      const auto expected = comparable_default(key);
      if (!expected) continue;
      ASSERT_TRUE(object.contains(name)) << id << "." << name << " is not in the resolved scenario";
      const Json& actual = object.at(name);
      if (expected->is_number()) {
        // A distribution's bare number default resolves to {deterministic: {value: x}}.
        const Json& number = actual.is_object() ? actual.at("deterministic").at("value") : actual;
        EXPECT_DOUBLE_EQ(number.get<double>(), expected->get<double>()) << id << "." << name;
      } else {
        EXPECT_EQ(actual, *expected) << id << "." << name;
      }
      ++compared;
    }
  }
  EXPECT_GE(compared, 20u);
}

TEST(ScenarioFormat, EveryPolicyTypeParameterIsDeclaredWithHelpAndDefault) {
  const auto registry = models::builtin_policy_registry();
  for (const auto& type : registry.types()) {
    for (const auto& decl : type.params) {
      EXPECT_FALSE(decl.help.empty()) << type.name << "." << decl.name;
      EXPECT_FALSE(decl.default_text.empty()) << type.name << "." << decl.name;
    }
  }
}

TEST(ScenarioFormat, TheSchemaClosesEveryObjectAndDescribesEveryKey) {
  const Json schema = scenario_json_schema(models::builtin_policy_registry());
  EXPECT_EQ(schema.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema.at("additionalProperties"), false);
  for (const auto& key : scenario_object("scenario").keys) {
    EXPECT_TRUE(schema.at("properties").contains(std::string(key.name))) << key.name;
  }
  for (const auto& object : scenario_objects()) {
    if (object.id == "scenario") continue;
    const Json& def = schema.at("$defs").at(std::string(object.id));
    if (object.id == "policy") {
      EXPECT_EQ(def.at("unevaluatedProperties"), false);
    } else {
      EXPECT_EQ(def.at("additionalProperties"), false) << object.id;
    }
    for (const auto& [name, property] : def.at("properties").items()) {
      EXPECT_FALSE(property.at("description").get<std::string>().empty())
          << object.id << "." << name;
    }
  }
}

TEST(ScenarioFormat, TheReferencePageInDocsIsTheOneTheProgramPrints) {
  const fs::path page = library / ".." / ".." / "docs" / "reference" / "scenario-format.md";
  ASSERT_TRUE(fs::exists(page)) << page;
  EXPECT_EQ(read_file(page), scenario_reference_markdown(models::builtin_policy_registry()))
      << "docs/reference/scenario-format.md is stale: regenerate it with "
         "`telsim schema --markdown > docs/reference/scenario-format.md`";
}

TEST(ScenarioFormat, AnUndeclaredObjectIsAProgrammingError) {
  EXPECT_THROW(scenario_object("no_such_object"), std::out_of_range);
}

}  // namespace
}  // namespace telsim::scenarios
