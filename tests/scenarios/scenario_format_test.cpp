// The format's one declaration (telsim/scenarios/scenario_format.hpp) against what the
// loader does: every map the loader reads rejects a key the declaration does not list,
// the declared defaults are the ones the loader fills in, and the reference page in
// docs/ is the one the program prints.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
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

TEST(ScenarioFormat, EveryMapOfTheLibraryRejectsAKeyTheDeclarationDoesNotList) {
  const auto registry = models::builtin_policy_registry();
  std::size_t maps_checked = 0;
  for (const auto& file : small_library_files()) {
    if (file.filename() == "redial-then-callback.yaml") continue;  // needs its plug-in
    const std::string text = read_file(file);
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
  EXPECT_GT(maps_checked, 300u);
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
