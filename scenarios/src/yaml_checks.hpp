#pragma once
// Structural checks shared by every part of the loader: map shape, duplicate
// and unknown keys (with a did-you-mean), required keys, names.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "loader_diagnostics.hpp"
#include "telsim/scenarios/scenario_format.hpp"
#include "yaml_tree.hpp"

namespace telsim::scenarios::detail {

// The keys each object accepts come from the format's one declaration.
using scenarios::declared_keys;

/// Optimal string alignment distance (Levenshtein plus adjacent
/// transpositions, so 'hmoes' is one edit from 'homes').
std::size_t edit_distance(std::string_view a, std::string_view b);

/// " (did you mean 'X'?)" for the closest candidate if it is close enough,
/// or, with `sole_is_enough`, if it is the only candidate (for references to
/// named objects: naming the only one there is is the remedy); otherwise "".
std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates,
                         bool sole_is_enough = false);

/// "a, b, c".
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

/// What a node is, for "got ..." in messages: "'text'", "a list", "a map", "nothing".
std::string got(const Node& node);

/// Checks that `node` is a map whose keys are plain strings, with no key
/// twice (reported at the second) and none outside `allowed` (reported with
/// a did-you-mean; `noun` says what a key is, e.g. "key" or "distribution").
void check_map(const Node& node, const Scope& scope, const std::vector<std::string>& allowed,
               const Diagnostics& diag, std::string_view noun = "key");

/// The map shape and duplicate-key part of check_map alone (for maps whose
/// keys are names, like `policies`). `duplicate_noun` names what a key is.
void check_map_shape(const Node& node, const Scope& scope, const Diagnostics& diag,
                     std::string_view duplicate_noun = "key");

/// The value of `key` in `map`, or an error at the map naming the missing key.
const Node& require_key(const Node& map, std::string_view key, const Scope& scope,
                        const Diagnostics& diag);

/// A list, or an error at `node` naming `key`.
void require_sequence(const Node& node, std::string_view key, const Scope& scope,
                      const Diagnostics& diag);

/// A non-empty scalar string.
std::string require_string(const Node& node, std::string_view key, const Scope& scope,
                           const Diagnostics& diag);

/// A name usable in a results path: [A-Za-z0-9_-]+.
bool is_valid_name(std::string_view name);
std::string require_name(const Node& node, std::string_view key, const Scope& scope,
                         const Diagnostics& diag);

/// A results path: names joined by dots, at least two of them.
bool is_results_path(std::string_view path);

}  // namespace telsim::scenarios::detail
