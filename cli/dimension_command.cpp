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
#include "telsim/studies/dimension_network.hpp"

namespace telsim::cli {
namespace {

std::string sizes_text(const std::vector<std::string>& groups,
                       const std::vector<std::int64_t>& circuits) {
  std::string out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (g > 0) out += ", ";
    out += fmt::format("{} {}", groups[g], circuits[g]);
  }
  return out;
}

/// `--all`: the network's trail, then one `NAME: N circuits (METRIC mean ± ci95)` per group.
int dimension_all(const DimensionArgs& args) {
  const std::atomic<int>& stop = install_stop_handlers();
  const std::unique_ptr<studies::Workers> workers = make_workers();
  const bool quiet = args.study.quiet;
  ProgressBars bars(!quiet);
  std::vector<std::string> groups;
  std::vector<std::string> paths;
  studies::DimensionTarget target;

  studies::NetworkTrail trail;
  trail.progress = [&](std::size_t done, std::size_t planned) {
    bars.update("replications", static_cast<double>(done), planned);
  };
  trail.started = [&](const std::vector<std::int64_t>& circuits, const std::string& how) {
    if (quiet) return;
    fmt::print("start: {}: {}\n", how, sizes_text(groups, circuits));
  };
  trail.judged = [&](const studies::NetworkCandidate& c) {
    bars.finish();
    if (quiet) return;
    std::string failing;
    for (std::size_t k = 0; k < c.statistics.size(); ++k) {
      const auto& st = c.statistics[k];
      if (!st.mean || target.met_by(*st.mean)) continue;
      failing += fmt::format("{}{} {}", failing.empty() ? "" : ", ", paths[k],
                             format_estimate(st.mean, st.ci95));
    }
    fmt::print("  {}: {}: {}{}\n", c.why, sizes_text(groups, c.circuits),
               c.meets ? "meets" : "does not meet",
               failing.empty() ? std::string() : " (" + failing + ")");
    std::fflush(stdout);
  };

  studies::NetworkSizing result;
  if (const auto failed = guarded(args.study.file, [&] {
        const std::unique_ptr<studies::Session> session =
            studies::open_session(session_options(args.study), *workers);
        for (const auto& g : session->base().network.trunk_groups) groups.push_back(g.name);
        // The paths the search judges, for the trail: one per group or one for all.
        target = studies::parse_dimension_target(
            args.target, groups.empty() ? std::string("?") : groups.front());
        if (target.metric.find('.') == std::string::npos) {
          for (const auto& g : groups) paths.push_back(g + "." + target.metric);
        } else {
          paths.push_back(target.metric);
        }
        try {
          result = studies::dimension_network(*session, args.target, *workers, stop, trail);
        } catch (...) {
          bars.finish();
          throw;
        }
      })) {
    return *failed;
  }
  if (!quiet) {
    fmt::print(
        "{} network runs; no group can lose a circuit: each of the {} runs with one "
        "group one circuit smaller misses the target\n",
        result.simulations, result.one_smaller.size());
  }
  for (std::size_t g = 0; g < result.groups.size(); ++g) {
    // The group's own metric, or the network's one target.
    const auto& st = result.answer.statistics[result.paths.size() == 1 ? 0 : g];
    fmt::print("{}: {} circuits ({} {})\n", result.groups[g], result.answer.circuits[g],
               target.metric, format_estimate(st.mean, st.ci95));
  }
  return exit_ok;
}

}  // namespace

int dimension_command(const DimensionArgs& args) {
  if (args.all) return dimension_all(args);
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
