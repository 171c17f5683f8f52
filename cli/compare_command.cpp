// `telsim compare FILE --vary KEY=V1,V2,... [--out compare.json]`.
//
// Every alternative is the scenario with the common --set overrides, then KEY=Vi. All
// alternatives keep the scenario's seed and replication count, and the model draws each
// random stream from (seed, replication, purpose), so replication r of every alternative
// sees the same offered traffic (common random numbers, SPEC §3). Each metric's difference
// to the first alternative is therefore estimated pairwise: d_r = x_r(Vi) - x_r(V1) over
// the replications where both have data, with the Student-t interval of the d_r
// (analysis/paired.hpp). When --vary changes the seed the pairs are independent and the
// interval is still valid, only not narrower.
//
// compare.json (written atomically; nothing is written on an error or an interrupt):
//   {
//     "telsim": 1,
//     "vary": {"key": "traffic.x.completion", "values": ["none", "camp", "cb"]},
//     "alternatives": [ <the results document `telsim run` writes>, ... ],  // one per value
//     "differences": [                                                      // one per value
//       {"value": "camp",                                                   // after the first
//        "metrics": {"traffic.x.completion_ratio":                           // every metric path
//                      {"mean": m, "ci95": h, "n": k, "values": [d_0, ...]}, // both alternatives
//                    ...}},                                                  // have, in the first
//       ...                                                                  // one's order
//     ]
//   }
// Values are the strings as given on the command line. A difference is a SPEC §5
// statistic of alternative minus first alternative; values[r] is null where either had no
// data.
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
#include "compare_study.hpp"
#include "signals.hpp"
#include "telsim/analysis/paired.hpp"
#include "telsim/analysis/results.hpp"

namespace telsim::cli {
namespace {

/// Which way is better for a metric: judged from its path (SPEC §5 meanings).
enum class Better { lower, higher, neither };

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Better better_direction(const std::string& path) {
  for (const char* lower : {".call_blocking", ".time_congestion", ".overflow_calls", ".caller_busy",
                            ".outcome.abandoned", ".outcome.expired", ".outcome.recall_failed",
                            ".outcome.cleared", ".outcome.rejected", ".outcome.unsupported"}) {
    if (ends_with(path, lower)) return Better::lower;
  }
  if (path.find(".completion_latency.") != std::string::npos) return Better::lower;
  if (path.find(".first_attempt_failure.") != std::string::npos) return Better::lower;
  for (const char* higher : {".completion_ratio", ".answer_seizure_ratio", ".outcome.connected",
                             ".outcome.completed", ".outcome.intruded"}) {
    if (ends_with(path, higher)) return Better::higher;
  }
  return Better::neither;
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

struct Alternative {
  std::string value;
  std::unique_ptr<LoadedPoint> point;
  analysis::RunResults results;
};

void print_table(const VaryList& vary, const std::vector<Alternative>& alternatives) {
  const auto& first = alternatives.front().results.metrics;
  std::size_t width = 4;
  for (const auto& a : alternatives) width = std::max(width, a.value.size());
  fmt::print(
      "compare {} ({} replications each, common random numbers; Δ = difference to {}, "
      "paired 95% CI; * = significant)\n",
      vary.key, alternatives.front().results.replications, alternatives.front().value);
  for (const auto& path : first.paths()) {
    if (!of_interest(path)) continue;
    const Better better = better_direction(path);
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

nlohmann::ordered_json compare_json(const VaryList& vary,
                                    const std::vector<Alternative>& alternatives) {
  nlohmann::ordered_json doc;
  doc["telsim"] = 1;
  doc["vary"]["key"] = vary.key;
  doc["vary"]["values"] = vary.values;
  doc["alternatives"] = nlohmann::ordered_json::array();
  for (const auto& a : alternatives) doc["alternatives"].push_back(analysis::to_json(a.results));
  doc["differences"] = nlohmann::ordered_json::array();
  const auto& first = alternatives.front().results.metrics;
  for (std::size_t i = 1; i < alternatives.size(); ++i) {
    const auto& metrics = alternatives[i].results.metrics;
    nlohmann::ordered_json entry;
    entry["value"] = alternatives[i].value;
    entry["metrics"] = nlohmann::ordered_json::object();
    for (const auto& path : first.paths()) {
      if (!metrics.contains(path)) continue;
      entry["metrics"][path] =
          analysis::to_json(analysis::paired_difference(metrics.values(path), first.values(path)));
    }
    doc["differences"].push_back(std::move(entry));
  }
  return doc;
}

}  // namespace

int compare_command(const CompareArgs& args) {
  std::string error;
  const std::optional<VaryList> vary = parse_vary_list(args.vary, 2, error);
  if (!vary) {
    fmt::print(stderr, "telsim: error: {}\n", error);
    return exit_bad_input;
  }

  // Load every alternative before running any: a value the loader rejects is exit 2
  // with nothing run and nothing written.
  std::vector<Alternative> alternatives(vary->values.size());
  for (std::size_t i = 0; i < vary->values.size(); ++i) {
    alternatives[i].value = vary->values[i];
    if (const auto failed =
            load_point(args.study, {fmt::format("{}={}", vary->key, vary->values[i])},
                       alternatives[i].point)) {
      return *failed;
    }
  }
  const auto& base = alternatives.front().point->scenario;
  for (const auto& a : alternatives) {
    if (a.point->scenario.seed != base.seed && !args.study.quiet) {
      fmt::print(stderr,
                 "telsim: note: the alternatives have different seeds: their differences are "
                 "unpaired (valid, but without the gain of common random numbers)\n");
      break;
    }
  }

  const std::atomic<int>& stop = install_stop_handlers();
  for (auto& a : alternatives) {
    if (const auto failed = guarded(args.study.file, [&] {
          a.results = run_point(args.study, *a.point, stop,
                                fmt::format("replications ({}={})", vary->key, a.value));
        })) {
      return *failed;
    }
    if (stop.load() != 0) return report_interrupt(stop.load());
  }

  const std::filesystem::path out(args.out.value_or("compare.json"));
  try {
    analysis::write_file_atomically(out, compare_json(*vary, alternatives).dump(2) + "\n");
  } catch (const std::exception& e) {
    fmt::print(stderr, "telsim: error: {}\n", e.what());
    return exit_error;
  }
  if (!args.study.quiet) {
    print_table(*vary, alternatives);
    fmt::print("\ncomparison: {}\n", out.string());
  }
  return exit_ok;
}

}  // namespace telsim::cli
