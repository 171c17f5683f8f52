// The top-level keys that say how to run a scenario, rather than what the
// network is: format version, name, seed, replications, warm-up, duration,
// precision, limits, engine, plug-ins and expect checks.
#include <algorithm>
#include <limits>
#include <string>

#include "loader_sections.hpp"
#include "loader_values.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t size_max = std::numeric_limits<std::size_t>::max();

PrecisionSpec read_precision(const Node& node, std::size_t replications, const Diagnostics& diag) {
  const Scope scope{"", "precision"};
  check_map(node, scope, {"metric", "relative", "max_replications"}, diag);
  PrecisionSpec p;
  const Node& metric = require_key(node, "metric", scope, diag);
  p.metric = require_string(metric, "metric", scope, diag);
  if (!is_results_path(p.metric)) {
    diag.fail(metric,
              "'precision.metric' must be a results path such as "
              "'trunk_groups.AB.call_blocking', got '" +
                  p.metric + "'");
  }
  if (const Node* r = node.find("relative")) {
    p.relative = read_number(*r, "relative", scope, diag, {0.0, true, 1e300});
  }
  // The default leaves room for sequential stopping however many
  // replications the scenario starts with.
  p.max_replications = std::max<std::size_t>(p.max_replications, replications);
  if (const Node* m = node.find("max_replications")) {
    p.max_replications = read_integer(*m, "max_replications", scope, diag, 1, size_max);
    if (p.max_replications < replications) {
      diag.fail(*m, "'precision.max_replications' must be at least 'replications' (" +
                        std::to_string(replications) + "), got " + got(*m));
    }
  }
  return p;
}

sim::RunLimits read_limits(const Node& node, const Diagnostics& diag) {
  const Scope scope{"", "limits"};
  check_map(node, scope, {"max_events", "max_pending"}, diag);
  sim::RunLimits limits;
  if (const Node* e = node.find("max_events")) {
    // Every event run was scheduled once, and the engine orders at most 2^44
    // scheduled events per replication: a larger limit could never trip.
    const auto x = parse_number(*e);
    if (x && *x > static_cast<double>(sim::max_events_limit)) {
      diag.fail(*e, "'limits.max_events' must be an integer from 1 to " +
                        std::to_string(sim::max_events_limit) +
                        " (2^44 - 1, the most events one replication can order), got " + got(*e));
    }
    limits.max_events = read_integer(*e, "max_events", scope, diag, 1, sim::max_events_limit);
  }
  if (const Node* p = node.find("max_pending")) {
    limits.max_pending = read_integer(*p, "max_pending", scope, diag, 1, u64_max);
  }
  return limits;
}

// `engine: {event_set: auto|heap|ladder}`: which pending-event set the
// scheduler uses. It never changes the results (every set gives the same
// event order); `auto` picks by the number of pending events.
sim::EventSetMode read_engine(const Node& node, const Diagnostics& diag) {
  const Scope scope{"", "engine"};
  check_map(node, scope, {"event_set"}, diag);
  sim::EventSetMode mode = sim::EventSetMode::automatic;
  if (const Node* e = node.find("event_set")) {
    const std::string v = require_string(*e, "event_set", scope, diag);
    if (v == "heap") {
      mode = sim::EventSetMode::heap;
    } else if (v == "ladder") {
      mode = sim::EventSetMode::ladder;
    } else if (v != "auto") {
      diag.fail(*e, "'engine.event_set' must be auto, heap or ladder, got " + got(*e) +
                        did_you_mean(v, {"auto", "heap", "ladder"}));
    }
  }
  return mode;
}

analysis::ExpectCheck read_expect(const Node& node, const Diagnostics& diag) {
  const Scope scope{"", "expect"};
  check_map(node, scope, {"metric", "min", "max"}, diag);
  analysis::ExpectCheck check;
  const Node& metric = require_key(node, "metric", scope, diag);
  check.metric = require_string(metric, "metric", scope, diag);
  if (!is_results_path(check.metric)) {
    diag.fail(metric,
              "'expect.metric' must be a results path such as "
              "'trunk_groups.AB.call_blocking', got '" +
                  check.metric + "'");
  }
  const NumberRange any{-1e300, false, 1e300};
  if (const Node* m = node.find("min")) check.min = read_number(*m, "min", scope, diag, any);
  if (const Node* m = node.find("max")) check.max = read_number(*m, "max", scope, diag, any);
  if (!check.min && !check.max) {
    diag.fail(node, "expect check on '" + check.metric + "' needs 'min', 'max' or both");
  }
  if (check.min && check.max && *check.min > *check.max) {
    diag.fail(*node.find("max"), "expect check on '" + check.metric + "': 'max' (" +
                                     node.find("max")->scalar + ") is below 'min' (" +
                                     node.find("min")->scalar + ")");
  }
  return check;
}

}  // namespace

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> keys = {
      "telsim",    "name",     "seed",      "replications", "warmup",       "duration",
      "precision", "limits",   "exchanges", "subscribers",  "trunk_groups", "routes",
      "traffic",   "policies", "plugins",   "expect",       "engine"};
  return keys;
}

void load_run_settings(const Node& root, Scenario& scenario, const Diagnostics& diag) {
  const Scope top;
  const Node& version = require_key(root, "telsim", top, diag);
  const auto v = parse_number(version);
  if (!v || *v != 1.0) {
    diag.fail(version, "unsupported format version " + got(version) +
                           " in 'telsim' (this telsim reads version 1)");
  }
  scenario.version = 1;
  const Node& name = require_key(root, "name", top, diag);
  scenario.name = require_string(name, "name", top, diag);
  // The name makes the default results file name, in the current folder.
  if (!is_valid_name(scenario.name)) {
    diag.fail(name,
              "scenario 'name' may hold only letters, digits, '_' and '-' (it names the "
              "results file), got " +
                  got(name));
  }
  if (const Node* s = root.find("seed")) {
    scenario.seed = read_integer(*s, "seed", top, diag, 0, u64_max);
  }
  if (const Node* r = root.find("replications")) {
    scenario.replications = read_integer(*r, "replications", top, diag, 1, size_max);
  }
  if (const Node* w = root.find("warmup")) {
    if (w->is_scalar() && w->scalar == "auto") {
      scenario.warmup = std::nullopt;
    } else if (!parse_number(*w)) {
      diag.fail(*w, "'warmup' must be a number of seconds >= 0 or 'auto', got " + got(*w));
    } else {
      scenario.warmup = read_seconds(*w, "warmup", top, diag, false);
    }
  }
  scenario.duration =
      read_seconds(require_key(root, "duration", top, diag), "duration", top, diag, true);
  if (const Node* p = root.find("precision")) {
    scenario.precision = read_precision(*p, scenario.replications, diag);
  }
  if (const Node* l = root.find("limits")) scenario.limits = read_limits(*l, diag);
  if (const Node* e = root.find("engine")) scenario.limits.event_set = read_engine(*e, diag);
}

void load_plugins_and_expect(const Node& root, Scenario& scenario, const Diagnostics& diag) {
  const Scope top;
  if (const Node* plugins = root.find("plugins")) {
    require_sequence(*plugins, "plugins", top, diag);
    for (const auto& p : plugins->items) {
      scenario.plugins.push_back(require_string(p, "plugins", top, diag));
    }
  }
  if (const Node* expect = root.find("expect")) {
    require_sequence(*expect, "expect", top, diag);
    for (const auto& item : expect->items) scenario.expect.push_back(read_expect(item, diag));
  }
}

}  // namespace telsim::scenarios::detail
