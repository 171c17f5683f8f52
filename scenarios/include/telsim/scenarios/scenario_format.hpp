#pragma once
/// The scenario format, declared once: every object of a scenario file and every
/// key it may hold, with its type, default, range, meaning, an example and the JSON
/// Schema of its value. The loader takes the keys it accepts from here (a key that
/// is not declared is an error), `telsim schema` prints the declaration as a JSON
/// Schema, and docs/reference/scenario-format.md and telsim-scenario(5) are
/// generated from it, so that none of them can drift from the others (tests check
/// the generated pages and that every resolved scenario satisfies the schema).
///
/// A policy type's own parameters are declared by the type (models::ParamDecl,
/// built in or from a plug-in); the declaration here lists the keys every policy has.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/models/policy_registry.hpp"

namespace telsim::scenarios {

struct KeyDeclaration {
  std::string_view name;
  bool required = false;
  std::string_view type;          ///< for readers: "integer", "seconds", "distribution", ...
  std::string_view default_text;  ///< empty: no default (required, or absent means none)
  std::string_view range;         ///< allowed values beyond the type; empty: any
  std::string_view meaning;       ///< one line
  std::string_view example;       ///< the value as written in YAML
  std::string_view schema;        ///< JSON Schema of the value (JSON text)
};

struct ObjectDeclaration {
  std::string_view id;     ///< names the object in the schema's $defs and in the reference
  std::string_view where;  ///< where it appears, e.g. "trunk_groups[]"
  std::string_view about;  ///< a paragraph for the reference
  std::vector<KeyDeclaration> keys;
  std::string_view constraints;  ///< extra JSON Schema keywords for the object (JSON text)
};

/// Every object of the format, the root ("scenario") first, in the reference's order.
const std::vector<ObjectDeclaration>& scenario_objects();

/// The object `id`; throws std::out_of_range for an undeclared id.
const ObjectDeclaration& scenario_object(std::string_view id);

/// The keys `id` accepts, in declaration order.
const std::vector<std::string>& declared_keys(std::string_view id);

/// The format as a JSON Schema (draft 2020-12). Policy instances are checked against
/// the parameters of the types in `registry`; a type the registry does not hold (a
/// plug-in not loaded) keeps its parameters open.
nlohmann::ordered_json scenario_json_schema(const models::PolicyRegistry& registry);

/// docs/reference/scenario-format.md, from the declaration and `registry`'s types.
std::string scenario_reference_markdown(const models::PolicyRegistry& registry);

/// telsim-scenario(5), in man(7) roff, from the same.
std::string scenario_man_page(const models::PolicyRegistry& registry);

}  // namespace telsim::scenarios
