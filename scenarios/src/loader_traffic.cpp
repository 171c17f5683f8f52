// Traffic relations: who calls whom, how often, for how long, how calls are
// answered and which completion policy acts on failures.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "loader_sections.hpp"
#include "loader_values.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

std::vector<std::pair<double, double>> read_profile(const Node& node, const Scope& scope,
                                                    const Diagnostics& diag) {
  require_sequence(node, "profile", scope, diag);
  std::vector<std::pair<double, double>> profile;
  for (const auto& step : node.items) {
    if (!step.is_sequence() || step.items.size() != 2) {
      diag.fail(step, scope.prefix() + "each entry of " + scope.key("profile") +
                          " must be a pair [time, multiplier], got " + got(step));
    }
    const Node& time = step.items[0];
    const Node& multiplier = step.items[1];
    const auto t = parse_number(time);
    if (!t || *t < 0.0 || *t > max_seconds) {
      diag.fail(time, scope.prefix() + "times in " + scope.key("profile") +
                          " must be numbers of seconds from 0 to 1e12, got " + got(time));
    }
    const auto m = parse_number(multiplier);
    if (!m || *m < 0.0) {
      diag.fail(multiplier, scope.prefix() + "multipliers in " + scope.key("profile") +
                                " must be numbers >= 0, got " + got(multiplier));
    }
    if (!profile.empty() && !(*t > profile.back().first)) {
      diag.fail(time, scope.prefix() + "times in " + scope.key("profile") +
                          " must increase strictly, got " + got(time) + " after " +
                          got(node.items[profile.size() - 1].items[0]));
    }
    profile.emplace_back(*t, *m);
  }
  return profile;
}

/// Scripted first attempts (`at`): a non-empty list of times, non-decreasing.
/// An out-of-order time is an error rather than sorted away: it is more
/// likely a slip than a wish, and equal times keep the order listed.
std::vector<double> read_scripted_times(const Node& node, const Scope& scope,
                                        const Diagnostics& diag) {
  if (!node.is_sequence() || node.items.empty()) {
    diag.fail(node, scope.prefix() + scope.key("at") +
                        " must be a non-empty list of times in seconds, e.g. at: [120, 300.5], "
                        "got " +
                        got(node));
  }
  std::vector<double> at;
  at.reserve(node.items.size());
  for (const auto& time : node.items) {
    const auto t = parse_number(time);
    if (!t || *t < 0.0 || *t > max_seconds) {
      diag.fail(time, scope.prefix() + "times in " + scope.key("at") +
                          " must be numbers of seconds from 0 to 1e12, got " + got(time));
    }
    if (!at.empty() && *t < at.back()) {
      diag.fail(time, scope.prefix() + "times in " + scope.key("at") +
                          " must be non-decreasing (list them in order; equal times are placed "
                          "in the order listed), got " +
                          got(time) + " after " + got(node.items[at.size() - 1]));
    }
    at.push_back(*t);
  }
  return at;
}

