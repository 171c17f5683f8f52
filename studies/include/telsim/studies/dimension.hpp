#pragma once
/// `telsim dimension` as a library (SPEC §4): the fewest circuits on a trunk group that
/// meet a target, by simulation, from an analytic start. How it decides is written at
/// the top of studies/src/dimension.cpp.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "telsim/analysis/statistic.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::studies {

/// `--target METRIC<=VALUE | METRIC>=VALUE`.
struct DimensionTarget {
  std::string metric;   ///< as written
  std::string path;     ///< the results path
  bool at_most = true;  ///< `<=` (else `>=`)
  double value = 0;

  bool met_by(double x) const { return at_most ? x <= value : x >= value; }
};

/// Parses the target for trunk group `group`: a bare METRIC is one of the catalog's
/// trunk-group targets (analysis::dimension_target_metrics), meaning
/// trunk_groups.<group>.METRIC; a METRIC with a dot is a full results path. Throws
/// StudyError (exit 2) with the message telsim prints.
DimensionTarget parse_dimension_target(const std::string& text, const std::string& group);

/// The traffic offered to the group, measured at its own size.
struct OfferedLoad {
  std::int64_t circuits = 0;
  double carried = 0;
  double blocking = 0;
  double offered = 0;                    ///< Erlang (ITU-T definition for Engset)
  std::optional<std::uint64_t> sources;  ///< set: Engset with this many sources
  double beta = 0;                       ///< Engset: offered traffic per idle source
};

/// Where the search starts.
struct SearchStart {
  std::optional<std::int64_t> estimate;  ///< the analytic estimate, if the metric has one
  std::string how;                       ///< "Erlang B estimate: 24 circuits"
  std::int64_t circuits = 0;             ///< the first size tried
  std::size_t replications = 0;          ///< per size, doubled while the CI straddles the target
  std::size_t max_replications = 0;
};

/// One size judged.
struct SizeDecision {
  std::int64_t circuits = 0;
  analysis::Statistic statistic;  ///< the target metric at this size
  std::size_t replications = 0;
  bool meets = false;
  bool on_mean_only = false;  ///< the cap was reached with the target inside the CI
};

/// The decision trail, as it happens (each callback may be empty).
struct DimensionTrail {
  std::function<void(const OfferedLoad&)> load_measured;
  std::function<void(const SearchStart&)> search_started;
  /// Each size the search judged, in the order the search uses them.
  std::function<void(const SizeDecision&)> decided;
  /// Replications done of the run at `circuits` (on this process).
  std::function<void(std::int64_t circuits, std::size_t done, std::size_t planned)> progress;
};

struct DimensionResult {
  std::int64_t circuits = 0;  ///< the answer
  SizeDecision decision;      ///< how it was judged
};

/// Sizes trunk group `group` of the session's scenario. With several MPI ranks, the sizes
/// the search may need next are judged side by side; the answer is the one a single process
/// finds. Throws StudyError (2: unknown group, a metric the results do not have; 3: the
/// target is unreachable, no data, a run failed) and scenarios::Interrupted.
DimensionResult dimension_trunk_group(Session& session, const std::string& group,
                                      const DimensionTarget& target, Workers& workers,
                                      const std::atomic<int>& stop, const DimensionTrail& trail);

}  // namespace telsim::studies
