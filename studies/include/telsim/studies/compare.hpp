#pragma once
/// `telsim compare` as a library (SPEC §4): the scenario under each value of one key, with
/// common random numbers, and each metric's paired difference for every pair of
/// alternatives.
#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/metric_catalog.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/analysis/statistic.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/sweep_grid.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::studies {

struct Alternative {
  std::string value;  ///< as given on the command line
  analysis::RunResults results;
};

struct Comparison {
  VaryAxis vary;
  std::vector<Alternative> alternatives;  ///< one per value, in the order given
  /// The alternatives do not all have the same seed: their differences are unpaired.
  bool seeds_differ = false;
};

/// The alternatives of a comparison, made and validated, not yet run.
struct PreparedComparison {
  VaryAxis vary;
  std::vector<scenarios::Scenario> scenarios;  ///< one per value
  /// The alternatives do not all have the same seed: their differences are unpaired.
  bool seeds_differ = false;
};

/// Parses `--vary KEY=V1,V2,...` (the grammar of sweep_grid.hpp, at least two values) and
/// makes every alternative from `session` before any runs: a value the loader refuses is
/// StudyError exit 2 with nothing run.
PreparedComparison prepare_comparison(Session& session, const std::string& vary);

/// Runs the alternatives on `workers`; `progress("KEY=Vi", done, planned)` follows
/// alternative i's replications on this process. Throws StudyError (3: a run failed,
/// "telsim: error: FILE: WHY", on every rank) and scenarios::Interrupted.
Comparison run_comparison(const Session& session, const PreparedComparison& prepared,
                          Workers& workers, const std::atomic<int>& stop,
                          const std::function<void(const std::string& alternative, std::size_t done,
                                                   std::size_t planned)>& progress = {});

/// prepare_comparison then run_comparison, for a program that has nothing to say between.
Comparison run_comparison(Session& session, const std::string& vary, Workers& workers,
                          const std::atomic<int>& stop,
                          const std::function<void(const std::string& alternative, std::size_t done,
                                                   std::size_t planned)>& progress = {});

/// Every pair (a, b) of `count` alternatives with a < b, in the order compare.json lists
/// their differences: each against the first, then each later one against the second, and
/// so on: (0,1), (0,2), ..., (0,count-1), (1,2), ... count (count - 1) / 2 pairs.
std::vector<std::pair<std::size_t, std::size_t>> alternative_pairs(std::size_t count);

/// How alternative b stands against alternative a on one metric.
enum class Verdict {
  b_better,     ///< the difference's 95% CI excludes 0, on b's side of the metric's direction
  b_worse,      ///< it excludes 0, on a's side
  significant,  ///< it excludes 0, and the metric has no better direction
  /// the CI includes 0, or there is no CI (fewer than 2 replications where both have data):
  /// neither may be called better
  no_significant_difference,
};

/// The verdict on `difference` = b - a (a paired statistic, analysis::paired_difference) for
/// a metric that is better in direction `better`.
Verdict verdict(const analysis::Statistic& difference, analysis::Better better);

/// One metric's difference between two alternatives of a comparison.
struct PairDifference {
  std::size_t a = 0;               ///< index of the first alternative of the pair
  std::size_t b = 0;               ///< index of the second, a < b
  analysis::Statistic difference;  ///< b - a, paired by replication
  Verdict verdict = Verdict::no_significant_difference;
};

/// `path`'s difference for every pair of alternatives that both hold it, in
/// alternative_pairs order. O(pairs x replications).
std::vector<PairDifference> pair_differences(const Comparison& comparison, std::string_view path);

/// The alternative significantly better on `path` than every other (each pair's verdict says
/// so), if there is one; never one merely with the best mean. None when the metric has no
/// better direction or some alternative lacks the metric.
std::optional<std::size_t> significantly_best(const Comparison& comparison, std::string_view path);

/// compare.json: {"telsim": 1, "vary": {"key", "values"}, "alternatives": [results...],
/// "differences": [{"a", "b", "value"?, "metrics": {path: paired statistic}}, ...]}: one
/// difference b - a per pair of alternatives, in alternative_pairs order, so the first
/// (count - 1) are those to the first alternative, as compare.json held before it held every
/// pair. `value` (= b) is written on those to the first alternative only, for readers of
/// that older form.
nlohmann::ordered_json comparison_json(const Comparison& comparison);

}  // namespace telsim::studies
