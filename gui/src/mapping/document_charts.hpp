#pragma once
// Which chart a document gives for each chart kind and pick: the one place that routes a
// results file, a sweep or a compare.json to the mappers. Used by the window and by
// headless export alike.
#include <optional>
#include <utility>

#include <QString>
#include <QStringList>

#include "../data/view_data.hpp"
#include "blocking_mapper.hpp"
#include "chart_spec.hpp"
#include "map_spec.hpp"

namespace telsim::view {

/// The views of a document. `map` is the network map: drawn from a MapSpec (map_for), not
/// a ChartSpec.
enum class ChartKind { blocking, latency, occupancy, compare, map };

/// "blocking", "latency", "occupancy", "compare", "map" and back; nullopt for another name.
std::optional<ChartKind> chart_kind(const QString& name);
QString chart_kind_name(ChartKind kind);

/// What the user picked: the subject (a metric path, relation or policy; empty = the
/// first of subjects()), the sweep point or compare alternative (index), and, for the
/// blocking charts, the scale and target line.
struct ChartPick {
  ChartPick() = default;
  ChartPick(QString subject_, int point_ = 0, BlockingView view_ = {})
      : subject(std::move(subject_)), point(point_), view(view_) {}

  QString subject;
  int point = 0;
  BlockingView view;
};

/// The subjects the kind offers for the document (may be empty: nothing to pick).
/// blocking: the trunk-group metric (results file, compare alternative) or any metric
/// (sweep); latency: relations and policies; occupancy: "all trunk groups" then each group, when
/// there are several; compare: relations (compare.json), none otherwise; map: the filters
/// (map_filter_names()).
QStringList chart_subjects(const Document& document, ChartKind kind);

/// The points of a sweep or the alternatives of a compare.json, as labels; empty for a
/// results file. (A sweep's blocking chart draws every point at once.)
QStringList chart_points(const Document& document);

/// The chart: for a results file, blocking_chart / latency_chart / occupancy_chart /
/// policy_comparison_chart; for a sweep, sweep_chart, or the others on the picked point;
/// for a compare.json, alternatives_chart, or the others on the picked alternative.
/// For `map`, an empty spec that says to use map_for.
ChartSpec chart_for(const Document& document, ChartKind kind, const ChartPick& pick);

/// The network map of the run a pick stands for (the results file, the picked sweep point
/// or compare alternative); the subject names the filter, empty: default_map_options. For a
/// sweep or compare.json the caption starts with the point's label ("KEY=VALUE: ...").
MapSpec map_for(const Document& document, const ChartPick& pick);

}  // namespace telsim::view
