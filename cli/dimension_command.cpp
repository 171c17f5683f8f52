// `telsim dimension FILE --trunk-group NAME --target METRIC<=VALUE | METRIC>=VALUE`:
// parse, call studies::dimension_trunk_group, print its decision trail as it comes.
// How the search decides: studies/src/dimension.cpp.
// Prints each size tried with its mean ± ci95 and replications, then the last line
// `NAME: N circuits (METRIC mean ± ci95)`. Writes no file.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "progress.hpp"
#include "signals.hpp"
#include "study_support.hpp"
#include "telsim/studies/dimension.hpp"

namespace telsim::cli {

int dimension_command(const DimensionArgs& args) {
  const std::atomic<int>& stop = install_stop_handlers();
  const std::unique_ptr<studies::Workers> workers = make_workers();
  const bool quiet = args.study.quiet;
  const std::string& group = args.trunk_group;
  studies::DimensionTarget target;
  ProgressBars bars(!quiet);  // a new bar for each run; cleared before each line printed

  studies::DimensionTrail trail;
  trail.progress = [&](std::int64_t circuits, std::size_t done, std::size_t planned) {
    bars.update(fmt::format("replications ({} circuits)", circuits), static_cast<double>(done),
                planned);
  };
  trail.load_measured = [&](const studies::OfferedLoad& load) {
    bars.finish();
    if (quiet) return;
    fmt::print("{}: at {} circuits: carried {} Erlang, call blocking {}: offered {} Erlang{}\n",
               group, load.circuits, format_number(load.carried), format_number(load.blocking),
               format_number(load.offered),
               load.sources ? fmt::format(" from {} sources (Engset, beta {})", *load.sources,
                                          format_number(load.beta))
                            : std::string());
  };
  trail.search_started = [&](const studies::SearchStart& start) {
    if (quiet) return;
    fmt::print("{}: {}; searching by simulation ({} to {} replications per size)\n", group,
               start.estimate ? start.how
                              : fmt::format("no analytic estimate for {}: starting from {} "
                                            "circuits",
                                            target.metric, start.circuits),
               start.replications, start.max_replications);
  };
  trail.decided = [&](const studies::SizeDecision& d) {
    bars.finish();
    if (quiet) return;
    fmt::print("  {:>5} circuits: {} {} ({} replications): {}{}\n", d.circuits, target.metric,
               format_estimate(d.statistic.mean, d.statistic.ci95), d.replications,
               d.meets ? "meets" : "does not meet",
               d.on_mean_only ? " (target inside the CI at the replication cap: decided on "
                                "the mean)"
                              : "");
    std::fflush(stdout);
  };

  studies::DimensionResult result;
  if (const auto failed = guarded(args.study.file, [&] {
        target = studies::parse_dimension_target(args.target, group);
        const std::unique_ptr<studies::Session> session =
            studies::open_session(session_options(args.study), *workers);
        try {
          result = studies::dimension_trunk_group(*session, group, target, *workers, stop, trail);
        } catch (...) {
          bars.finish();  // before guarded prints the error
          throw;
        }
      })) {
    return *failed;
  }
  fmt::print("{}: {} circuits ({} {})\n", group, result.circuits, target.metric,
             format_estimate(result.decision.statistic.mean, result.decision.statistic.ci95));
  return exit_ok;
}

}  // namespace telsim::cli
