#pragma once
// The runner's recorder: listens to one replication's network and keeps the
// figures of SPEC §5 with the measurement-window rules of SPEC §3.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telsim/analysis/histogram.hpp"
#include "telsim/analysis/metrics.hpp"
#include "telsim/analysis/percentile.hpp"
#include "telsim/analysis/time_weighted.hpp"
#include "telsim/models/observer.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::scenarios::detail {

/// Completion latencies of one block (a relation or a policy, one
/// replication) in bounded memory, whatever the number of calls:
///  - the first `exact_capacity` latencies are kept exactly, and the mean and
///    percentiles are those of SPEC §5 (linear between order statistics);
///  - beyond that they go into a log-bucketed histogram of the integer
///    latency in ticks: exact below 128 µs, then 128 buckets per octave, so a
///    bucket's midpoint is within 1/256 (0.4%) of every value in it. Percentiles are
///    then the same interpolation between the midpoints of the buckets that
///    hold the order statistics (clamped to the exact minimum and maximum);
///    the mean stays exact (a running sum).
/// Memory: at most 32 KiB of exact values, or at most 7,424 counters (58 KiB)
/// for latencies up to 2^63 µs, allocated only as high as the largest latency
/// seen (about 28 KiB for latencies up to a few hours). O(1) per value.
class LatencyRecord {
 public:
  static constexpr std::size_t exact_capacity = 4096;
  static constexpr unsigned sub_bits = 7;  ///< 2^7 buckets per octave

  void add(sim::Tick latency);
  std::uint64_t count() const { return count_; }
  bool is_exact() const { return buckets_.empty(); }
  analysis::LatencySummary summary() const;
  /// Bytes held on the heap (for the tests of the bound).
  std::size_t heap_bytes() const {
    return exact_.capacity() * sizeof(sim::Tick) + buckets_.capacity() * sizeof(std::uint64_t);
  }
  /// The pooled histogram of several records (SPEC §5
  /// `completion_latency_histogram`): the edges analysis::make_histogram gives
  /// for the pooled minimum and maximum (they depend on nothing else); exact
  /// values are binned as make_histogram bins them, bucketed ones at their
  /// bucket's midpoint. With exact records only, this is make_histogram of the
  /// pooled values.
  static analysis::Histogram histogram(const std::vector<const LatencyRecord*>& pooled,
                                       std::size_t max_bins = 50);

  static std::size_t bucket_of(std::uint64_t ticks);
  /// The midpoint of bucket `b`, in ticks.
  static double bucket_midpoint(std::size_t b);

 private:
  /// The value of order statistic `rank` (0-based) in bucket mode, in seconds.
  double value_at_rank(std::uint64_t rank) const;
  void to_buckets();
  void add_to_bucket(sim::Tick latency);

  std::vector<sim::Tick> exact_;
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  long double sum_seconds_ = 0.0L;
  sim::Tick min_ = 0;
  sim::Tick max_ = 0;
};

/// Where a recorder's figures go: their paths (listed once for a scenario), their values
/// (each replication's, in the same order), or only their count. Collecting values never
/// builds a path: a national network has 823,000 of them.
class MetricSink {
 public:
  /// Counts the figures and keeps nothing.
  MetricSink() = default;
  explicit MetricSink(analysis::MetricPaths& paths) : paths_(&paths) {}
  explicit MetricSink(std::vector<std::optional<double>>& values) : values_(&values) {}

  /// The figure at prefix + name + more.
  void put(std::string_view prefix, std::string_view name, std::string_view more,
           std::optional<double> value) {
    ++count_;
    if (values_ != nullptr) values_->push_back(value);
    if (paths_ != nullptr) {
      path_.assign(prefix).append(name).append(more);
      paths_->push_back(path_);
    }
  }
  void put(std::string_view prefix, std::string_view name, std::optional<double> value) {
    put(prefix, name, {}, value);
  }
  std::size_t count() const { return count_; }

