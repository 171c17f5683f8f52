#pragma once
// --set KEY=VALUE (SPEC §4): edits the parsed scenario before validation.
#include <string>
#include <vector>

#include "yaml_tree.hpp"

namespace telsim::scenarios::detail {

/// Applies each override in order. KEY is a dot path: plain maps by key,
/// items of exchanges, subscribers, trunk_groups and traffic by name (a
/// relation without one by "<from>-to-<to>"), routes by "<from>-<to>",
/// policies by their key; lists are never addressed by index. VALUE is YAML.
/// A missing last key is created (validation then rejects it if it is not a
/// valid key there); any other missing part of the path is an error.
/// Replaced nodes carry --set positions, so that validation reports errors
/// in a value as "--set:1:COLUMN". Throws ScenarioError ("--set", 1, column).
void apply_overrides(Node& root, const std::vector<std::string>& overrides);

}  // namespace telsim::scenarios::detail
