// `telsim schema`: the scenario format's declaration (scenario_keys.cpp) as a JSON
// Schema, draft 2020-12. Each declared object becomes a closed object in $defs; a
// policy instance takes its type's parameters through one if/then branch per
// registered type, closed by unevaluatedProperties, so that a misspelt parameter of a
// known type is caught while a plug-in type that is not loaded stays open.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "scenario_format_detail.hpp"
#include "telsim/scenarios/scenario_format.hpp"

namespace telsim::scenarios {
namespace {

using Json = nlohmann::ordered_json;

Json parse_fragment(std::string_view text) {
  return Json::parse(text.begin(), text.end());
}

/// The declared default as a JSON value, where it is one: a number, or a word the
/// key's schema names (`auto`, `sequential`, ...). Other defaults ("none", "the
/// exchange's") stay in the description only.
std::optional<Json> default_value(const KeyDeclaration& key) {
  const std::string text(key.default_text);
  if (text.empty()) return std::nullopt;
  try {
    const Json value = Json::parse(text);
    if (value.is_number()) return value;
  } catch (const Json::parse_error&) {
  }
  const bool word = std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '-';
  });
  if (word && key.schema.find("\"" + text + "\"") != std::string_view::npos) return Json(text);
  return std::nullopt;
}

Json key_schema(const KeyDeclaration& key) {
  Json schema = parse_fragment(key.schema);
  schema["description"] = detail::key_description(key);
  if (const auto d = default_value(key)) schema["default"] = *d;
  return schema;
}

Json object_schema(const ObjectDeclaration& object) {
  Json schema = {{"type", "object"}, {"description", std::string(object.about)}};
  Json properties = Json::object();
  Json required = Json::array();
  for (const auto& key : object.keys) {
    properties[std::string(key.name)] = key_schema(key);
    if (key.required) required.push_back(std::string(key.name));
  }
  schema["properties"] = std::move(properties);
  if (!required.empty()) schema["required"] = std::move(required);
  schema["additionalProperties"] = false;
  if (!object.constraints.empty()) {
    const Json constraints = parse_fragment(object.constraints);
    for (const auto& [keyword, value] : constraints.items()) schema[keyword] = value;
  }
  return schema;
}

Json param_schema(const models::ParamDecl& decl) {
  Json schema;
  const auto with_unlimited = [&](Json base) {
    if (!decl.allow_unlimited) return base;
    return Json{{"anyOf", Json::array({std::move(base), Json{{"const", "unlimited"}}})}};
  };
  switch (decl.kind) {
    case models::ParamKind::number:
      schema = {{"type", "number"}, {"minimum", decl.min}};
      if (decl.max < 1e300) schema["maximum"] = decl.max;
      break;
    case models::ParamKind::count: {
      Json count = {{"type", "integer"}, {"minimum", decl.min}};
      if (decl.max < 1e300) count["maximum"] = decl.max;
      schema = with_unlimited(std::move(count));
      break;
    }
    case models::ParamKind::distribution:
      schema = with_unlimited(parse_fragment(detail::distribution_value_schema));
      break;
    case models::ParamKind::answer:
      schema = {{"$ref", "#/$defs/answer"}};
      break;
    case models::ParamKind::expiry:
      schema = parse_fragment(R"({"anyOf": [
          {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12},
          {"type": "object", "additionalProperties": false,
           "properties": {
             "congestion": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12},
             "busy": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12},
             "no_answer": {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12}}}]})");
      break;
  }
  schema["description"] = detail::sentence(decl.help) +
                          (decl.default_text.empty() ? "" : " Default: " + decl.default_text + ".");
  return schema;
}

/// The policy object: the keys every policy has, then one branch per type.
Json policy_schema(const models::PolicyRegistry& registry) {
  Json schema = object_schema(scenario_object("policy"));
  schema.erase("additionalProperties");
  Json known = Json::array();
  Json branches = Json::array();
  for (const auto& type : registry.types()) {
    known.push_back(type.name);
    Json presets = Json::array();
    for (const auto& p : registry.presets()) {
      if (p.type == type.name) presets.push_back(p.name);
    }
    Json is_type = {{"required", {"type"}}, {"properties", {{"type", {{"const", type.name}}}}}};
    Json condition = is_type;
    if (!presets.empty()) {
      Json by_preset = {{"not", {{"required", {"type"}}}},
                        {"required", {"preset"}},
                        {"properties", {{"preset", {{"enum", presets}}}}}};
      condition = {{"anyOf", Json::array({is_type, by_preset})}};
    }
    Json params = Json::object();
    for (const auto& decl : type.params) params[decl.name] = param_schema(decl);
    branches.push_back({{"if", condition}, {"then", {{"properties", params}}}});
  }
  Json presets = Json::array();
  for (const auto& p : registry.presets()) presets.push_back(p.name);
  schema["properties"]["type"]["description"] =
      schema["properties"]["type"]["description"].get<std::string>() +
      " Known here: " + detail::join_names(known) + ".";
  schema["properties"]["preset"]["enum"] = presets;
  // A type this registry does not know (a plug-in not loaded): its parameters stay open.
  branches.push_back(
      {{"if", {{"required", {"type"}}, {"properties", {{"type", {{"not", {{"enum", known}}}}}}}}},
       {"then", {{"additionalProperties", true}}}});
  schema["allOf"] = std::move(branches);
  schema["unevaluatedProperties"] = false;
  return schema;
}

}  // namespace

namespace detail {

std::string key_description(const KeyDeclaration& key) {
  std::string text(key.meaning);
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  text += ".";
  if (!key.range.empty()) text += " Range: " + std::string(key.range) + ".";
  if (!key.default_text.empty()) text += " Default: " + std::string(key.default_text) + ".";
  if (key.required) text += " Required.";
  if (!key.example.empty()) text += " Example: " + std::string(key.example) + ".";
  return text;
}

std::string sentence(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?') out += '.';
  return out;
}

std::string join_names(const nlohmann::ordered_json& names) {
  std::string text;
  for (const auto& n : names) {
    if (!text.empty()) text += ", ";
    text += n.get<std::string>();
  }
  return text;
}

}  // namespace detail

nlohmann::ordered_json scenario_json_schema(const models::PolicyRegistry& registry) {
  const auto& objects = scenario_objects();
  Json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                 {"title", "telsim scenario (format version 1)"}};
  Json root = object_schema(objects.front());
  for (auto& [keyword, value] : root.items()) schema[keyword] = value;
  Json defs = Json::object();
  defs["name"] = parse_fragment(detail::name_value_schema);
  for (std::size_t i = 1; i < objects.size(); ++i) {
    defs[std::string(objects[i].id)] =
        objects[i].id == "policy" ? policy_schema(registry) : object_schema(objects[i]);
  }
  schema["$defs"] = std::move(defs);
  return schema;
}

}  // namespace telsim::scenarios
