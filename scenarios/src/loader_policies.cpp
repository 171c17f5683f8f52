// Named completion-policy instances: type or preset, parameters checked
// against the type's declarations, `when`, `fallback` and fallback cycles.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "loader_sections.hpp"
#include "loader_values.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

using models::FailureCause;
using models::ParamKind;
using models::ParamValue;

/// Seconds for an expiry cause left out of a per-cause map (SPEC §3: 45 min).
constexpr double default_expiry = 2700.0;

std::uint64_t to_count_bound(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 1.8e19) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(std::ceil(x));
}

const std::vector<std::string>& cause_names() {
  static const std::vector<std::string> names = {"congestion", "busy", "no_answer"};
  return names;
}

std::vector<FailureCause> read_when(const Node& node, const Scope& scope, const Diagnostics& diag) {
  require_sequence(node, "when", scope, diag);
  std::vector<FailureCause> causes;
  for (const auto& item : node.items) {
    const std::string text = require_string(item, "when", scope, diag);
    const auto i = index_of(cause_names(), text);
    if (!i) {
      diag.fail(item, scope.prefix() + "unknown cause '" + text + "' in 'when'" +
                          did_you_mean(text, cause_names()) + "; causes are " +
                          join(cause_names()));
    }
    const auto cause = static_cast<FailureCause>(*i);
    if (std::find(causes.begin(), causes.end(), cause) != causes.end()) {
      diag.fail(item, scope.prefix() + "cause '" + text + "' is listed twice in 'when'");
    }
    causes.push_back(cause);
  }
  return causes;
}

std::array<double, models::failure_cause_count> read_expiry(const Node& node, const Scope& scope,
                                                            const Diagnostics& diag) {
  std::array<double, models::failure_cause_count> expiry{default_expiry, default_expiry,
                                                         default_expiry};
  if (!node.is_map()) {
    if (!parse_number(node)) {
      diag.fail(node, scope.prefix() +
                          "'expiry' must be a number of seconds or a map per cause, "
                          "e.g. {busy: 4800, no_answer: 7200}, got " +
                          got(node));
    }
    expiry.fill(read_seconds(node, "expiry", scope, diag, true));
    return expiry;
  }
  const Scope inner = scope.child("expiry");
  check_map(node, inner, cause_names(), diag, "cause");
  for (std::size_t c = 0; c < cause_names().size(); ++c) {
    if (const Node* v = node.find(cause_names()[c])) {
      expiry[c] = read_seconds(*v, cause_names()[c], inner, diag, true);
    }
  }
  return expiry;
}

ParamValue read_param(const Node& node, const models::ParamDecl& decl, ParamValue base,
                      const Scope& scope, const Diagnostics& diag) {
  ParamValue value = std::move(base);
  value.kind = decl.kind;
  switch (decl.kind) {
    case ParamKind::number:
      value.number = read_number(node, decl.name, scope, diag, {decl.min, false, decl.max});
      break;
    case ParamKind::count: {
      const std::uint64_t min = to_count_bound(decl.min);
      const std::uint64_t max = to_count_bound(decl.max);
      if (decl.allow_unlimited) {
        value.count = read_count_or_unlimited(node, decl.name, scope, diag, min, max);
      } else {
        value.count = read_integer(node, decl.name, scope, diag, min, max);
      }
      break;
    }
    case ParamKind::distribution:
      if (decl.allow_unlimited && is_unlimited(node)) {
        value.distribution = std::nullopt;
      } else {
        value.distribution = read_distribution(node, decl.name, scope, diag);
      }
      break;
    case ParamKind::answer:
      value.answer = read_answer(node, decl.name, scope, diag, value.answer);
      break;
    case ParamKind::expiry:
      value.expiry = read_expiry(node, scope, diag);
      break;
  }
  return value;
}

/// A policy's map, read up to its fallback (which needs every name first).
models::PolicySpec read_policy(const std::string& name, const Node& node,
                               const models::PolicyRegistry& registry, const Diagnostics& diag) {
  const Scope scope{"policy '" + name + "'", ""};
  check_map_shape(node, scope, diag);
  models::PolicySpec spec;
  spec.name = name;
  const models::PolicyPreset* preset = nullptr;
  if (const Node* p = node.find("preset")) {
    spec.preset = require_string(*p, "preset", scope, diag);
    preset = registry.find_preset(spec.preset);
    if (preset == nullptr) {
      std::vector<std::string> known;
      for (const auto& pr : registry.presets()) known.push_back(pr.name);
      diag.fail(*p,
                scope.prefix() + "unknown preset '" + spec.preset + "'" +
                    did_you_mean(spec.preset, known) +
                    (known.empty() ? "; no presets are registered" : "; presets: " + join(known)));
    }
  }
  const models::PolicyType* type = nullptr;
  if (const Node* t = node.find("type")) {
    spec.type = require_string(*t, "type", scope, diag);
    type = registry.find(spec.type);
    if (type == nullptr) {
      std::vector<std::string> known;
      for (const auto& ty : registry.types()) known.push_back(ty.name);
      diag.fail(*t, scope.prefix() + "unknown type '" + spec.type + "'" +
                        did_you_mean(spec.type, known) + "; known types: " + join(known) +
                        " (plug-ins add more: see 'telsim policies')");
    }
    if (preset != nullptr && preset->type != spec.type) {
      diag.fail(*t, scope.prefix() + "preset '" + preset->name + "' is for type '" + preset->type +
                        "', not '" + spec.type + "' (leave 'type' out, or drop the preset)");
    }
  } else if (preset != nullptr) {
    spec.type = preset->type;
    type = registry.find(spec.type);
    if (type == nullptr) {
      diag.fail(*node.find("preset"), scope.prefix() + "preset '" + preset->name +
                                          "' needs policy type '" + preset->type +
                                          "', which is not registered");
    }
  } else {
    diag.fail(node, "missing required key 'type' (or 'preset') in " + scope.where());
  }

  std::vector<std::string> allowed = declared_keys("policy");
  for (const auto& decl : type->params) allowed.push_back(decl.name);
  check_map(node, scope, allowed, diag);

  for (const auto& decl : type->params) {
    ParamValue base = decl.default_value;
    if (preset != nullptr) {
      if (const auto it = preset->params.find(decl.name); it != preset->params.end())
        base = it->second;
    }
    base.kind = decl.kind;
    if (const Node* given = node.find(decl.name)) {
      spec.params[decl.name] = read_param(*given, decl, std::move(base), scope, diag);
    } else {
      spec.params[decl.name] = std::move(base);
    }
  }
  spec.when = type->default_when;
  if (preset != nullptr && preset->when) spec.when = *preset->when;
  if (const Node* w = node.find("when")) spec.when = read_when(*w, scope, diag);
  return spec;
}

