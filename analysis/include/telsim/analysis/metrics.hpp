#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telsim/analysis/metric_paths.hpp"
#include "telsim/analysis/statistic.hpp"

namespace telsim::analysis {

/// One replication's figures: a value per path, e.g. "trunk_groups.AB.call_blocking";
/// nullopt = no data this replication. Paths are dot-separated; names never contain '.'.
///
/// The replications of one run list the same paths, so they share them: a national
/// network's 823,000 paths are held once, not once per replication.
class ReplicationMetrics {
 public:
  ReplicationMetrics() = default;
  /// (path, value) pairs in order, as a reader or a test lists them.
  ReplicationMetrics(
      std::initializer_list<std::pair<std::string_view, std::optional<double>>> values);
  /// A value for each of `paths`, in its order. Throws std::invalid_argument if the counts
  /// differ or `paths` is null.
  ReplicationMetrics(std::shared_ptr<const MetricPaths> paths,
                     std::vector<std::optional<double>> values);

  /// Appends a figure (the paths are copied first if shared).
  void add(std::string_view path, std::optional<double> value);

  std::size_t size() const { return values_.size(); }
  /// Every path, in order (empty if there are none).
  const MetricPaths& paths() const;
  /// The same paths, for sharing with a MetricTable (null if there are none).
  const std::shared_ptr<const MetricPaths>& shared_paths() const { return paths_; }
  const std::vector<std::optional<double>>& values() const { return values_; }

 private:
  friend class MetricTable;
  std::shared_ptr<const MetricPaths> paths_;
  bool own_paths_ = false;  ///< paths_ was made here (not given), so it may change
  std::vector<std::optional<double>> values_;
};

/// All replications' figures, one column per metric path.
///
/// Path order is first-seen order over the replications as added, so the output of a run
/// does not depend on hashing or on the alphabet. Memory O(paths x replications).
class MetricTable {
 public:
  /// Appends a replication. A known path missing from it counts as null there; a new path
  /// counts as null in every earlier replication. Throws std::invalid_argument if a path
  /// appears twice in the same replication (the table is left unchanged then).
  /// A replication with the table's own paths, in its order (every replication of a run),
  /// costs its values alone; the rvalue form moves them.
  void add_replication(const ReplicationMetrics& replication);
  void add_replication(ReplicationMetrics&& replication);

  /// Number of replications added.
  std::size_t replications() const { return replications_; }

  /// Every path, in first-seen order.
  const MetricPaths& paths() const;

  /// The statistic of one path. Throws std::out_of_range for an unknown path.
  Statistic statistic(std::string_view path) const;
  /// The statistic of the path at `column` in paths().
  Statistic statistic_at(std::size_t column) const { return summarize(this->column(column)); }

  /// The raw per-replication values of one path (replications() entries), copied out.
  /// Throws std::out_of_range for an unknown path.
  std::vector<std::optional<double>> values(std::string_view path) const;
  /// The value of the path at `column` in paths() in one replication (null where that
  /// replication had none). Throws std::out_of_range for a replication not added.
  std::optional<double> value_at(std::size_t column, std::size_t replication) const;

  /// Whether the path is known. O(1) expected.
  bool contains(std::string_view path) const;
  /// The column of a path in paths(), if known. O(1) expected.
  std::optional<std::size_t> find(std::string_view path) const;

 private:
  struct Slot {
    std::uint32_t column = empty_slot;
    std::uint32_t hash = 0;  ///< the hash's high bits: most probes never decode a path
  };
  void add(const ReplicationMetrics& replication, std::vector<std::optional<double>>* values);
  std::size_t column_of(std::string_view path) const;
  std::vector<std::optional<double>> column(std::size_t column) const;
  /// An index of `paths`. Throws std::invalid_argument (naming `replication`) for a path
  /// listed twice.
  static std::vector<Slot> index_of(const MetricPaths& paths, std::size_t replication);

  static constexpr std::uint32_t empty_slot = 0xFFFFFFFFu;
  std::size_t replications_ = 0;
  std::shared_ptr<const MetricPaths> paths_ = std::make_shared<const MetricPaths>();
  // One row per replication, one value per path known when it was added: a
  // block per replication rather than a vector per path (a national network
  // has 823,000 paths; a vector each cost 56 bytes for one 16-byte value).
  std::vector<std::vector<std::optional<double>>> rows_;
  // Columns by the hash of their path, open addressing, at most half full:
  // 16 bytes per path where a std::map took about 100.
  std::vector<Slot> slots_;
};

}  // namespace telsim::analysis
