#pragma once
/// `telsim sweep` as a library (SPEC §4): a scenario over a grid of values, one results
/// file per point in OUT/points/, then summary.csv, summary.json, results.sqlite and the
/// optional JUnit report, built from the point files alone (so a resumed sweep ends
/// byte-identical to an unbroken one).
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "telsim/analysis/expect.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/sweep_grid.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::studies {

struct SweepOptions {
  std::vector<std::string> vary;  ///< each `--vary` as written; the first varies slowest
  std::filesystem::path out;      ///< the sweep folder
  bool resume = false;            ///< keep the finished points of an earlier run of this sweep
  std::optional<std::filesystem::path> junit;
  /// After each finished point (and once before the first): points done, points in all.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

/// What a finished sweep found, for printing.
struct SweepReport {
  struct Point {
    std::string name;         ///< "0003"
    std::string values;       ///< "trunk_groups.AB.circuits=22 ..."
    double wall_seconds = 0;  ///< from its results file
    std::vector<analysis::CheckResult> checks;
  };
  std::vector<Point> points;  ///< empty on every MPI rank but 0
  std::filesystem::path out;
  bool any_check_failed() const;
};

/// Runs the sweep on `workers` (this process, or every MPI rank: each runs the same call).
/// The points are loaded from `session` before anything runs; points already in OUT/points
/// are kept with `resume` when they were made from the same resolved scenario.
///
/// Throws StudyError with the message telsim prints and its exit code: a bad --vary or a
/// point the loader refuses (2, nothing written), a folder that holds another sweep (2), a
/// point that failed (3, "N of M points are finished ...; to resume: ..."), a signal (130
/// or 143, the finished points kept, with the command that resumes).
SweepReport run_sweep(Session& session, const SweepOptions& options, Workers& workers,
                      const std::atomic<int>& stop);

/// The command that resumes the sweep `command_line` started: the same, with one
/// " --resume" (a given one is not repeated).
std::string resume_command(const std::string& command_line);

}  // namespace telsim::studies
