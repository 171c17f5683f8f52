#pragma once
/// `telsim dimension FILE --all` as a library (SPEC §4): every trunk group of the network
/// sized together, from the analytic network model, refined by simulation. How it decides
/// is written at the top of studies/src/dimension_network.cpp.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "telsim/analysis/statistic.hpp"
#include "telsim/studies/session.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::studies {

/// One network size judged: a circuit count per trunk group (scenario order).
struct NetworkCandidate {
  std::vector<std::int64_t> circuits;
  /// Per target path (NetworkSizing::paths order): the metric in this run; no mean when
  /// the run had no data for it (a group that received no request), which meets.
  std::vector<analysis::Statistic> statistics;
  bool meets = false;
  std::string why;  ///< what was tried: "start", "raise AT, TB", "AB - 1", "all of AB, AT - 1"
};

/// The decision trail, as it happens (each callback may be empty).
struct NetworkTrail {
  /// The analytic start (or the scenario's sizes, with why there is no estimate).
  std::function<void(const std::vector<std::int64_t>& circuits, const std::string& how)> started;
  std::function<void(const NetworkCandidate&)> judged;
  /// Replications done of the runs of one round (on this process).
  std::function<void(std::size_t done, std::size_t planned)> progress;
};

struct NetworkSizing {
  std::vector<std::string> groups;  ///< the trunk groups, in the scenario's order
  /// What each target path means: trunk_groups.<g>.<metric> per group, or the one full
  /// results path given.
  std::vector<std::string> paths;
  NetworkCandidate answer;  ///< the sizes, and the metric at them
  /// The candidates one circuit smaller on one group each, all failing (the proof that
  /// no group can lose a circuit while every target is still met); groups at 1 circuit
  /// have none.
  std::vector<NetworkCandidate> one_smaller;
  std::size_t simulations = 0;  ///< network runs made
};

/// Sizes every trunk group of the session's scenario against `target` (as written:
/// METRIC<=VALUE or METRIC>=VALUE; a trunk-group metric name applies to every group, a
/// full results path is one target for the whole network). Throws StudyError (2: a bad
/// target, no trunk group, a metric the results do not have; 3: unreachable, a run
/// failed) and scenarios::Interrupted.
NetworkSizing dimension_network(Session& session, const std::string& target, Workers& workers,
                                const std::atomic<int>& stop, const NetworkTrail& trail);

}  // namespace telsim::studies
