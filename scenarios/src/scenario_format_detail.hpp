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

/// "Meaning. Range: ... Default: ... Required. Example: ..." for a schema description.
std::string key_description(const KeyDeclaration& key);

/// "a, b, c" from a JSON array of strings.
std::string join_names(const nlohmann::ordered_json& names);

}  // namespace telsim::scenarios::detail
