#include "document_charts.hpp"

#include <algorithm>

#include "blocking_mapper.hpp"
#include "compare_mapper.hpp"
#include "latency_mapper.hpp"
#include "map_mapper.hpp"
#include "occupancy_mapper.hpp"

namespace telsim::view {
namespace {

constexpr std::pair<ChartKind, const char*> kind_names[] = {{ChartKind::blocking, "blocking"},
                                                            {ChartKind::latency, "latency"},
                                                            {ChartKind::occupancy, "occupancy"},
                                                            {ChartKind::compare, "compare"},
                                                            {ChartKind::map, "map"}};

// The run a picked point stands for: the run itself, a sweep point or an alternative.
const Run& picked_run(const Document& document, int point) {
  if (const Run* run = std::get_if<Run>(&document.content)) return *run;
  if (const Sweep* sweep = std::get_if<Sweep>(&document.content)) {
    const auto k = static_cast<std::size_t>(std::max(point, 0));
    return sweep->points.at(std::min(k, sweep->points.size() - 1)).run;
  }
  const Comparison& c = std::get<Comparison>(document.content);
  const auto k = static_cast<std::size_t>(std::max(point, 0));
  return c.alternatives.at(std::min(k, c.alternatives.size() - 1));
}

std::string subject_or_first(const ChartPick& pick, const QStringList& subjects) {
  if (!pick.subject.isEmpty()) return pick.subject.toStdString();
  return subjects.isEmpty() ? std::string() : subjects.front().toStdString();
}

BlockingChoice blocking_choice(const std::string& group_metric) {
  BlockingChoice choice;
  if (!group_metric.empty()) choice.group_metric = group_metric;
  return choice;
}

}  // namespace

std::optional<ChartKind> chart_kind(const QString& name) {
  for (const auto& [kind, text] : kind_names) {
    if (name == QLatin1String(text)) return kind;
  }
  return std::nullopt;
}

QString chart_kind_name(ChartKind kind) {
  for (const auto& [k, text] : kind_names) {
    if (k == kind) return QLatin1String(text);
  }
  return {};
}

QStringList chart_subjects(const Document& document, ChartKind kind) {
  const Sweep* sweep = std::get_if<Sweep>(&document.content);
  const Comparison* comparison = std::get_if<Comparison>(&document.content);
  if ((sweep && sweep->points.empty()) || (comparison && comparison->alternatives.empty()))
    return {};
  switch (kind) {
    case ChartKind::blocking:
      if (sweep) return sweep_metric_paths(*sweep);
      return {QStringLiteral("call_blocking"), QStringLiteral("time_congestion")};
    case ChartKind::latency:
      return latency_owners(picked_run(document, 0));
    case ChartKind::occupancy: {
      // With more than one group, one can be picked; all are shown by default.
      const Run& run = picked_run(document, 0);
      if (run.trunk_groups.size() < 2) return {};
      QStringList groups{QLatin1String(all_trunk_groups)};
      for (const std::string& g : run.trunk_groups) groups << QString::fromStdString(g);
      return groups;
    }
    case ChartKind::compare:
      return comparison ? comparison_relations(*comparison) : QStringList();
    case ChartKind::map:
      return map_filter_names();
  }
  return {};
}

QStringList chart_points(const Document& document) {
  QStringList labels;
  if (const Sweep* sweep = std::get_if<Sweep>(&document.content)) {
    for (const SweepPoint& p : sweep->points) {
      QStringList values;
      for (std::size_t a = 0; a < sweep->axes.size(); ++a) {
        values << QString::fromStdString(sweep->axes[a].key + "=" + p.values[a]);
      }
      labels << values.join(QStringLiteral(", "));
    }
  } else if (const Comparison* c = std::get_if<Comparison>(&document.content)) {
    for (const std::string& v : c->values) labels << QString::fromStdString(c->key + "=" + v);
  }
  return labels;
}

ChartSpec chart_for(const Document& document, ChartKind kind, const ChartPick& pick) {
  const QStringList subjects = chart_subjects(document, kind);
  const std::string subject = subject_or_first(pick, subjects);
  const Sweep* sweep = std::get_if<Sweep>(&document.content);
  const Comparison* comparison = std::get_if<Comparison>(&document.content);
  if ((sweep && sweep->points.empty()) || (comparison && comparison->alternatives.empty())) {
    ChartSpec empty;
    empty.empty_reason = QStringLiteral("no points");
    return empty;
  }
  const Run& run = picked_run(document, pick.point);
  switch (kind) {
    case ChartKind::blocking:
      if (sweep) return sweep_chart(*sweep, subject, pick.view);
      {
        BlockingChoice choice = blocking_choice(subject);
        choice.view = pick.view;
        return blocking_chart(run, choice);
      }
    case ChartKind::latency:
      return latency_chart(run, subject);
    case ChartKind::occupancy:
      return occupancy_chart(run, subject == all_trunk_groups ? std::string() : subject);
    case ChartKind::compare:
      if (comparison) return alternatives_chart(*comparison, subject);
      return policy_comparison_chart(run);
    case ChartKind::map: {
      ChartSpec not_a_chart;
      not_a_chart.empty_reason = QStringLiteral("the network map is drawn from map_for");
      return not_a_chart;
    }
  }
  return {};
}

MapSpec map_for(const Document& document, const ChartPick& pick) {
  const Sweep* sweep = std::get_if<Sweep>(&document.content);
  const Comparison* comparison = std::get_if<Comparison>(&document.content);
  if ((sweep && sweep->points.empty()) || (comparison && comparison->alternatives.empty())) {
    MapSpec empty;
    empty.empty_reason = QStringLiteral("no points");
    return empty;
  }
  const Run& run = picked_run(document, pick.point);
  const std::optional<MapOptions> picked = map_options(pick.subject);
  MapSpec spec = network_map(run, picked ? *picked : default_map_options(run));
  // Say which point or alternative the map is of (a picture has no picker).
  const QStringList points = chart_points(document);
  if (!points.isEmpty())
    spec.caption = points.at(std::clamp(pick.point, 0, static_cast<int>(points.size()) - 1)) +
                   QStringLiteral(": ") + spec.caption;
  return spec;
}

}  // namespace telsim::view
