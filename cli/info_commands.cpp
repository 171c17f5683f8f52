// `telsim policies` and `telsim analytic`.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "commands.hpp"
#include "telsim/analysis/erlang.hpp"
#include "telsim/analysis/erlang_a.hpp"
#include "telsim/analysis/kaufman_roberts.hpp"
#include "telsim/analysis/retrial.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/scenario_format.hpp"

namespace telsim::cli {
namespace {

/// Probabilities as fractions with at least 6 significant digits (SPEC §4).
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.10g}", v);
}

/// The largest load, to 6 significant digits, whose Erlang B blocking on `circuits` is at
/// most `target`: the root of B(n, A) = target, rounded down, so that the printed load
/// itself meets the target (SPEC §4: exact at the boundary).
std::string largest_load(std::int64_t circuits, double target) {
  if (circuits < 1) throw std::invalid_argument("--circuits must be at least 1 with --target");
  if (!(target > 0.0 && target < 1.0)) {
    throw std::invalid_argument(fmt::format("--target must be in (0, 1), got {}", target));
  }
  double high = std::max(1.0, static_cast<double>(circuits));
  while (analysis::erlang_b(circuits, high) < target) high *= 2.0;
  const double root = analysis::erlang_b_load(circuits, target, high);
  // Round down to 6 significant digits, then step down while the rounding still overshoots.
  const double unit = std::pow(10.0, std::floor(std::log10(root)) - 5.0);
  double load = std::floor(root / unit) * unit;
  while (load > 0.0 && analysis::erlang_b(circuits, load) > target) load -= unit;
  return fmt::format("{:.6g}", load);
}

/// `--class BANDWIDTH:ERLANGS`.
analysis::TrafficClass parse_class(const std::string& text) {
  const auto colon = text.find(':');
  const auto fail = [&text]() -> std::invalid_argument {
    return std::invalid_argument("--class takes BANDWIDTH:ERLANGS (e.g. 2:10.5), got '" + text +
                                 "'");
  };
  if (colon == std::string::npos) throw fail();
  analysis::TrafficClass c;
  try {
    std::size_t used = 0;
    const std::string b = text.substr(0, colon);
    const std::string e = text.substr(colon + 1);
    c.bandwidth = std::stoll(b, &used);
    if (used != b.size()) throw fail();
    c.erlangs = std::stod(e, &used);
    if (used != e.size()) throw fail();
  } catch (const std::logic_error&) {  // stoll / stod: not a number, or out of range
    throw fail();
  }
  return c;
}

/// The plug-ins of `telsim policies` and `telsim schema`: those asked for with --plugin
/// must load (false, after saying why, when one does not); with `discovered`, those merely
/// found in the search folders too, each skipped with a warning when it does not load.
bool load_plugins(const std::vector<std::string>& plugin_args, bool discovered,
                  scenarios::PluginSet& plugins, models::PolicyRegistry& registry) {
  try {
    for (const auto& p : plugin_args) plugins.load(p, std::filesystem::current_path(), registry);
  } catch (const scenarios::PluginError& e) {
    fmt::print(stderr, "--plugin: error: {}\n", e.what());
    return false;
  }
  if (!discovered) return true;
  for (const auto& file : scenarios::discover_plugins()) {
    try {
      plugins.load(file.string(), std::filesystem::current_path(), registry);
    } catch (const scenarios::PluginError& e) {
      fmt::print(stderr, "telsim: warning: skipped {}\n", e.what());
    }
  }
  return true;
}

}  // namespace

int policies_command(const std::vector<std::string>& plugin_args) {
  scenarios::PluginSet plugins;  // outlives the registry
  models::PolicyRegistry registry = models::builtin_policy_registry();
  if (!load_plugins(plugin_args, true, plugins, registry)) return exit_bad_input;

  std::string origin;
  for (const auto& type : registry.types()) {
    if (type.origin != origin) {
      origin = type.origin;
      for (const auto& p : plugins.plugins()) {
        if (p.path.string() == origin) {
          fmt::print("plug-in {} ({}): {}\n", p.name, origin, p.description);
        }
      }
    }
    fmt::print("{}: {}{}\n", type.name, type.description,
               type.mode ? fmt::format(" (TAPI mode {})", models::to_string(*type.mode)) : "");
    fmt::print("    {:<14} {:<18} {}\n", "origin", type.origin, "where the type comes from");
    fmt::print("    {:<14} {:<18} {}\n", "when", models::causes_text(type.default_when),
               "failure causes the policy acts on");
    fmt::print("    {:<14} {:<18} {}\n", "fallback", "none",
               "policy that takes over when this one cannot act");
    for (const auto& p : type.params) {
      fmt::print("    {:<14} {:<18} {}\n", p.name, p.default_text, p.help);
    }
  }
  for (const auto& preset : registry.presets()) {
    fmt::print("preset {}: {} ({})\n", preset.name, preset.type, preset.source);
  }
  return exit_ok;
}

