// The top-level keys that say how to run a scenario, rather than what the
// network is: format version, name, seed, replications, warm-up, duration,
// precision, limits, engine, plug-ins and expect checks.
#include <algorithm>
#include <limits>
#include <string>

#include "loader_sections.hpp"
#include "loader_values.hpp"
#include "recorder.hpp"
#include "yaml_checks.hpp"

namespace telsim::scenarios::detail {
namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t size_max = std::numeric_limits<std::size_t>::max();

PrecisionSpec read_precision(const Node& node, std::size_t replications, const Diagnostics& diag) {
  const Scope scope{"", "precision"};
  check_map(node, scope, declared_keys("precision"), diag);
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

void read_limits(const Node& node, Scenario& scenario, const Diagnostics& diag) {
  const Scope scope{"", "limits"};
  check_map(node, scope, declared_keys("limits"), diag);
  sim::RunLimits& limits = scenario.limits;
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
  // Bytes for the whole run (all threads), or auto: half the physical memory.
  if (const Node* m = node.find("max_memory")) {
    if (m->is_scalar() && m->scalar == "auto") {
      scenario.max_memory = std::nullopt;
    } else if (!parse_number(*m)) {
      diag.fail(*m,
                "'limits.max_memory' must be a number of bytes >= 1 (e.g. 8e9) or 'auto', "
                "got " +
                    got(*m));
    } else {
      scenario.max_memory = read_integer(*m, "max_memory", scope, diag, 1, u64_max);
    }
  }
}

// `engine: {event_set: auto|heap|ladder}`: which pending-event set the
// scheduler uses. It never changes the results (every set gives the same
// event order); `auto` picks by the number of pending events.
sim::EventSetMode read_engine(const Node& node, const Diagnostics& diag) {
  const Scope scope{"", "engine"};
  check_map(node, scope, declared_keys("engine"), diag);
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
  check_map(node, scope, declared_keys("expect"), diag);
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
  // What must lie within min/max: the mean, or the whole 95% interval around it.
  if (const Node* b = node.find("bound")) {
    const std::string v = require_string(*b, "bound", scope, diag);
    if (v == "ci") {
      check.bound = analysis::ExpectBound::ci;
    } else if (v != "mean") {
      diag.fail(*b,
                "'expect.bound' must be mean or ci (the whole 95% interval within min/max), "
                "got " +
                    got(*b) + did_you_mean(v, {"mean", "ci"}));
    }
  }
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

// The sections of the results file whose leaves are statistics (SPEC §5),
// with what names an entry of each and the scenario's names there.
struct MetricSection {
  std::string_view section;
  std::string_view noun;
  std::vector<std::string> names;
};

/// Checks that `metric` (already a well-formed results path) is a statistic
/// this scenario's results hold: one of `paths` (detail::metric_paths). The
/// error, at `node` (the metric value), says which part is unknown and
/// suggests the nearest name: the section, then the group, relation or
/// policy instance, then the figure below it.
void check_metric_exists(const Node& node, const std::string& metric, std::string_view key,
                         const Scenario& scenario, const analysis::MetricPaths& paths,
                         const Diagnostics& diag) {
  if (std::find(paths.begin(), paths.end(), metric) != paths.end()) return;
  const std::string lead = "'" + std::string(key) + "' '" + metric + "': ";
  const auto& net = scenario.network;
  const std::vector<MetricSection> sections = {
      {"trunk_groups", "trunk group", names_of(net.trunk_groups)},
      {"traffic", "relation", names_of(net.relations)},
      {"policies", "policy instance", names_of(net.policies)}};
  const std::size_t dot = metric.find('.');
  const std::string section = metric.substr(0, dot);
  const auto in = std::find_if(sections.begin(), sections.end(),
                               [&](const MetricSection& s) { return s.section == section; });
  if (in == sections.end()) {
    std::string hint = did_you_mean(section, {"trunk_groups", "traffic", "policies"});
    if (hint.empty()) hint = " (a check names a statistic under trunk_groups, traffic or policies)";
    diag.fail(node, lead + "unknown section '" + section + "'" + hint);
  }
  const std::size_t dot2 = metric.find('.', dot + 1);
  const std::string object =
      metric.substr(dot + 1, dot2 == std::string::npos ? dot2 : dot2 - dot - 1);
  if (std::find(in->names.begin(), in->names.end(), object) == in->names.end()) {
    std::string hint = did_you_mean(object, in->names, true);
    if (in->names.empty()) hint = " (the scenario has none under '" + section + "')";
    diag.fail(node, lead + "unknown " + std::string(in->noun) + " '" + object + "'" + hint);
  }
  const std::string owner = std::string(in->noun) + " '" + object + "'";
  // The figures of this object, as the recorder writes them: "calls",
  // "first_attempt_failure.busy", "requests.refused", ...
  const std::string prefix = section + "." + object + ".";
  std::vector<std::string> figures;
  for (const auto& p : paths) {
    if (p.rfind(prefix, 0) == 0) figures.push_back(p.substr(prefix.size()));
  }
  if (dot2 == std::string::npos) {
    diag.fail(node, lead + "names " + owner + ", not one of its figures, e.g. '" + prefix +
                        figures.front() + "'");
  }
  const std::string figure = metric.substr(dot2 + 1);
  // A group of figures ("outcome") rather than one of them.
  std::vector<std::string> members;
  for (const auto& f : figures) {
    if (f.rfind(figure + ".", 0) == 0) members.push_back(f);
  }
  if (!members.empty()) {
    diag.fail(node, lead + "'" + figure + "' of " + owner +
                        " is a group of figures, not one: name one of " + join(members));
  }
  // The two leaves there that are not statistics (SPEC §5).
  if (figure == "completion_latency_histogram" || (section == "policies" && figure == "type")) {
    diag.fail(node, lead + "'" + figure + "' of " + owner +
                        (figure == "type" ? " is its policy type, not a statistic"
                                          : " is a histogram, not a statistic (a check compares "
                                            "a statistic's mean, e.g. 'completion_latency.p90')"));
  }
  std::string hint = did_you_mean(figure, figures);
  // Below a figure that is itself a statistic ("calls.mean"): the check uses its mean.
  for (const auto& f : figures) {
    if (hint.empty() && figure.rfind(f + ".", 0) == 0) hint = " (did you mean '" + f + "'?)";
  }
  // Right name at the wrong level ("busy" for "first_attempt_failure.busy").
  const std::string last = figure.substr(figure.rfind('.') + 1);
  for (const auto& f : figures) {
    if (hint.empty() && f.size() > last.size() &&
        f.compare(f.size() - last.size() - 1, std::string::npos, "." + last) == 0) {
      hint = " (did you mean '" + f + "'?)";
    }
  }
  if (hint.empty()) {
    // Name the figures, a group once ("outcome.*").
    std::vector<std::string> listed;
    for (const auto& f : figures) {
      const std::size_t d = f.find('.');
      const std::string shown = d == std::string::npos ? f : f.substr(0, d) + ".*";
      if (std::find(listed.begin(), listed.end(), shown) == listed.end()) listed.push_back(shown);
    }
    hint = " (the figures of a " + std::string(in->noun) + ": " + join(listed) + ")";
  }
  diag.fail(node, lead + "unknown figure '" + figure + "' of " + owner + hint);
}

}  // namespace

void check_metric_paths(const Node& root, const Scenario& scenario, const Diagnostics& diag) {
  if (!scenario.precision && scenario.expect.empty()) return;
  const analysis::MetricPaths paths = metric_paths(scenario);
  if (scenario.precision) {
    const Node& metric = *root.find("precision")->find("metric");
    check_metric_exists(metric, scenario.precision->metric, "precision.metric", scenario, paths,
                        diag);
  }
  const Node* expect = root.find("expect");
  for (std::size_t i = 0; i < scenario.expect.size(); ++i) {
    check_metric_exists(*expect->items[i].find("metric"), scenario.expect[i].metric,
                        "expect.metric", scenario, paths, diag);
  }
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
  if (const Node* l = root.find("limits")) read_limits(*l, scenario, diag);
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