 private:
  analysis::MetricPaths* paths_ = nullptr;
  std::vector<std::optional<double>>* values_ = nullptr;
  std::string path_;
  std::size_t count_ = 0;
};

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
  LatencyRecord latencies;  // completed calls
  /// Completion-request life cycle (policy blocks only): counts per RequestEvent.
  std::array<std::uint64_t, models::request_event_count> requests{};

  void add(const models::CallSummary& call);
  /// Appends this block's metrics under `prefix` ("traffic.x" or "policies.p"). A
  /// relation's block has caller_busy and, from `mean_holding_per_window` (the relation's
  /// mean holding time over the window's length), offered_erlangs.
  void append_metrics(const std::string& prefix, bool with_caller_busy, bool with_requests,
                      MetricSink& out,
                      std::optional<double> mean_holding_per_window = std::nullopt) const;
};

struct GroupRecord {
  std::uint64_t requests = 0;
  std::uint64_t refused = 0;
  std::uint64_t overflow = 0;
  analysis::TimeWeighted busy;
  std::uint32_t circuits = 0;
  std::uint64_t refused_by_reserve = 0;  ///< refused with circuits free: only the reserve
  /// Appends this group's metrics under `prefix` ("trunk_groups.AB").
  void append_metrics(const std::string& prefix, MetricSink& out) const;
};

class Recorder final : public models::NetworkObserver {
 public:
  static constexpr std::size_t timeseries_bins = 200;

  Recorder(const Scenario& scenario, sim::Tick warmup, sim::Tick horizon);

  void circuit_requested(models::TrunkGroupId group, bool granted, sim::Tick now) override;
  void refused_by_reserve(models::TrunkGroupId group, sim::Tick now) override;
  void circuits_changed(models::TrunkGroupId group, std::uint32_t busy, sim::Tick now) override;
  void overflowed(models::TrunkGroupId group, sim::Tick now) override;
  void caller_busy(models::RelationId relation, bool measured, sim::Tick now) override;
  void call_ended(const models::CallSummary& call, sim::Tick now) override;
  void request_event(models::PolicyId policy, models::RequestEvent event, bool measured,
                     sim::Tick now) override;

  /// Closes the time-weighted figures at the horizon.
  void finish();
  /// Every figure into `out`, in the order metric_paths() lists them.
  void append_metrics(MetricSink& out) const;
  /// This replication's figures, in the order of metric_paths(scenario).
  std::vector<std::optional<double>> metric_values() const;
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

/// Every metric path Recorder::metric_values() gives a value for with `scenario`, in its
/// order (trunk_groups.*, traffic.*, policies.*): the statistics an `expect` or
/// `precision` metric may name, and the paths of every replication's figures. Derived by
/// asking an empty recorder for its figures (every path is written whether or not it has
/// data), so the list is the recorder's own and cannot drift from it.
/// O(groups + (relations + policies) x figures).
analysis::MetricPaths metric_paths(const Scenario& scenario);
/// metric_paths(scenario).size(), in time independent of the network's size.
std::uint64_t metric_count(const Scenario& scenario);

/// For `warmup: auto`: the blocking series of a pilot run, in equal time bins.
class BlockingSeries final : public models::NetworkObserver {
 public:
  BlockingSeries(sim::Tick horizon, std::size_t bins, bool use_circuit_requests);
  void circuit_requested(models::TrunkGroupId, bool granted, sim::Tick now) override;
  void circuits_changed(models::TrunkGroupId, std::uint32_t, sim::Tick) override {}
  void overflowed(models::TrunkGroupId, sim::Tick) override {}
  void caller_busy(models::RelationId, bool, sim::Tick) override {}
  void call_ended(const models::CallSummary& call, sim::Tick now) override;
  /// Refused fraction per bin; NaN for a bin with no request, which has no
  /// observation (counting it as 0 would pull MSER-5 towards light traffic).
  /// Entry i is the bin starting at i * bin_width().
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
