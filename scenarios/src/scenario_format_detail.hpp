#pragma once
// What the schema and the reference printers share (scenario_schema.cpp,
// scenario_reference.cpp).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "telsim/scenarios/scenario_format.hpp"

namespace telsim::scenarios::detail {

/// A random duration: a bare number (deterministic) or one distribution kind.
inline constexpr std::string_view distribution_value_schema =
    R"({"anyOf": [{"type": "number", "minimum": 0, "maximum": 1e12},
                  {"$ref": "#/$defs/distribution"}]})";

/// A name (of an exchange, population, group, relation, policy). A name is text; a plain
/// 2024 or true is a number or a boolean to YAML 1.2 (and so to the schema) but a name to
/// telsim, which reads it as written: the schema lets those through.
inline constexpr std::string_view name_value_schema =
    R"({"anyOf": [{"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
                  {"type": ["number", "boolean"]}],
        "description": "A name: letters, digits, _ and -."})";

/// "Meaning. Range: ... Default: ... Required. Example: ..." for a schema description.
std::string key_description(const KeyDeclaration& key);

/// `text` ending in a full stop (one added when it has none).
std::string sentence(std::string_view text);

/// "a, b, c" from a JSON array of strings.
std::string join_names(const nlohmann::ordered_json& names);

}  // namespace telsim::scenarios::detail
