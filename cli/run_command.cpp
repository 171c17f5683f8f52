// `telsim run` and `telsim validate`.
#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "progress.hpp"
#include "signals.hpp"
#include "study_support.hpp"
#include "summary.hpp"
#include "telsim/analysis/expect.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/call_records.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/scenarios/work_estimate.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::cli {
namespace {

/// Loads the scenario for `run` and `validate`; prints the error and returns nullptr when
/// it cannot be loaded (exit 2).
std::unique_ptr<studies::Session> open_session(const std::string& file,
                                               const std::vector<std::string>& sets,
                                               const std::vector<std::string>& plugins,
                                               bool allow_plugins, unsigned threads,
                                               const std::string& command_line) {
  StudyArgs study;
  study.file = file;
  study.sets = sets;
  study.plugins = plugins;
  study.allow_plugins = allow_plugins;
  study.threads = threads;
  study.command_line = command_line;
  try {
    return std::make_unique<studies::Session>(session_options(study));
  } catch (const studies::StudyError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return nullptr;
  }
}

/// `run --timings`: one line on stderr, so that it never mixes with a summary on stdout.
void print_timings(double load, const scenarios::RunTimings& run, double write) {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
  fmt::print(stderr,
             "timings: load {:.3f} s, build {:.3f} s, simulate {:.3f} s, collect {:.3f} s, "
             "write {:.3f} s; peak memory {:.0f} MiB\n",
             load, run.build_seconds, run.simulate_seconds, run.collect_seconds, write, peak_mb);
}

}  // namespace

int run_command(const RunArgs& args) {
  std::vector<std::string> overrides = args.sets;
  // Command-line replications and seed are overrides like any --set, so the
  // resolved scenario in the results shows what was run.
  if (args.replications) overrides.push_back(fmt::format("replications={}", *args.replications));
  if (args.seed) overrides.push_back(fmt::format("seed={}", *args.seed));

  const unsigned threads = args.threads.value_or(1);
  using Clock = std::chrono::steady_clock;
  const auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  const Clock::time_point loading = Clock::now();
  const std::unique_ptr<studies::Session> session = open_session(
      args.file, overrides, args.plugins, args.allow_plugins, threads, args.command_line);
  if (!session) return exit_bad_input;
  const double load_seconds = seconds_since(loading);
  const scenarios::Scenario& scenario = session->base();
  const analysis::RunInfo info = session->provenance(threads);

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
  scenarios::RunTimings timings;
  try {
    ProgressBar bar(!args.quiet, "replications");
    scenarios::RunOptions options;
    options.threads = threads;
    options.timings = &timings;
    options.stop_signal = &stop;
    if (calls) options.call_records = &*calls;
    options.progress = [&bar](std::size_t done, std::size_t planned) {
      bar.update(static_cast<double>(done), planned);
    };
    // A single replication of minutes shows its progress (and an ETA) as it runs.
    options.progress_within = [&bar](double done, std::size_t planned) {
      bar.update(done, planned);
    };
    results = scenarios::run_scenario(scenario, session->registry(), options);
    // Streamed into the file rather than held: a national network's resolved
    // scenario took 50 MB as a tree, at the run's peak.
    const models::PolicyRegistry& registry = session->registry();
    results.write_scenario = [&scenario, &registry](analysis::JsonWriter& json) {
      scenarios::write_resolved_scenario(scenario, registry, json);
    };
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
  const Clock::time_point writing = Clock::now();
  try {
    // The records first (the long part, stopped by a signal), renamed into place last.
    if (calls) calls->assemble(&stop);
    analysis::write_results_file(out, results);
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

  if (args.timings) print_timings(load_seconds, timings, seconds_since(writing));
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
                     const std::vector<std::string>& plugin_args, bool allow_plugins,
                     bool print_resolved) {
  const std::unique_ptr<studies::Session> session =
      open_session(file, sets, plugin_args, allow_plugins, 1, "");
  if (!session) return exit_bad_input;
  const scenarios::Scenario& s = session->base();
  if (print_resolved) {
    // The scenario as `run` records it in its results (`scenario`), defaults filled in.
    fmt::print("{}\n", scenarios::resolved_scenario_json(s, session->registry()).dump(2));
    return exit_ok;
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
