// The network's structure: exchanges, subscriber populations, trunk groups
// and routes.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>

#include "loader_sections.hpp"
#include "loader_values.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

constexpr std::uint64_t u32_max = std::numeric_limits<std::uint32_t>::max();
/// Addresses are numbered with 32 bits and one value is kept as "none".
constexpr std::uint64_t max_total_addresses = u32_max - 1;

/// Reads an item's name (checked to be usable in a results path) and returns
/// the scope that names it in later messages.
Scope named_item(const Node& item, std::string_view section, std::string_view noun,
                 UniqueNames& seen, const Diagnostics& diag) {
  const Scope unnamed{"an item of '" + std::string(section) + "'", ""};
  // Name the item in messages as soon as its name can be read, even for
  // problems found before the name is checked (a duplicate key).
  const Node* raw_name = item.is_map() ? item.find("name") : nullptr;
  const bool readable = raw_name != nullptr && raw_name->is_scalar() && !raw_name->scalar.empty();
  const Scope early =
      readable ? Scope{std::string(noun) + " '" + raw_name->scalar + "'", ""} : unnamed;
  check_map_shape(item, early, diag);
  const Node& name_node = require_key(item, "name", unnamed, diag);
  const std::string name = require_name(name_node, "name", early, diag);
  seen.add(name, name_node, diag);
  return Scope{std::string(noun) + " '" + name + "'", ""};
}

/// `modes` of a `completion` block, as an exchange or a population gives it.
std::array<bool, models::completion_mode_count> read_completion_modes(const Node& modes,
                                                                      const Scope& scope,
                                                                      const Diagnostics& diag) {
  require_sequence(modes, "modes", scope, diag);
  const std::vector<std::string> known = {"campon", "callback", "intrude", "message"};
  std::array<bool, models::completion_mode_count> given{false, false, false, false};
  for (const auto& m : modes.items) {
    const std::string mode = require_string(m, "modes", scope, diag);
    const auto i = index_of(known, mode);
    if (!i) {
      diag.fail(m, scope.prefix() + "unknown mode '" + mode + "' in " + scope.key("modes") +
                       did_you_mean(mode, {known}) + "; modes are " + join(known));
    }
    if (given[*i]) {
      diag.fail(m, scope.prefix() + "mode '" + mode + "' is listed twice in " + scope.key("modes"));
    }
    given[*i] = true;
  }
  return given;
}

/// A route's `strategy` (SPEC §3 "Route strategies").
models::RouteStrategy read_strategy(const Node& node, const Scope& scope, const Diagnostics& diag) {
  const std::vector<std::string> known = {"sequential", "random", "dar", "lba"};
  const std::string given = require_string(node, "strategy", scope, diag);
  const auto i = index_of(known, given);
  if (!i) {
    diag.fail(node, scope.prefix() + "unknown strategy '" + given + "' in " +
                        scope.key("strategy") + did_you_mean(given, known) + "; strategies are " +
                        join(known));
  }
  return static_cast<models::RouteStrategy>(*i);
}

/// `max_per_address` of a `completion` block: a count, or nullopt for "unlimited".
std::optional<std::uint32_t> read_max_per_address(const Node& node, const Scope& scope,
                                                  const Diagnostics& diag) {
  const auto limit = read_count_or_unlimited(node, "max_per_address", scope, diag, 1, u32_max);
  return limit ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*limit)) : std::nullopt;
}

models::CompletionSupport read_completion_support(const Node& node, const Scope& owner,
                                                  const Diagnostics& diag) {
  const Scope scope = owner.child("completion");
  check_map(node, scope, declared_keys("exchange_completion"), diag);
  models::CompletionSupport support;
  if (const Node* modes = node.find("modes"))
    support.modes = read_completion_modes(*modes, scope, diag);
  if (const Node* n = node.find("max_per_address"))
    support.max_per_address = read_max_per_address(*n, scope, diag);
  if (const Node* n = node.find("messages")) {
    support.messages =
        static_cast<std::uint32_t>(read_integer(*n, "messages", scope, diag, 0, u32_max));
  }
  if (const Node* n = node.find("bridges")) {
    support.bridges =
        static_cast<std::uint32_t>(read_integer(*n, "bridges", scope, diag, 0, u32_max));
  }
  return support;
}

