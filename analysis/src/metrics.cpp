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

std::uint32_t fragment_of(std::size_t hash) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(hash) >> 32);
}

[[noreturn]] void appears_twice(std::string_view path, std::size_t replication) {
  throw std::invalid_argument("MetricTable::add_replication: path '" + std::string(path) +
                              "' appears twice in replication " + std::to_string(replication));
}

const MetricPaths& no_paths() {
  static const MetricPaths none;
  return none;
}

}  // namespace

ReplicationMetrics::ReplicationMetrics(
    std::initializer_list<std::pair<std::string_view, std::optional<double>>> values) {
  for (const auto& [path, value] : values) add(path, value);
}

ReplicationMetrics::ReplicationMetrics(std::shared_ptr<const MetricPaths> paths,
                                       std::vector<std::optional<double>> values)
    : paths_(std::move(paths)), values_(std::move(values)) {
  if (!paths_ || paths_->size() != values_.size()) {
    throw std::invalid_argument("ReplicationMetrics: a value for each path is needed");
  }
}

void ReplicationMetrics::add(std::string_view path, std::optional<double> value) {
  // Paths this object did not make, or shares, are copied before they change:
  // another replication or a table may hold them.
  if (!own_paths_ || paths_.use_count() > 1) {
    own_paths_ = true;
    paths_ = paths_ ? std::make_shared<MetricPaths>(*paths_) : std::make_shared<MetricPaths>();
  }
  std::const_pointer_cast<MetricPaths>(paths_)->push_back(path);
  values_.push_back(value);
}

const MetricPaths& ReplicationMetrics::paths() const {
  return paths_ ? *paths_ : no_paths();
}

const MetricPaths& MetricTable::paths() const {
  return *paths_;
}

std::optional<std::size_t> MetricTable::find(std::string_view path) const {
  if (slots_.empty()) return std::nullopt;
  const std::size_t hash = hash_of(path);
  const std::uint32_t fragment = fragment_of(hash);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask; slots_[at].column != empty_slot; at = (at + 1) & mask) {
    const Slot& s = slots_[at];
    if (s.hash == fragment && (*paths_)[s.column] == path) return s.column;
  }
  return std::nullopt;
}

std::vector<MetricTable::Slot> MetricTable::index_of(const MetricPaths& paths,
                                                     std::size_t replication) {
  // A power of two (probes wrap with a mask), at most half full so that a probe stays short.
  std::vector<Slot> slots(std::bit_ceil(std::max<std::size_t>(64, 2 * paths.size())));
  const std::size_t mask = slots.size() - 1;
  for (auto it = paths.begin(); it != paths.end(); ++it) {
    const std::size_t hash = hash_of(*it);
    const std::uint32_t fragment = fragment_of(hash);
    std::size_t at = hash & mask;
    for (; slots[at].column != empty_slot; at = (at + 1) & mask) {
      if (slots[at].hash == fragment && paths[slots[at].column] == *it) {
        appears_twice(*it, replication);
      }
    }
    slots[at] = Slot{static_cast<std::uint32_t>(it.index()), fragment};
  }
  return slots;
}

void MetricTable::add_replication(const ReplicationMetrics& replication) {
  add(replication, nullptr);
}

void MetricTable::add_replication(ReplicationMetrics&& replication) {
  add(replication, &replication.values_);
  // Moved from: empty, not a list of paths without values.
  replication = ReplicationMetrics();
}

void MetricTable::add(const ReplicationMetrics& replication,
                      std::vector<std::optional<double>>* movable) {
  // Whatever can fail (allocation) happens before the table changes.
  rows_.reserve(rows_.size() + 1);
  const auto append_row = [&](std::vector<std::optional<double>> row) {
    rows_.push_back(std::move(row));
    ++replications_;
  };
  const auto own_values = [&] { return movable ? std::move(*movable) : replication.values_; };
  if (replication.size() == 0) return append_row({});
  // Every replication of a run lists the same paths: they cost nothing more.
  if (replication.paths_ == paths_ ||
      (replication.size() == paths_->size() && *replication.paths_ == *paths_)) {
    return append_row(own_values());
  }
  if (paths_->empty()) {
    // The first replication's paths become the table's (no copy), indexed
    // before anything changes: a path given twice leaves the table as it was.
    std::vector<Slot> slots = index_of(*replication.paths_, replications_);
    std::vector<std::optional<double>> row = own_values();
    paths_ = replication.paths_;
    slots_ = std::move(slots);
    return append_row(std::move(row));
  }

  // Validate first so that a bad replication leaves the table as it was: a
  // path seen twice in it is either a known column met twice (marked seen) or
  // a new path listed twice (found when the grown list is indexed).
  std::vector<std::uint32_t> columns(replication.size());
  std::vector<bool> seen(paths_->size(), false);
  std::vector<std::pair<std::string, std::uint32_t>> fresh;  // new paths, positions
  const MetricPaths& given = replication.paths();
  for (auto it = given.begin(); it != given.end(); ++it) {
    const std::optional<std::size_t> column = find(*it);
    if (!column) {
      fresh.emplace_back(*it, static_cast<std::uint32_t>(it.index()));
      continue;
    }
    if (seen[*column]) appears_twice(*it, replications_);
    seen[*column] = true;
    columns[it.index()] = static_cast<std::uint32_t>(*column);
  }
  std::shared_ptr<const MetricPaths> paths = paths_;
  std::vector<Slot> slots;
  if (!fresh.empty()) {
    auto grown = std::make_shared<MetricPaths>(*paths_);
    for (const auto& [path, position] : fresh) {
      columns[position] = static_cast<std::uint32_t>(grown->size());
      grown->push_back(path);
    }
    slots = index_of(*grown, replications_);
    paths = std::move(grown);
  }
  std::vector<std::optional<double>> row(paths->size());
  for (std::size_t i = 0; i < replication.size(); ++i) {
    row[columns[i]] = replication.values_[i];
  }
  if (!fresh.empty()) {
    paths_ = std::move(paths);
    slots_ = std::move(slots);
  }
  append_row(std::move(row));
}

std::optional<double> MetricTable::value_at(std::size_t column, std::size_t replication) const {
  const std::vector<std::optional<double>>& row = rows_.at(replication);
  // A row is as long as the table was when it was added: later paths are null there.
  return column < row.size() ? row[column] : std::nullopt;
}

std::vector<std::optional<double>> MetricTable::column(std::size_t column) const {
  if (column >= paths_->size()) throw std::out_of_range("MetricTable: no such column");
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
