#include "occupancy_mapper.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

namespace telsim::view {

namespace {

/// Mean busy circuits over the window, as a share of the circuits (or of the series'
/// peak when the scenario does not say): how loaded a group is.
double load_of(const Run& run, const std::string& group, const analysis::TimeSeries& ts) {
  double sum = 0, peak = 0;
  std::size_t n = 0;
  for (double v : ts.mean) {
    if (!std::isfinite(v)) continue;
    sum += v;
    peak = std::max(peak, v);
    ++n;
  }
  const double mean = n > 0 ? sum / static_cast<double>(n) : 0;
  const double capacity = run.circuits(group).value_or(peak);
  return capacity > 0 ? mean / capacity : 0;
}

}  // namespace

ChartSpec occupancy_chart(const Run& run, const std::string& trunk_group) {
  ChartSpec spec;
  spec.title = QString::fromStdString(run.name) + QStringLiteral(": busy circuits over time");
  spec.x.title = QStringLiteral("time since the start of the replication (s)");
  spec.y.title = QStringLiteral("busy circuits (mean over replications)");
  double t_min = 0, t_max = 0, top = 0;
  bool first = true;

  // The groups drawn: the one picked, or all of them up to the palette's twelve colours
  // (the most loaded, in scenario order): more lines would not be told apart.
  std::vector<std::string> groups;
  for (const std::string& group : run.trunk_groups) {
    if (!trunk_group.empty() && group != trunk_group) continue;
    const auto found = run.busy_circuits.find(group);
    if (found == run.busy_circuits.end() || found->second.t.empty()) continue;
    groups.push_back(group);
  }
  constexpr std::size_t most = 12;
  const std::size_t available = groups.size();
  if (groups.size() > most) {
    std::vector<std::pair<double, std::size_t>> loads;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      loads.emplace_back(-load_of(run, groups[i], run.busy_circuits.at(groups[i])), i);
    }
    std::sort(loads.begin(), loads.end());
    std::vector<std::size_t> keep;
    for (std::size_t k = 0; k < most; ++k) keep.push_back(loads[k].second);
    std::sort(keep.begin(), keep.end());
    std::vector<std::string> kept;
    for (std::size_t i : keep) kept.push_back(groups[i]);
    groups = kept;
    spec.title += QStringLiteral(" (the %1 most loaded of %2 groups; pick one above)")
                      .arg(most)
                      .arg(available);
  }

  // Capacity lines: one per circuit count. Groups of the same size share one line, named
  // after all of them, instead of lines drawn over each other.
  std::map<double, QStringList> by_capacity;
  std::map<double, QString> first_busy;
  for (const std::string& group : groups) {
    const analysis::TimeSeries& ts = run.busy_circuits.at(group);
    const QString name = QString::fromStdString(group);
    // Named by the group alone (the axis says what is drawn): twelve of them fit a legend.
    SeriesSpec busy{name, SeriesKind::line};
    for (std::size_t k = 0; k < ts.t.size(); ++k) {
      if (!std::isfinite(ts.mean[k])) continue;
      busy.points << ChartPoint{ts.t[k], ts.mean[k], std::nullopt, 0,
                                QStringLiteral("%1 at %2 s: %3 busy circuits")
                                    .arg(name)
                                    .arg(ts.t[k], 0, 'g', 6)
                                    .arg(ts.mean[k], 0, 'g', 4)};
      top = std::max(top, ts.mean[k]);
    }
    t_min = first ? ts.t.front() : std::min(t_min, ts.t.front());
    t_max = first ? ts.t.back() : std::max(t_max, ts.t.back());
    first = false;
    spec.series << busy;
    if (const auto circuits = run.circuits(group)) {
      by_capacity[*circuits] << name;
      if (!first_busy.count(*circuits)) first_busy[*circuits] = busy.name;
      top = std::max(top, *circuits);
    }
  }
  if (spec.series.isEmpty()) {
    spec.empty_reason = QStringLiteral("the results file has no busy-circuit series");
    return spec;
  }
  // The measured window, [warmup, warmup + duration): the samples are its bins' middles.
  spec.x.min = std::min(t_min, run.warmup);
  spec.x.max = std::max(t_max, run.warmup + run.duration);
  for (const auto& [circuits, names] : by_capacity) {
    SeriesSpec line{
        QStringLiteral("%1: %2 circuits").arg(names.join(QStringLiteral(", "))).arg(circuits),
        SeriesKind::line};
    line.dashed = true;
    // One group's line in that group's colour, with no legend entry of its own (its
    // tooltip names it); a shared line in a colour of its own, in the legend.
    if (names.size() == 1) {
      line.same_colour_as = first_busy[circuits];
      line.no_legend = true;
    }
    line.points << ChartPoint{spec.x.min, circuits, std::nullopt, 0, line.name}
                << ChartPoint{spec.x.max, circuits, std::nullopt, 0, line.name};
    spec.series << line;
  }
  spec.x.tick_interval = nice_step(spec.x.max - spec.x.min, 6);
  spec.y.min = 0;
  spec.y.max = nice_ceiling(top);
  spec.y.tick_interval = nice_step(spec.y.max, 5);
  return spec;
}

}  // namespace telsim::view