models::ArrivalSpec read_arrivals(const Node& node, const Scope& owner, const Diagnostics& diag) {
  const Scope scope = owner.child("arrivals");
  check_map(node, scope, declared_keys("arrivals"), diag);
  models::ArrivalSpec arrivals;
  const Node* kind_key = nullptr;
  for (const auto& [key, value] : node.entries) {
    if (key.scalar == "profile") continue;
    if (kind_key != nullptr) {
      // With --set, a second kind is usually an attempt to switch kind.
      const std::string hint = key.origin.source == Origin::Source::set
                                   ? " (to switch kind, set 'arrivals' whole)"
                                   : std::string();
      diag.fail(key, owner.prefix() +
                         "'arrivals' takes one of 'poisson', 'per_idle_source' and 'at', not "
                         "both '" +
                         kind_key->scalar + "' and '" + key.scalar + "'" + hint);
    }
    kind_key = &key;
  }
  if (kind_key == nullptr) {
    diag.fail(node, owner.prefix() +
                        "'arrivals' needs 'poisson: {rate: ...}' (calls per second in all), "
                        "'per_idle_source: {rate: ...}' (per idle address) or 'at: [...]' "
                        "(scripted call times)");
  }
  if (kind_key->scalar == "at") {
    if (const Node* p = node.find_key("profile")) {
      diag.fail(*p, scope.prefix() + scope.key("profile") +
                        " does not go with 'at': scripted calls come at the listed times, with "
                        "no rate to vary (remove 'profile')");
    }
    arrivals.kind = models::ArrivalSpec::Kind::scripted;
    arrivals.at = read_scripted_times(*node.find("at"), scope, diag);
    return arrivals;
  }
  arrivals.kind = kind_key->scalar == "poisson" ? models::ArrivalSpec::Kind::poisson
                                                : models::ArrivalSpec::Kind::per_idle_source;
  const Node& params = *node.find(kind_key->scalar);
  const Scope kind_scope = scope.child(kind_key->scalar);
  if (arrivals.kind == models::ArrivalSpec::Kind::poisson) {
    // A planner's traffic matrix is in Erlangs: `erlangs` stands for the rate that offers
    // them with the relation's mean holding time (set once the holding is read).
    check_map(params, kind_scope, declared_keys("poisson"), diag);
    const Node* rate = params.find("rate");
    const Node* erlangs = params.find("erlangs");
    if (rate != nullptr && erlangs != nullptr) {
      diag.fail(*erlangs, kind_scope.prefix() +
                              "'poisson' takes 'rate' (calls per second) or 'erlangs' (offered "
                              "traffic), not both");
    }
    if (rate == nullptr && erlangs == nullptr) {
      diag.fail(params, kind_scope.prefix() +
                            "'poisson' needs 'rate' (calls per second) or 'erlangs' (offered "
                            "traffic), e.g. poisson: {erlangs: 144}");
    }
    if (erlangs != nullptr) {
      arrivals.erlangs = read_number(*erlangs, "erlangs", kind_scope, diag, {0.0, true, 1e300});
    } else {
      arrivals.rate = read_number(require_key(params, "rate", kind_scope, diag), "rate", kind_scope,
                                  diag, {0.0, true, 1e300});
    }
  } else {
    check_map(params, kind_scope, declared_keys("per_idle_source"), diag);
    arrivals.rate = read_number(require_key(params, "rate", kind_scope, diag), "rate", kind_scope,
                                diag, {0.0, true, 1e300});
  }
  if (const Node* p = node.find("profile")) arrivals.profile = read_profile(*p, scope, diag);
  return arrivals;
}

/// How to call a relation in messages before its name is checked.
Scope early_scope(const Node& item) {
  if (!item.is_map()) return Scope{"an item of 'traffic'", ""};
  auto scalar = [&](std::string_view key) -> std::string {
    const Node* n = item.find(key);
    return n != nullptr && n->is_scalar() ? n->scalar : std::string();
  };
  if (!scalar("name").empty()) return Scope{"relation '" + scalar("name") + "'", ""};
  if (!scalar("from").empty() && !scalar("to").empty()) {
    return Scope{"relation '" + default_relation_name(scalar("from"), scalar("to")) + "'", ""};
  }
  return Scope{"an item of 'traffic'", ""};
}

/// Far beyond any trunk group a scenario can afford, and small enough that
/// `reserve + bandwidth` never overflows a circuit count.
constexpr std::uint64_t max_bandwidth = 1'000'000;

/// The exchange pairs a route joins, either way round (a route serves
/// calls in both directions).
std::unordered_set<std::uint64_t> routed_pairs(const models::NetworkSpec& net) {
  std::unordered_set<std::uint64_t> pairs;
  for (const auto& r : net.routes) {
    pairs.insert((std::uint64_t{std::min(r.from, r.to)} << 32) | std::max(r.from, r.to));
  }
  return pairs;
}

