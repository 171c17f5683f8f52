// `telsim run` and `telsim validate`.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "progress.hpp"
#include "provenance.hpp"
#include "scenario_loading.hpp"
#include "signals.hpp"
#include "summary.hpp"
#include "telsim/analysis/expect.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/call_records.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/scenarios/work_estimate.hpp"

namespace telsim::cli {
namespace {

int report_interrupt(int signal) {
  fmt::print(stderr, "telsim: interrupted (signal {}); nothing was written\n", signal);
  return signal == 15 ? exit_sigterm : exit_sigint;
}

}  // namespace

int run_command(const RunArgs& args) {
  std::vector<std::string> overrides = args.sets;
  // Command-line replications and seed are overrides like any --set, so the
  // resolved scenario in the results shows what was run.
  if (args.replications) overrides.push_back(fmt::format("replications={}", *args.replications));
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));

  scenarios::PluginSet plugins;  // outlives the registry and every run made from it
  models::PolicyRegistry registry;
  scenarios::Scenario scenario;
  if (const auto failed = load_with_plugins(args.file, args.plugins, args.allow_plugins, overrides,
                                            plugins, registry, scenario)) {
    return *failed;
  }

  analysis::RunInfo info;
  info.version = TELSIM_VERSION;
  info.commit = build_commit();
  info.scenario_sha256 = sha256_of_file(args.file);
  info.command_line = args.command_line;
  info.started_at = utc_now_iso8601();
  info.threads = static_cast<int>(args.threads.value_or(1));

  // --calls streams to temporary files during the run: created now, so that an
  // unwritable folder fails before any simulation; removed on every way out.
  std::optional<scenarios::CallRecordFile> calls;
  if (args.calls) {
    try {
      calls.emplace(*args.calls);
    } catch (const std::exception& e) {
      fmt::print(stderr, "telsim: error: {}\n", e.what());
      return exit_error;
    }
  }

  const std::atomic<int>& stop = install_stop_handlers();
  analysis::RunResults results;
  try {
    ProgressBar bar(!args.quiet, "replications");
    scenarios::RunOptions options;
    options.threads = args.threads.value_or(1);
    options.stop_signal = &stop;
    if (calls) options.call_records = &*calls;
    options.progress = [&bar](std::size_t done, std::size_t planned) { bar.update(done, planned); };
    results = scenarios::run_scenario(scenario, registry, options);
    results.scenario = scenarios::resolved_scenario_json(scenario, registry);
    results.run = info;
  } catch (const scenarios::Interrupted& e) {
    return report_interrupt(e.signal());
  } catch (const scenarios::LimitExceeded& e) {
    fmt::print(stderr, "telsim: error: {}: {}\n", args.file, e.what());
    return exit_error;
  } catch (const std::exception& e) {
    fmt::print(stderr, "telsim: error: {}: {}\n", args.file, e.what());
    return exit_error;
  }
  if (stop.load() != 0) return report_interrupt(stop.load());

  const std::vector<analysis::CheckResult> checks =
      analysis::evaluate(scenario.expect, results.metrics);
  const std::filesystem::path out = args.out
                                        ? std::filesystem::path(*args.out)
                                        : std::filesystem::path(scenario.name + ".results.json");
  try {
    // The records first (the long part, stopped by a signal), renamed into place last.
    if (calls) calls->assemble(&stop);
    analysis::write_file_atomically(out, analysis::to_json(results).dump(2) + "\n");
    if (args.csv) analysis::write_csv(*args.csv, results);
    if (args.junit) {
      analysis::write_file_atomically(
          *args.junit, analysis::junit_xml(scenario.name, checks, results.engine.wall_seconds));
    }
    if (calls) calls->commit();
  } catch (const scenarios::Interrupted& e) {
    return report_interrupt(e.signal());
  } catch (const std::exception& e) {
    fmt::print(stderr, "telsim: error: {}\n", e.what());
    return exit_error;
  }

  if (!args.quiet) {
    print_summary(stdout, scenario, results);
    print_checks(stdout, checks);
    fmt::print("\nresults: {}\n", out.string());
    if (calls) fmt::print("calls: {}\n", calls->target().string());
  }
  bool failed = false;
  for (const auto& c : checks) {
    if (!c.passed) {
      failed = true;
      if (args.quiet) fmt::print(stderr, "telsim: expect failed: {}\n", c.message);
    }
  }
  return failed ? exit_expect_failed : exit_ok;
}

int validate_command(const std::string& file, const std::vector<std::string>& sets,
                     const std::vector<std::string>& plugin_args, bool allow_plugins) {
  scenarios::PluginSet plugins;
  models::PolicyRegistry registry;
  scenarios::Scenario s;
  if (const auto failed =
          load_with_plugins(file, plugin_args, allow_plugins, sets, plugins, registry, s)) {
    return *failed;
  }
  fmt::print(
      "{}: ok: scenario '{}': {} exchanges, {} populations, {} trunk groups, {} relations, {} "
      "policies\n",
      file, s.name, s.network.exchanges.size(), s.network.populations.size(),
      s.network.trunk_groups.size(), s.network.relations.size(), s.network.policies.size());
  // SPEC §4: the estimate of the work, for `run`'s default threads (all cores).
  const auto estimate =
      scenarios::estimate_work(s, std::max(1u, std::thread::hardware_concurrency()));
  fmt::print("{}", scenarios::describe_estimate(estimate, scenarios::max_memory_bytes(s)));
  return exit_ok;
}

}  // namespace telsim::cli
