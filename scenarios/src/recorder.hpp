#pragma once
// The runner's recorder: listens to one replication's network and keeps the
// figures of SPEC §5 with the measurement-window rules of SPEC §3.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "telsim/analysis/metrics.hpp"
#include "telsim/analysis/time_weighted.hpp"
#include "telsim/models/observer.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::scenarios::detail {

/// The per-call figures of one traffic relation or one policy instance.
struct CallBlock {
  std::uint64_t calls = 0;
  std::uint64_t attempts = 0;
  std::uint64_t answered_attempts = 0;
  std::uint64_t caller_busy = 0;
  std::array<std::uint64_t, models::failure_cause_count> first_failure{};
  std::array<std::uint64_t, models::call_outcome_count> outcome{};
  std::uint64_t rejected = 0;
  std::uint64_t unsupported = 0;
  std::uint64_t message = 0;
  std::uint32_t max_outstanding = 0;
  std::vector<double> latencies;  // seconds, completed calls
  /// Completion-request life cycle (policy blocks only): counts per RequestEvent.
  std::array<std::uint64_t, models::request_event_count> requests{};

  void add(const models::CallSummary& call);
  /// Appends this block's metrics under `prefix` ("traffic.x" or "policies.p").
  void append_metrics(const std::string& prefix, bool with_caller_busy, bool with_requests,
                      analysis::ReplicationMetrics& out) const;
};

struct GroupRecord {
  std::uint64_t requests = 0;
  std::uint64_t refused = 0;
  std::uint64_t overflow = 0;
  analysis::TimeWeighted busy;
};

class Recorder final : public models::NetworkObserver {
 public:
  static constexpr std::size_t timeseries_bins = 200;

  Recorder(const Scenario& scenario, sim::Tick warmup, sim::Tick horizon);

  void circuit_requested(models::TrunkGroupId group, bool granted, sim::Tick now) override;
  void circuits_changed(models::TrunkGroupId group, std::uint32_t busy, sim::Tick now) override;
  void overflowed(models::TrunkGroupId group, sim::Tick now) override;
  void caller_busy(models::RelationId relation, bool measured, sim::Tick now) override;
  void call_ended(const models::CallSummary& call, sim::Tick now) override;
  void request_event(models::PolicyId policy, models::RequestEvent event, bool measured,
                     sim::Tick now) override;

  /// Closes the time-weighted figures at the horizon.
  void finish();
  analysis::ReplicationMetrics metrics() const;
  /// Busy circuits per time-series bin, per group.
  std::vector<std::vector<double>> busy_series() const;
  std::vector<double> series_times_seconds() const;
  const std::vector<CallBlock>& relation_blocks() const { return relations_; }
  const std::vector<CallBlock>& policy_blocks() const { return policies_; }

 private:
  bool in_window(sim::Tick t) const { return t >= warmup_ && t < horizon_; }

  const Scenario& scenario_;
  sim::Tick warmup_;
  sim::Tick horizon_;
  std::vector<GroupRecord> groups_;
  std::vector<CallBlock> relations_;
  std::vector<CallBlock> policies_;
};

/// For `warmup: auto`: the blocking series of a pilot run, in equal time bins.
class BlockingSeries final : public models::NetworkObserver {
 public:
  BlockingSeries(sim::Tick horizon, std::size_t bins, bool use_circuit_requests);
  void circuit_requested(models::TrunkGroupId, bool granted, sim::Tick now) override;
  void circuits_changed(models::TrunkGroupId, std::uint32_t, sim::Tick) override {}
  void overflowed(models::TrunkGroupId, sim::Tick) override {}
  void caller_busy(models::RelationId, bool, sim::Tick) override {}
  void call_ended(const models::CallSummary& call, sim::Tick now) override;
  /// Refused fraction per bin (0 for a bin with no request).
  std::vector<double> series() const;
  sim::Tick bin_width() const { return bin_width_; }

 private:
  std::size_t bin_of(sim::Tick t) const;
  sim::Tick horizon_;
  sim::Tick bin_width_;
  bool use_circuit_requests_;
  std::vector<std::uint64_t> trials_;
  std::vector<std::uint64_t> failures_;
};

}  // namespace telsim::scenarios::detail
