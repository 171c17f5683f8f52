// `telsim sweep` (SPEC §4): parse, call studies::run_sweep, print.
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "progress.hpp"
#include "signals.hpp"
#include "study_support.hpp"
#include "telsim/studies/study_error.hpp"
#include "telsim/studies/sweep.hpp"

namespace telsim::cli {

int sweep_command(const SweepArgs& args) {
  // Installed first: a signal while the points load must not kill the process.
  const std::atomic<int>& stop = install_stop_handlers();
  const std::unique_ptr<studies::Workers> workers = make_workers();
  studies::SweepOptions options;
  options.vary = args.vary;
  options.out = args.out;
  options.resume = args.resume;
  if (args.junit) options.junit = *args.junit;
  studies::SweepReport report;
  if (const auto failed = guarded(args.study.file, [&] {
        ProgressBars bars(!args.study.quiet);  // cleared before guarded prints an error
        options.progress = [&](std::size_t done, std::size_t total) {
          bars.update("points", static_cast<double>(done), total);
        };
        const std::unique_ptr<studies::Session> session =
            studies::open_session(session_options(args.study), *workers);
        report = studies::run_sweep(*session, options, *workers, stop);
      })) {
    return *failed;
  }
  if (!workers->is_root()) return exit_ok;

  for (const auto& point : report.points) {
    std::size_t passed = 0;
    for (const auto& c : point.checks) passed += c.passed ? 1 : 0;
    if (args.study.quiet) {
      for (const auto& c : point.checks) {
        if (!c.passed) {
          fmt::print(stderr, "telsim: expect failed: point {} ({}): {}\n", point.name, point.values,
                     c.message);
        }
      }
      continue;
    }
    const std::string verdict =
        point.checks.empty() ? std::string("done")
                             : fmt::format("checks {}/{} passed", passed, point.checks.size());
    fmt::print("{}  {}  {}  ({:.1f} s)\n", point.name, point.values, verdict, point.wall_seconds);
    for (const auto& c : point.checks) {
      if (!c.passed) fmt::print("      FAILED {}\n", c.message);
    }
  }
  if (!args.study.quiet) {
    const auto& out = report.out;
    fmt::print("\n{} points: {}/points/NNNN.json\nsummaries: {}, {}, {}\n", report.points.size(),
               out.string(), (out / "summary.csv").string(), (out / "summary.json").string(),
               (out / "results.sqlite").string());
    if (args.junit) fmt::print("JUnit report: {}\n", *args.junit);
  }
  return report.any_check_failed() ? exit_expect_failed : exit_ok;
}

}  // namespace telsim::cli