bool has_route(const std::unordered_set<std::uint64_t>& pairs, std::uint32_t a, std::uint32_t b) {
  return pairs.contains((std::uint64_t{std::min(a, b)} << 32) | std::max(a, b));
}

}  // namespace

void load_relations(const Node& root, models::NetworkSpec& net, const Diagnostics& diag) {
  const Node* list = section_list(root, "traffic", true, true, diag);
  UniqueNames seen("relation");
  const auto population_names = NameIndex::of(net.populations);
  // `none` is always defined, after the scenario's own policies.
  auto policy_names = NameIndex::of(net.policies);
  policy_names.add("none");
  const auto routed = routed_pairs(net);
  for (const auto& item : list->items) {
    const Scope unnamed{"an item of 'traffic'", ""};
    check_map_shape(item, early_scope(item), diag);
    models::RelationSpec rel;
    const Node& from = require_key(item, "from", unnamed, diag);
    const Node& to = require_key(item, "to", unnamed, diag);
    if (const Node* name = item.find("name")) {
      rel.name = require_name(*name, "name", Scope{"relation", ""}, diag);
      seen.add(rel.name, *name, diag);
    } else {
      const Scope relation{"relation", ""};
      rel.name = default_relation_name(require_name(from, "from", relation, diag),
                                       require_name(to, "to", relation, diag));
      seen.add(rel.name, item, diag);
    }
    const Scope scope{"relation '" + rel.name + "'", ""};
    check_map(item, scope, declared_keys("relation"), diag);
    rel.from = resolve_reference(from, "from", scope, diag, population_names, "population");
    rel.to = resolve_reference(to, "to", scope, diag, population_names, "population");
    const auto& caller_pop = net.populations[rel.from];
    const auto& callee_pop = net.populations[rel.to];
    if (rel.from == rel.to && caller_pop.count < 2) {
      diag.fail(to, scope.prefix() + "population '" + caller_pop.name +
                        "' calls itself but has 'count' 1: the callee is never the caller, so it "
                        "needs at least 2 addresses");
    }
    rel.arrivals = read_arrivals(require_key(item, "arrivals", scope, diag), scope, diag);
    const Node& holding = require_key(item, "holding", scope, diag);
    rel.holding = read_distribution(holding, "holding", scope, diag);
    if (rel.arrivals.erlangs) {
      const double mean = rel.holding.mean();
      if (!(mean > 0.0)) {
        diag.fail(holding, scope.prefix() +
                               "'arrivals: {poisson: {erlangs: ...}}' needs a holding time with "
                               "a positive mean (rate = erlangs / mean holding), got " +
                               got(holding));
      }
      rel.arrivals.rate = *rel.arrivals.erlangs / mean;
    }
    if (const Node* b = item.find("bandwidth")) {
      rel.bandwidth =
          static_cast<std::uint32_t>(read_integer(*b, "bandwidth", scope, diag, 1, max_bandwidth));
    }
    if (const Node* a = item.find("answer"))
      rel.answer = read_answer(*a, "answer", scope, diag, {});
    if (const Node* c = item.find("completion")) {
      const std::uint32_t p =
          resolve_reference(*c, "completion", scope, diag, policy_names, "policy");
      if (p < net.policies.size()) rel.policy = p;
    }
    if (caller_pop.exchange != callee_pop.exchange &&
        !has_route(routed, caller_pop.exchange, callee_pop.exchange)) {
      const auto& a = net.exchanges[caller_pop.exchange].name;
      const auto& b = net.exchanges[callee_pop.exchange].name;
      diag.fail(item, scope.prefix() + "no route between exchanges '" + a + "' and '" + b +
                          "' (populations '" + caller_pop.name + "' and '" + callee_pop.name +
                          "'); add one to 'routes': {from: " + a + ", to: " + b +
                          ", via: [[...]]}");
    }
    net.relations.push_back(std::move(rel));
  }
}

}  // namespace telsim::scenarios::detail