/// A population's own `completion` block (SPEC §3 "Capabilities per
/// address"): `modes` and `max_per_address`, read as an exchange's are; the
/// predefined messages and the conference bridges stay the exchange's.
models::CompletionOverride read_completion_override(const Node& node, const Scope& owner,
                                                    const std::string& exchange,
                                                    const Diagnostics& diag) {
  const Scope scope = owner.child("completion");
  check_map_shape(node, scope, diag);
  for (const auto& [key, value] : node.entries) {
    if (key.scalar == "messages" || key.scalar == "bridges") {
      diag.fail(
          key,
          scope.prefix() + scope.key(key.scalar) + " cannot be given per population: " +
              (key.scalar == "messages" ? "the predefined messages" : "the conference bridges") +
              " stay per exchange; set it in the 'completion' of exchange '" + exchange + "'");
    }
  }
  check_map(node, scope, declared_keys("population_completion"), diag);
  models::CompletionOverride given;
  if (const Node* modes = node.find("modes"))
    given.modes = read_completion_modes(*modes, scope, diag);
  if (const Node* n = node.find("max_per_address")) {
    given.has_max_per_address = true;
    given.max_per_address = read_max_per_address(*n, scope, diag);
  }
  return given;
}

/// Follows one chain of trunk groups from `from`, hop by hop, and checks it
/// ends at `to` without passing an exchange twice.
std::vector<std::uint32_t> read_chain(const Node& chain, const models::RouteSpec& route,
                                      const models::NetworkSpec& net, const NameIndex& group_names,
                                      const Scope& scope, const Diagnostics& diag) {
  const auto& ex = net.exchanges;
  if (!chain.is_sequence() || chain.items.empty()) {
    diag.fail(chain, scope.prefix() +
                         "each alternative in 'via' must be a non-empty list of trunk "
                         "groups, e.g. via: [[AB], [AT, TB]], got " +
                         got(chain));
  }
  std::vector<std::uint32_t> groups;
  std::vector<std::uint32_t> visited{route.from};
  std::uint32_t at = route.from;
  for (const auto& hop : chain.items) {
    const std::uint32_t g = resolve_reference(hop, "via", scope, diag, group_names, "trunk group");
    const auto& tg = net.trunk_groups[g];
    if (tg.between[0] != at && tg.between[1] != at) {
      diag.fail(hop, scope.prefix() + "trunk group '" + tg.name +
                         "' in 'via' does not touch exchange '" + ex[at].name + "' (it joins '" +
                         ex[tg.between[0]].name + "' and '" + ex[tg.between[1]].name +
                         "'); each alternative must join '" + ex[route.from].name + "' to '" +
                         ex[route.to].name + "' hop by hop");
    }
    at = tg.between[0] == at ? tg.between[1] : tg.between[0];
    if (std::find(visited.begin(), visited.end(), at) != visited.end()) {
      diag.fail(hop, scope.prefix() + "trunk group '" + tg.name +
                         "' in 'via' comes back to exchange '" + ex[at].name +
                         "'; an alternative passes each exchange once");
    }
    visited.push_back(at);
    groups.push_back(g);
  }
  if (at != route.to) {
    diag.fail(chain.items.back(), scope.prefix() + "the alternative " + render(chain) +
                                      " in 'via' ends at exchange '" + ex[at].name + "', not '" +
                                      ex[route.to].name + "'");
  }
  return groups;
}

}  // namespace

void load_exchanges(const Node& root, models::NetworkSpec& net, const Diagnostics& diag) {
  const Node* list = section_list(root, "exchanges", true, true, diag);
  UniqueNames seen("exchange");
  for (const auto& item : list->items) {
    const Scope scope = named_item(item, "exchanges", "exchange", seen, diag);
    check_map(item, scope, declared_keys("exchange"), diag);
    models::ExchangeSpec ex;
    ex.name = item.find("name")->scalar;
    if (const Node* c = item.find("completion"))
      ex.completion = read_completion_support(*c, scope, diag);
    net.exchanges.push_back(std::move(ex));
  }
}

void load_populations(const Node& root, models::NetworkSpec& net, const Diagnostics& diag) {
  const Node* list = section_list(root, "subscribers", true, true, diag);
  UniqueNames seen("population");
  const auto exchange_names = NameIndex::of(net.exchanges);
  std::uint64_t total = 0;
  for (const auto& item : list->items) {
    const Scope scope = named_item(item, "subscribers", "population", seen, diag);
    check_map(item, scope, declared_keys("population"), diag);
    models::PopulationSpec pop;
    pop.name = item.find("name")->scalar;
    pop.exchange = resolve_reference(require_key(item, "exchange", scope, diag), "exchange", scope,
                                     diag, exchange_names, "exchange");
    const Node& count = require_key(item, "count", scope, diag);
    pop.count = read_integer(count, "count", scope, diag, 1, max_total_addresses);
    total += pop.count;
    if (total > max_total_addresses) {
      diag.fail(count, scope.prefix() + "'count' " + std::to_string(pop.count) +
                           " brings the addresses of all populations to " + std::to_string(total) +
                           "; the total must be at most " + std::to_string(max_total_addresses));
    }
    const auto lines = read_count_or_unlimited(require_key(item, "lines", scope, diag), "lines",
                                               scope, diag, 1, u32_max);
    pop.lines =
        lines ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*lines)) : std::nullopt;
    if (const Node* c = item.find("completion")) {
      pop.completion = read_completion_override(*c, scope, net.exchanges[pop.exchange].name, diag);
    }
    net.populations.push_back(std::move(pop));
  }
}

