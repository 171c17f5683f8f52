#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telsim/analysis/statistic.hpp"

namespace telsim::analysis {

/// One replication's figures: path -> value, e.g. "trunk_groups.AB.call_blocking";
/// nullopt = no data this replication. Paths are dot-separated; names never contain '.'.
struct ReplicationMetrics {
  std::vector<std::pair<std::string, std::optional<double>>> values;
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
  void add_replication(const ReplicationMetrics& replication);

  /// Number of replications added.
  std::size_t replications() const { return replications_; }

  /// Every path, in first-seen order.
  const std::vector<std::string>& paths() const { return paths_; }

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

 private:
  std::size_t column_of(std::string_view path) const;
  std::vector<std::optional<double>> column(std::size_t column) const;
  std::optional<std::size_t> find(std::string_view path) const;
  /// Puts `column` in its hash slot (slots_ has room).
  void index(std::size_t column);

  static constexpr std::uint32_t empty_slot = 0xFFFFFFFFu;
  std::size_t replications_ = 0;
  std::vector<std::string> paths_;
  // One row per replication, one value per path known when it was added: a
  // block per replication rather than a vector per path (a national network
  // has 918,000 paths; a vector each cost 56 bytes for one 16-byte value).
  std::vector<std::vector<std::optional<double>>> rows_;
  // Columns by the hash of their path, open addressing: 16 bytes per path
  // where a std::map took about 100 (a national network has 900,000 paths).
  std::vector<std::uint32_t> slots_;
  // Which add_replication call last saw each column, to find a path given twice.
  std::vector<std::uint64_t> seen_in_call_;
  std::uint64_t calls_ = 0;
};

}  // namespace telsim::analysis
