#include "occupancy_mapper.hpp"

#include <algorithm>
#include <cmath>

namespace telsim::view {

ChartSpec occupancy_chart(const Run& run, const std::string& trunk_group) {
  ChartSpec spec;
  spec.title = QString::fromStdString(run.name) + QStringLiteral(": busy circuits over time");
  spec.x.title = QStringLiteral("time since the start of the replication (s)");
  spec.y.title = QStringLiteral("busy circuits (mean over replications)");
  double t_min = 0, t_max = 0, top = 0;
  bool first = true;
  QList<SeriesSpec> capacity;
  for (const std::string& group : run.trunk_groups) {
    if (!trunk_group.empty() && group != trunk_group) continue;
    const auto found = run.busy_circuits.find(group);
    if (found == run.busy_circuits.end() || found->second.t.empty()) continue;
    const analysis::TimeSeries& ts = found->second;
    const QString name = QString::fromStdString(group);
    SeriesSpec busy{name + QStringLiteral(" busy circuits"), SeriesKind::line};
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
      SeriesSpec line{QStringLiteral("%1: %2 circuits").arg(name).arg(*circuits), SeriesKind::line};
      line.dashed = true;
      line.same_colour_as = busy.name;
      line.points << ChartPoint{ts.t.front(), *circuits, std::nullopt, 0, line.name}
                  << ChartPoint{ts.t.back(), *circuits, std::nullopt, 0, line.name};
      top = std::max(top, *circuits);
      capacity << line;
    }
  }
  spec.series << capacity;
  if (spec.series.isEmpty()) {
    spec.empty_reason = QStringLiteral("the results file has no busy-circuit series");
    return spec;
  }
  // The measured window, [warmup, warmup + duration): the samples are its bins' middles.
  spec.x.min = std::min(t_min, run.warmup);
  spec.x.max = std::max(t_max, run.warmup + run.duration);
  spec.x.ticks = 5;
  spec.y.min = 0;
  spec.y.max = nice_ceiling(top);
  return spec;
}

}  // namespace telsim::view
