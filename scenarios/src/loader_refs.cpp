// Helpers shared by the section loaders: lists of items, unique names and
// references by name.
#include "loader_sections.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {

std::string default_relation_name(std::string_view from, std::string_view to) {
  return std::string(from) + "-to-" + std::string(to);
}

std::optional<std::uint32_t> index_of(const std::vector<std::string>& names,
                                      std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

bool NameIndex::add(const std::string& name) {
  const auto [at, added] = index_.try_emplace(name, static_cast<std::uint32_t>(names_.size()));
  if (added) names_.push_back(name);
  return added;
}

std::optional<std::uint32_t> NameIndex::find(std::string_view name) const {
  const auto at = index_.find(name);
  if (at == index_.end()) return std::nullopt;
  return at->second;
}

std::uint32_t resolve_reference(const Node& node, std::string_view key, const Scope& scope,
                                const Diagnostics& diag, const NameIndex& index,
                                std::string_view noun) {
  const std::string name = require_string(node, key, scope, diag);
  const auto found = index.find(name);
  const std::vector<std::string>& names = index.names();
  if (!found) {
    std::string message =
        scope.prefix() + "unknown " + std::string(noun) + " '" + name + "' in " + scope.key(key);
    const std::string hint = did_you_mean(name, names, true);
    if (!hint.empty()) {
      message += hint;
    } else if (names.empty()) {
      message += " (none is defined)";
    } else {
      message += " (defined: " + join(names) + ")";
    }
    diag.fail(node, message);
  }
  return *found;
}

const Node* section_list(const Node& root, std::string_view key, bool required, bool non_empty,
                         const Diagnostics& diag) {
  const Node* list = root.find(key);
  if (list == nullptr) {
    if (required) require_key(root, key, Scope{}, diag);
    return nullptr;
  }
  require_sequence(*list, key, Scope{}, diag);
  if (non_empty && list->items.empty()) {
    diag.fail(*list, "'" + std::string(key) + "' must list at least one item, got an empty list");
  }
  return list;
}

void UniqueNames::add(const std::string& name, const Node& at, const Diagnostics& diag) {
  if (!names_.add(name)) {
    diag.fail(at, "duplicate " + noun_ + " name '" + name + "' (first at " +
                      Diagnostics::describe(origins_[*names_.find(name)]) +
                      "; names must be unique)");
  }
  origins_.push_back(at.origin);
}

}  // namespace telsim::scenarios::detail
