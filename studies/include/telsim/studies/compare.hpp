#pragma once
/// `telsim compare` as a library (SPEC §4): the scenario under each value of one key, with
/// common random numbers, and each metric's paired difference to the first alternative.
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/results.hpp"
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

/// compare.json: {"telsim": 1, "vary": {"key", "values"}, "alternatives": [results...],
/// "differences": [{"value", "metrics": {path: paired statistic}}, ...]} (one difference
/// per alternative after the first, to the first).
nlohmann::ordered_json comparison_json(const Comparison& comparison);

}  // namespace telsim::studies
