// `telsim compare FILE --vary KEY=V1,V2,... [--out compare.json]`: parse, call
// studies::run_comparison, write compare.json, print the table.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "progress.hpp"
#include "signals.hpp"
#include "study_support.hpp"
#include "telsim/analysis/metric_catalog.hpp"
#include "telsim/analysis/paired.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/studies/compare.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::cli {
namespace {

using analysis::Better;

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The metrics the table shows: each trunk group's call_blocking, each relation's
/// completion_ratio, completion latency mean and p95, and completed fraction.
bool of_interest(const std::string& path) {
  if (path.rfind("trunk_groups.", 0) == 0) return ends_with(path, ".call_blocking");
  if (path.rfind("traffic.", 0) == 0) {
    return ends_with(path, ".completion_ratio") || ends_with(path, ".completion_latency.mean") ||
           ends_with(path, ".completion_latency.p95") || ends_with(path, ".outcome.completed");
  }
  return false;
}

void print_table(const studies::VaryAxis& vary,
                 const std::vector<studies::Alternative>& alternatives) {
  const auto& first = alternatives.front().results.metrics;
  std::size_t width = 4;
  for (const auto& a : alternatives) width = std::max(width, a.value.size());
  fmt::print(
      "compare {} ({} replications each, common random numbers; Δ = difference to {}, "
      "paired 95% CI; * = significant)\n",
      vary.key, alternatives.front().results.replications, alternatives.front().value);
  for (const auto& path : first.paths()) {
    if (!of_interest(path)) continue;
    const Better better = analysis::better_direction(path);
    fmt::print("\n{}{}\n", path,
               better == Better::lower    ? " (lower is better)"
               : better == Better::higher ? " (higher is better)"
                                          : "");
    std::optional<std::size_t> best;
    std::optional<double> best_mean;
    bool best_significant = false;
    bool best_paired = false;  // the best has a paired difference to the first
    bool all_equal = true;
    std::optional<double> first_mean;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      const auto& metrics = alternatives[i].results.metrics;
      if (!metrics.contains(path)) {
        fmt::print("  {:<{}}  n/a\n", alternatives[i].value, width);
        continue;
      }
      const analysis::Statistic s = metrics.statistic(path);
      std::string line = fmt::format("  {:<{}}  {:<22}", alternatives[i].value, width,
                                     format_estimate(s.mean, s.ci95));
      bool significant = false;
      bool paired = false;
      if (s.mean) {
        if (first_mean && *first_mean != *s.mean) all_equal = false;
        if (!first_mean) first_mean = s.mean;
      }
      if (i > 0) {
        const analysis::Statistic d =
            analysis::paired_difference(metrics.values(path), first.values(path));
        significant = analysis::excludes_zero(d);
        paired = d.mean.has_value();
        std::string verdict;
        if (significant && better != Better::neither) {
          const bool is_better = (better == Better::lower) == (*d.mean < 0);
          verdict = is_better ? " better" : " worse";
        }
        line += fmt::format("  Δ {}{}{}{}", d.mean && *d.mean > 0 ? "+" : "",
                            format_estimate(d.mean, d.ci95), significant ? " *" : "", verdict);
      }
      line.erase(line.find_last_not_of(' ') + 1);
      fmt::print("{}\n", line);
      if (s.mean && better != Better::neither &&
          (!best_mean || (better == Better::lower ? *s.mean < *best_mean : *s.mean > *best_mean))) {
        best = i;
        best_mean = s.mean;
        best_significant = significant;
        best_paired = paired;
      }
    }
    if (best && alternatives.size() > 1) {
      if (all_equal) {
        fmt::print("  all equal\n");
      } else if (*best == 0) {
        fmt::print("  best: {} (the first)\n", alternatives[0].value);
      } else {
        fmt::print("  best: {}{}\n", alternatives[*best].value,
                   best_significant ? ""
                   : best_paired
                       ? fmt::format(" (not significantly better than {})", alternatives[0].value)
                       : fmt::format(" ({} has no data to compare with)", alternatives[0].value));
      }
    }
  }
}

}  // namespace

int compare_command(const CompareArgs& args) {
  const std::atomic<int>& stop = install_stop_handlers();
  const std::unique_ptr<studies::Workers> workers = make_workers();
  studies::Comparison comparison;
  const std::filesystem::path out(args.out.value_or("compare.json"));
  if (const auto failed = guarded(args.study.file, [&] {
        const std::unique_ptr<studies::Session> session =
            studies::open_session(session_options(args.study), *workers);
        const studies::PreparedComparison prepared =
            studies::prepare_comparison(*session, args.vary);
        if (prepared.seeds_differ && !args.study.quiet) {
          fmt::print(stderr,
                     "telsim: note: the alternatives have different seeds: their differences are "
                     "unpaired (valid, but without the gain of common random numbers)\n");
        }
        {
          ProgressBars bars(!args.study.quiet);  // cleared before anything else is printed
          comparison = studies::run_comparison(
              *session, prepared, *workers, stop,
              [&](const std::string& alternative, std::size_t done, std::size_t planned) {
                bars.update(fmt::format("replications ({})", alternative),
                            static_cast<double>(done), planned);
              });
        }
        if (workers->is_root()) {
          try {
            analysis::write_file_atomically(out,
                                            studies::comparison_json(comparison).dump(2) + "\n");
          } catch (const std::exception& e) {
            throw studies::StudyError(exit_error, fmt::format("telsim: error: {}", e.what()));
          }
        }
      })) {
    return *failed;
  }
  if (!args.study.quiet && workers->is_root()) {
    print_table(comparison.vary, comparison.alternatives);
    fmt::print("\ncomparison: {}\n", out.string());
  }
  return exit_ok;
}

}  // namespace telsim::cli