void load_trunk_groups(const Node& root, models::NetworkSpec& net, const Diagnostics& diag) {
  const Node* list = section_list(root, "trunk_groups", false, false, diag);
  if (list == nullptr) return;
  UniqueNames seen("trunk group");
  const auto exchange_names = NameIndex::of(net.exchanges);
  for (const auto& item : list->items) {
    const Scope scope = named_item(item, "trunk_groups", "trunk group", seen, diag);
    check_map(item, scope, declared_keys("trunk_group"), diag);
    models::TrunkGroupSpec tg;
    tg.name = item.find("name")->scalar;
    const Node& between = require_key(item, "between", scope, diag);
    if (!between.is_sequence() || between.items.size() != 2) {
      diag.fail(between, scope.prefix() +
                             "'between' must list exactly two exchanges, e.g. [A, B], got " +
                             got(between));
    }
    for (std::size_t end = 0; end < 2; ++end) {
      tg.between[end] =
          resolve_reference(between.items[end], "between", scope, diag, exchange_names, "exchange");
    }
    if (tg.between[0] == tg.between[1]) {
      diag.fail(between.items[1], scope.prefix() +
                                      "'between' must name two different exchanges, got '" +
                                      between.items[0].scalar + "' twice");
    }
    const Node& circuits = require_key(item, "circuits", scope, diag);
    tg.circuits =
        static_cast<std::uint32_t>(read_integer(circuits, "circuits", scope, diag, 1, u32_max));
    if (const Node* r = item.find("reserve")) {
      tg.reserve = static_cast<std::uint32_t>(read_integer(*r, "reserve", scope, diag, 0, u32_max));
      if (tg.reserve >= tg.circuits) {
        diag.fail(*r, scope.prefix() + "'reserve' must be below 'circuits' (" +
                          std::to_string(tg.circuits) + "), got '" + r->scalar + "'");
      }
    }
    net.trunk_groups.push_back(std::move(tg));
  }
}

void load_routes(const Node& root, models::NetworkSpec& net, const Diagnostics& diag) {
  const Node* list = section_list(root, "routes", false, false, diag);
  if (list == nullptr) return;
  const auto exchange_names = NameIndex::of(net.exchanges);
  const auto group_names = NameIndex::of(net.trunk_groups);
  // (from, to) -> where that route was first written, for duplicates.
  std::unordered_map<std::uint64_t, Origin> first_at;
  for (const auto& item : list->items) {
    const Scope unnamed{"a route", ""};
    check_map_shape(item, Scope{"an item of 'routes'", ""}, diag);
    models::RouteSpec route;
    route.from = resolve_reference(require_key(item, "from", unnamed, diag), "from", unnamed, diag,
                                   exchange_names, "exchange");
    const Node& to = require_key(item, "to", unnamed, diag);
    route.to = resolve_reference(to, "to", unnamed, diag, exchange_names, "exchange");
    const auto& names = exchange_names.names();
    const Scope scope{"route '" + names[route.from] + "-" + names[route.to] + "'", ""};
    if (route.from == route.to) {
      diag.fail(to, scope.prefix() +
                        "'from' and 'to' must be different exchanges (calls inside "
                        "one exchange need no route)");
    }
    check_map(item, scope, declared_keys("route"), diag);
    const std::uint64_t pair = (std::uint64_t{route.from} << 32) | route.to;
    if (const auto first = first_at.find(pair); first != first_at.end()) {
      diag.fail(item, "duplicate route from '" + names[route.from] + "' to '" + names[route.to] +
                          "' (first at " + Diagnostics::describe(first->second) +
                          "; list every alternative in one 'via')");
    }
    const Node& via = require_key(item, "via", scope, diag);
    if (!via.is_sequence() || via.items.empty()) {
      diag.fail(via, scope.prefix() +
                         "'via' must be a non-empty list of alternatives, each a list "
                         "of trunk groups, e.g. [[AB], [AT, TB]], got " +
                         got(via));
    }
    for (const auto& chain : via.items) {
      auto groups = read_chain(chain, route, net, group_names, scope, diag);
      if (std::find(route.via.begin(), route.via.end(), groups) != route.via.end()) {
        diag.fail(chain, scope.prefix() + "the alternative " + render(chain) +
                             " is listed twice in 'via'");
      }
      route.via.push_back(std::move(groups));
    }
    if (const Node* s = item.find("strategy")) route.strategy = read_strategy(*s, scope, diag);
    first_at.emplace(pair, item.origin);
    net.routes.push_back(std::move(route));
  }
}

}  // namespace telsim::scenarios::detail
