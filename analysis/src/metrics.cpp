#include "telsim/analysis/metrics.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <stdexcept>

namespace telsim::analysis {
namespace {

std::size_t hash_of(std::string_view path) {
  return std::hash<std::string_view>{}(path);
}

}  // namespace

std::optional<std::size_t> MetricTable::find(std::string_view path) const {
  if (slots_.empty()) return std::nullopt;
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash_of(path) & mask;; at = (at + 1) & mask) {
    const std::uint32_t slot = slots_[at];
    if (slot == empty_slot) return std::nullopt;
    if (paths_[slot] == path) return slot;
  }
}

void MetricTable::index(std::size_t column) {
  const std::size_t mask = slots_.size() - 1;
  std::size_t at = hash_of(paths_[column]) & mask;
  while (slots_[at] != empty_slot) at = (at + 1) & mask;
  slots_[at] = static_cast<std::uint32_t>(column);
}

void MetricTable::add_replication(const ReplicationMetrics& replication) {
  // Validate first so that a bad replication leaves the table as it was: a
  // path seen twice in it is either a known column met twice (stamped with
  // this call's number) or a new path listed twice (found by sorting).
  ++calls_;
  seen_in_call_.resize(paths_.size(), 0);
  std::vector<std::uint32_t> fresh;  // positions in `replication` of new paths
  std::vector<std::uint32_t> columns(replication.values.size());
  const auto twice = [&](const std::string& path) {
    throw std::invalid_argument("MetricTable::add_replication: path '" + path +
                                "' appears twice in replication " + std::to_string(replications_));
  };
  for (std::size_t i = 0; i < replication.values.size(); ++i) {
    const std::string& path = replication.values[i].first;
    // Replications of one scenario list the same paths in the same order.
    const std::optional<std::size_t> column =
        i < paths_.size() && paths_[i] == path ? std::optional<std::size_t>(i) : find(path);
    if (!column) {
      fresh.push_back(static_cast<std::uint32_t>(i));
      continue;
    }
    if (seen_in_call_[*column] == calls_) twice(path);
    seen_in_call_[*column] = calls_;
    columns[i] = static_cast<std::uint32_t>(*column);
  }
  if (!fresh.empty()) {
    std::vector<std::uint32_t> sorted = fresh;
    const auto path_at = [&](std::uint32_t i) -> const std::string& {
      return replication.values[i].first;
    };
    std::sort(sorted.begin(), sorted.end(),
              [&](std::uint32_t a, std::uint32_t b) { return path_at(a) < path_at(b); });
    for (std::size_t k = 1; k < sorted.size(); ++k) {
      if (path_at(sorted[k]) == path_at(sorted[k - 1])) {
        twice(path_at(std::min(sorted[k], sorted[k - 1])));
      }
    }
  }
  for (const std::uint32_t i : fresh) {
    columns[i] = static_cast<std::uint32_t>(paths_.size());
    paths_.push_back(replication.values[i].first);
    seen_in_call_.push_back(calls_);
    // At most half full, so that a probe stays short.
    if (2 * paths_.size() > slots_.size()) {
      // A power of two: probes wrap with a mask.
      slots_.assign(std::bit_ceil(std::max<std::size_t>(64, 4 * paths_.size())), empty_slot);
      for (std::size_t c = 0; c < paths_.size(); ++c) index(c);
    } else {
      index(paths_.size() - 1);
    }
  }
  std::vector<std::optional<double>> row(paths_.size());
  for (std::size_t i = 0; i < replication.values.size(); ++i) {
    row[columns[i]] = replication.values[i].second;
  }
  rows_.push_back(std::move(row));
  ++replications_;
}

std::optional<double> MetricTable::value_at(std::size_t column, std::size_t replication) const {
  const std::vector<std::optional<double>>& row = rows_.at(replication);
  // A row is as long as the table was when it was added: later paths are null there.
  return column < row.size() ? row[column] : std::nullopt;
}

std::vector<std::optional<double>> MetricTable::column(std::size_t column) const {
  if (column >= paths_.size()) throw std::out_of_range("MetricTable: no such column");
  std::vector<std::optional<double>> values(replications_);
  for (std::size_t r = 0; r < replications_; ++r) values[r] = value_at(column, r);
  return values;
}

std::size_t MetricTable::column_of(std::string_view path) const {
  const std::optional<std::size_t> found = find(path);
  if (!found) {
    throw std::out_of_range("MetricTable: unknown metric path '" + std::string(path) + "'");
  }
  return *found;
}

Statistic MetricTable::statistic(std::string_view path) const {
  return summarize(column(column_of(path)));
}

std::vector<std::optional<double>> MetricTable::values(std::string_view path) const {
  return column(column_of(path));
}

bool MetricTable::contains(std::string_view path) const {
  return find(path).has_value();
}

}  // namespace telsim::analysis
