#pragma once
// One function per part of a scenario file. Each reads its part of the
// (already --set-edited) tree, checks it and fills the Scenario; later parts
// may refer to names defined by earlier ones, so loader.cpp calls them in
// SPEC §2 order with policies before traffic.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader_diagnostics.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/scenario.hpp"
#include "yaml_tree.hpp"

namespace telsim::scenarios::detail {

/// telsim, name, seed, replications, warmup, duration, precision, limits.
void load_run_settings(const Node& root, Scenario& scenario, const Diagnostics& diag);
/// plugins and expect.
void load_plugins_and_expect(const Node& root, Scenario& scenario, const Diagnostics& diag);
/// Every `expect` and `precision` metric names a statistic this scenario's
/// results hold (SPEC §4: an unknown group, relation, policy or figure is a
/// scenario error at the metric value). Needs the whole network loaded.
void check_metric_paths(const Node& root, const Scenario& scenario, const Diagnostics& diag);

void load_exchanges(const Node& root, models::NetworkSpec& net, const Diagnostics& diag);
void load_populations(const Node& root, models::NetworkSpec& net, const Diagnostics& diag);
void load_trunk_groups(const Node& root, models::NetworkSpec& net, const Diagnostics& diag);
void load_routes(const Node& root, models::NetworkSpec& net, const Diagnostics& diag);
void load_policies(const Node& root, models::NetworkSpec& net,
                   const models::PolicyRegistry& registry, const Diagnostics& diag);
void load_relations(const Node& root, models::NetworkSpec& net, const Diagnostics& diag);
/// Checks that need both relations and policies (message_id against the
/// caller exchanges that can reach a message policy).
void check_policy_reach(const Node& root, const models::NetworkSpec& net,
                        const models::PolicyRegistry& registry, const Diagnostics& diag);

/// The default name of a relation: "<from>-to-<to>".
std::string default_relation_name(std::string_view from, std::string_view to);

/// The names of a list of specs (anything with a `name` member).
template <class Spec>
std::vector<std::string> names_of(const std::vector<Spec>& specs) {
  std::vector<std::string> names;
  names.reserve(specs.size());
  for (const auto& s : specs) names.push_back(s.name);
  return names;
}

/// Index of `name` in `names`, or nullopt. Linear: for the short fixed
/// lists of keywords; names a scenario defines go in a NameIndex.
std::optional<std::uint32_t> index_of(const std::vector<std::string>& names, std::string_view name);

/// The names of one namespace (exchanges, trunk groups, ...) in file order,
/// found by name in constant time: a national network refers to its 2,500
/// trunk groups and 30,000 relations by name, and a linear search per
/// reference made loading quadratic.
class NameIndex {
 public:
  NameIndex() = default;
  template <class Spec>
  static NameIndex of(const std::vector<Spec>& specs) {
    NameIndex index;
    for (const auto& s : specs) index.add(s.name);
    return index;
  }
  /// Appends a name; returns false (and adds nothing) if it is already there.
  bool add(const std::string& name);
  std::optional<std::uint32_t> find(std::string_view name) const;
  const std::vector<std::string>& names() const { return names_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
};

/// Resolves a reference to a named object: the scalar at `node` must name
/// one of `names`; otherwise "<prefix>unknown <noun> 'X' in '<key>' (did you
/// mean 'Y'?)" at the node.
std::uint32_t resolve_reference(const Node& node, std::string_view key, const Scope& scope,
                                const Diagnostics& diag, const NameIndex& names,
                                std::string_view noun);

/// The list under a top-level section key, checked to be a list of maps;
/// nullptr if the key is absent and not `required`.
const Node* section_list(const Node& root, std::string_view key, bool required, bool non_empty,
                         const Diagnostics& diag);

/// The names seen so far in one namespace (exchanges, trunk groups, ...),
/// to report a duplicate at its second occurrence, saying where the first was.
class UniqueNames {
 public:
  explicit UniqueNames(std::string noun) : noun_(std::move(noun)) {}
  void add(const std::string& name, const Node& at, const Diagnostics& diag);

 private:
  std::string noun_;
  NameIndex names_;
  std::vector<Origin> origins_;
};

}  // namespace telsim::scenarios::detail
