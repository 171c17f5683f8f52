// `telsim compare FILE --vary KEY=V1,V2,... [--out compare.json]`: parse, call
// studies::run_comparison, write compare.json, print the table.
#include <fmt/format.h>
#include <fmt/ranges.h>

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

/// What the table says of a pair, b against a.
std::string verdict_text(const studies::PairDifference& d,
                         const std::vector<studies::Alternative>& alternatives) {
  const std::string& a = alternatives[d.a].value;
  const std::string& b = alternatives[d.b].value;
  switch (d.verdict) {
    case studies::Verdict::b_better:
      return b + " better than " + a;
    case studies::Verdict::b_worse:
      return b + " worse than " + a;
    case studies::Verdict::significant:
      return "significant difference";
    case studies::Verdict::no_significant_difference:
      break;
  }
  if (!d.difference.mean) return "no data to compare (no replication where both have data)";
  if (!d.difference.ci95) return "no significant difference (one paired replication: no CI)";
  return "no significant difference";
}

void print_table(const studies::Comparison& comparison, bool seeds_differ) {
  const auto& alternatives = comparison.alternatives;
  const auto pair_label = [&](std::size_t a, std::size_t b) {
    return alternatives[b].value + " - " + alternatives[a].value;
  };
  std::size_t width = 4;
  for (const auto& a : alternatives) width = std::max(width, a.value.size());
  for (const auto& [a, b] : studies::alternative_pairs(alternatives.size())) {
    width = std::max(width, pair_label(a, b).size());
  }
  // Sequential stopping (precision:) may give the alternatives different counts.
  std::string replications;
  bool same_count = true;
  for (const auto& a : alternatives) {
    same_count = same_count && a.results.replications == alternatives.front().results.replications;
  }
  if (same_count) {
    replications = fmt::format("{} replications each", alternatives.front().results.replications);
  } else {
    std::vector<std::string> counts;
    for (const auto& a : alternatives) {
      counts.push_back(fmt::format("{}: {}", a.value, a.results.replications));
    }
    replications = fmt::format("replications {}; pairs over the replications both ran",
                               fmt::join(counts, ", "));
  }
  fmt::print("compare {} ({}, {})\n", comparison.vary.key, replications,
             seeds_differ ? "different seeds: unpaired" : "common random numbers");
  fmt::print(
      "b - a: paired difference with its 95% CI; better or worse only where that CI "
      "excludes 0\n");
  for (const auto& path : alternatives.front().results.metrics.paths()) {
    if (!of_interest(path)) continue;
    const Better better = analysis::better_direction(path);
    fmt::print("\n{}{}\n", path,
               better == Better::lower    ? " (lower is better)"
               : better == Better::higher ? " (higher is better)"
                                          : "");
    for (const auto& alternative : alternatives) {
      const auto& metrics = alternative.results.metrics;
      if (!metrics.contains(path)) {
        fmt::print("  {:<{}}  n/a\n", alternative.value, width);
        continue;
      }
      const analysis::Statistic s = metrics.statistic(path);
      fmt::print("  {:<{}}  {}\n", alternative.value, width, format_estimate(s.mean, s.ci95));
    }
    for (const studies::PairDifference& d : studies::pair_differences(comparison, path)) {
      const analysis::Statistic& diff = d.difference;
      fmt::print("  {:<{}}  {:<22}  {}\n", pair_label(d.a, d.b), width,
                 (diff.mean && *diff.mean > 0 ? "+" : "") + format_estimate(diff.mean, diff.ci95),
                 verdict_text(d, alternatives));
    }
    // A best only where the intervals show it; with two alternatives the pair says it all.
    if (alternatives.size() > 2) {
      if (const auto best = studies::significantly_best(comparison, path)) {
        fmt::print("  best: {} (significantly better than every other)\n",
                   alternatives[*best].value);
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
  bool seeds_differ = false;
  if (const auto failed = guarded(args.study.file, [&] {
        const std::unique_ptr<studies::Session> session =
            studies::open_session(session_options(args.study), *workers);
        const studies::PreparedComparison prepared =
            studies::prepare_comparison(*session, args.vary);
        seeds_differ = prepared.seeds_differ;
        if (prepared.seeds_differ) {  // even with --quiet: it changes what the figures mean
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
    print_table(comparison, seeds_differ);
    fmt::print("\ncomparison: {}\n", out.string());
  }
  return exit_ok;
}

}  // namespace telsim::cli
