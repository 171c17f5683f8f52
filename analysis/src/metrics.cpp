#include "telsim/analysis/metrics.hpp"

#include <stdexcept>

namespace telsim::analysis {

void MetricTable::add_replication(const ReplicationMetrics& replication) {
  // Validate first so that a bad replication leaves the table as it was.
  {
    std::map<std::string_view, bool> seen;
    for (const auto& [path, value] : replication.values) {
      if (!seen.emplace(path, true).second) {
        throw std::invalid_argument("MetricTable::add_replication: path '" + path +
                                    "' appears twice in replication " +
                                    std::to_string(replications_));
      }
    }
  }
  for (const auto& [path, value] : replication.values) {
    auto found = index_.find(path);
    if (found == index_.end()) {
      found = index_.emplace(path, paths_.size()).first;
      paths_.push_back(path);
      columns_.emplace_back(replications_, std::nullopt);
    }
    columns_[found->second].push_back(value);
  }
  ++replications_;
  for (auto& column : columns_) column.resize(replications_, std::nullopt);
}

std::size_t MetricTable::column_of(std::string_view path) const {
  const auto found = index_.find(path);
  if (found == index_.end()) {
    throw std::out_of_range("MetricTable: unknown metric path '" + std::string(path) + "'");
  }
  return found->second;
}

Statistic MetricTable::statistic(std::string_view path) const {
  return summarize(columns_[column_of(path)]);
}

const std::vector<std::optional<double>>& MetricTable::values(std::string_view path) const {
  return columns_[column_of(path)];
}

bool MetricTable::contains(std::string_view path) const {
  return index_.contains(path);
}

}  // namespace telsim::analysis
