#pragma once
/// Running a scenario: independent replications (in parallel threads, with
/// results identical to one thread), warm-up (fixed or MSER-5), the
/// `precision:` stopping rule, and assembly of the SPEC §5 results.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>

#include "telsim/analysis/results.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::scenarios {

class CallRecordFile;  // telsim/scenarios/call_records.hpp

/// Where a run's time went (`run --timings`), in seconds. With several threads the
/// per-replication phases add up each replication's own time, so they may exceed the wall.
struct RunTimings {
  double build_seconds = 0;     ///< building each replication's network and recorder
  double simulate_seconds = 0;  ///< the event loops, a warm-up pilot included
  double collect_seconds = 0;   ///< each replication's figures, then the table of all of them
};

struct RunOptions {
  unsigned threads = 1;
  /// Called after each finished replication (from any thread, serialised).
  std::function<void(std::size_t done, std::size_t planned)> progress;
  /// Called every `progress_interval` while replications run (from a reporting thread,
  /// serialised with `progress`): `done` counts the finished replications plus the
  /// simulated fraction of each running one, so that a bar can show how far a single
  /// long replication got and when it will end.
  std::function<void(double done, std::size_t planned)> progress_within;
  std::chrono::milliseconds progress_interval{250};
  /// When it becomes non-zero, the run stops and throws Interrupted: between
  /// replications, and inside every running replication (every thread's) within
  /// sim::stop_check_interval events. It must outlive the run.
  const std::atomic<int>* stop_signal = nullptr;
  /// `run --calls`: when set, each replication writes its call detail records
  /// into it, and only the replications the results keep are kept there. The
  /// caller assembles and commits it after the run (and after its own signal check).
  CallRecordFile* call_records = nullptr;
  /// When set, receives where the run's time went.
  RunTimings* timings = nullptr;
};

/// A replication exceeded `limits` (max_events, max_pending, or its share of
/// max_memory), or the run's estimated memory exceeds max_memory before t=0: exit 3.
class LimitExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The run was stopped by a signal (RunOptions::stop_signal), between or inside
/// replications; nothing of the unfinished replications is kept.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal)
      : std::runtime_error("interrupted by signal " + std::to_string(signal)), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

/// Runs every replication of `scenario` and returns the results, with
/// everything filled except `scenario` (the resolved JSON) and `run`
/// provenance, which the caller knows.
analysis::RunResults run_scenario(const Scenario& scenario, const models::PolicyRegistry& registry,
                                  const RunOptions& options);

}  // namespace telsim::scenarios