/// Reports a cycle of fallbacks at the `fallback` key of its first member
/// in file order.
void check_fallback_cycles(const Node& map, const models::NetworkSpec& net,
                           const Diagnostics& diag) {
  const std::size_t n = net.policies.size();
  for (std::size_t start = 0; start < n; ++start) {
    std::vector<std::size_t> path;
    std::size_t at = start;
    while (true) {
      const auto seen = std::find(path.begin(), path.end(), at);
      if (seen != path.end()) {
        const std::vector<std::size_t> cycle(seen, path.end());
        const std::size_t first = *std::min_element(cycle.begin(), cycle.end());
        // Name the cycle starting from the member we report at.
        const auto pos = std::find(cycle.begin(), cycle.end(), first) - cycle.begin();
        std::string chain;
        for (std::size_t k = 0; k <= cycle.size(); ++k) {
          if (k > 0) chain += " -> ";
          chain += net.policies[cycle[(pos + k) % cycle.size()]].name;
        }
        const Node& fallback = *map.entries[first].second.find("fallback");
        diag.fail(fallback, "policy '" + net.policies[first].name + "': fallback cycle " + chain +
                                " (a chain of fallbacks must end in a policy without one)");
      }
      path.push_back(at);
      if (!net.policies[at].fallback) break;
      at = *net.policies[at].fallback;
    }
  }
}

}  // namespace

void load_policies(const Node& root, models::NetworkSpec& net,
                   const models::PolicyRegistry& registry, const Diagnostics& diag) {
  const Node* map = root.find("policies");
  if (map == nullptr) return;
  const Scope scope{"", "policies"};
  if (map->is_null()) return;  // "policies:" with nothing under it defines none
  check_map_shape(*map, scope, diag, "policy name");
  std::vector<std::string> names;
  for (const auto& [key, value] : map->entries) {
    if (!is_valid_name(key.scalar)) {
      diag.fail(key, "policy name '" + key.scalar + "' may hold only letters, digits, '_' and '-'");
    }
    if (key.scalar == "none") {
      diag.fail(key, "policy name 'none' is reserved (it always means no policy); pick another");
    }
    names.push_back(key.scalar);
  }
  for (const auto& [key, value] : map->entries) {
    net.policies.push_back(read_policy(key.scalar, value, registry, diag));
  }
  // Fallbacks may name policies defined further down, hence a second pass.
  NameIndex targets;
  for (const auto& name : names) targets.add(name);
  targets.add("none");
  for (std::size_t i = 0; i < map->entries.size(); ++i) {
    const Node* f = map->entries[i].second.find("fallback");
    if (f == nullptr) continue;
    const Scope owner{"policy '" + names[i] + "'", ""};
    const std::uint32_t target = resolve_reference(*f, "fallback", owner, diag, targets, "policy");
    if (target == i) {
      diag.fail(*f, owner.prefix() + "'fallback' must name another policy, not '" + names[i] +
                        "' itself (or 'none')");
    }
    if (target < names.size()) net.policies[i].fallback = target;
  }
  check_fallback_cycles(*map, net, diag);
}

void check_policy_reach(const Node& root, const models::NetworkSpec& net,
                        const models::PolicyRegistry& registry, const Diagnostics& diag) {
  // SPEC §3: message_id must be below `messages` of every exchange whose
  // callers can reach the policy, directly or as a fallback.
  for (const auto& rel : net.relations) {
    const std::uint32_t exchange = net.populations[rel.from].exchange;
    const auto& ex = net.exchanges[exchange];
    std::optional<std::uint32_t> p = rel.policy;
    std::size_t hops = 0;
    while (p && hops++ <= net.policies.size()) {
      const auto& policy = net.policies[*p];
      const auto* type = registry.find(policy.type);
      const auto it = policy.params.find("message_id");
      if (type != nullptr && type->mode == models::CompletionMode::message &&
          it != policy.params.end() && it->second.count &&
          *it->second.count >= ex.completion.messages) {
        const Node& policy_node = *root.find("policies")->find(policy.name);
        const Node* at = policy_node.find("message_id");
        diag.fail(at != nullptr ? *at : policy_node,
                  "policy '" + policy.name + "': 'message_id' " +
                      std::to_string(*it->second.count) + " is not below the " +
                      std::to_string(ex.completion.messages) + " messages of exchange '" + ex.name +
                      "', whose callers reach it through "
                      "relation '" +
                      rel.name + "' (raise that exchange's 'completion.messages')");
      }
      p = policy.fallback;
    }
  }
}

}  // namespace telsim::scenarios::detail