int schema_command(const SchemaArgs& args) {
  scenarios::PluginSet plugins;  // outlives the registry
  models::PolicyRegistry registry = models::builtin_policy_registry();
  // The schema an editor uses declares every type this telsim can load, as `telsim
  // policies` lists them; the reference pages (markdown, man) keep to the built-ins.
  if (!load_plugins(args.plugins, args.format == "json", plugins, registry)) {
    return exit_bad_input;
  }
  if (args.format == "markdown") {
    fmt::print("{}", scenarios::scenario_reference_markdown(registry));
  } else if (args.format == "man") {
    fmt::print("{}", scenarios::scenario_man_page(registry));
  } else {
    fmt::print("{}\n", scenarios::scenario_json_schema(registry).dump(2));
  }
  return exit_ok;
}

int analytic_command(const AnalyticArgs& a) {
  try {
    if (a.model == "erlang-b" && a.target && a.has_load) {
      // SPEC §4: the fewest circuits whose blocking is at most B, by erlang_b's own
      // recursion, so that `--circuits N --load A` confirms it exactly.
      const auto n = analysis::erlang_b_circuits(a.load, *a.target);
      fmt::print("circuits: {}\n", *n);
    } else if (a.model == "erlang-b" && a.target) {
      fmt::print("load: {}\n", largest_load(a.circuits, *a.target));
    } else if (a.model == "erlang-b") {
      fmt::print("blocking: {}\n", number(analysis::erlang_b(a.circuits, a.load)));
    } else if (a.model == "kaufman-roberts") {
      std::vector<analysis::TrafficClass> classes;
      for (const auto& text : a.classes) classes.push_back(parse_class(text));
      const analysis::KaufmanRoberts kr = analysis::kaufman_roberts(a.circuits, classes);
      for (std::size_t k = 0; k < kr.class_blocking.size(); ++k) {
        fmt::print("class_{}_blocking: {}\n", k + 1, number(kr.class_blocking[k]));
      }
      for (std::size_t j = 0; j < kr.occupancy.size(); ++j) {
        fmt::print("occupancy_{}: {}\n", j, number(kr.occupancy[j]));
      }
    } else if (a.model == "erlang-c") {
      const analysis::ErlangC c = analysis::erlang_c(a.circuits, a.load);
      fmt::print("p_wait: {}\nmean_wait: {}\n", number(c.p_wait), number(c.mean_wait));
    } else if (a.model == "engset") {
      const analysis::Engset e = analysis::engset(a.circuits, a.sources, a.beta);
      fmt::print("time_congestion: {}\ncall_congestion: {}\ntraffic_congestion: {}\n",
                 number(e.time_congestion), number(e.call_congestion),
                 number(e.traffic_congestion));
    } else if (a.model == "erlang-a") {
      const analysis::ErlangA e =
          analysis::erlang_a(a.circuits, a.rate, a.mean_holding, a.mean_patience);
      fmt::print("p_wait: {}\np_abandon: {}\nmean_wait: {}\n", number(e.p_wait),
                 number(e.p_abandon), number(e.mean_wait));
    } else if (a.model == "retrial") {
      const analysis::Retrial r =
          analysis::retrial_queue(a.circuits, a.rate, a.mean_holding, a.mean_retrial);
      fmt::print("p_block: {}\nmean_orbit: {}\nmean_latency: {}\ncarried_erlangs: {}\n",
                 number(r.p_block), number(r.mean_orbit), number(r.mean_latency),
                 number(r.mean_busy));
    } else {
      fmt::print(stderr, "telsim: error: unknown analytic model '{}'\n", a.model);
      return exit_bad_input;
    }
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "telsim: error: analytic {}: {}\n", a.model, e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {  // e.g. a failed sparse factorisation
    fmt::print(stderr, "telsim: error: analytic {}: {}\n", a.model, e.what());
    return exit_error;
  }
  return exit_ok;
}

}  // namespace telsim::cli
