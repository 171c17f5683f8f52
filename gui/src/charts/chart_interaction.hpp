#pragma once
// Legend toggles and tooltips for charts made by build_chart.
#include <QStringList>

class QChart;
class QObject;

namespace telsim::view {

/// Property of a series or bar set holding its whole name, when its legend label is cut.
inline constexpr const char* full_name_key = "telsim_full_name";
/// Property of a series drawn without a legend entry (SeriesSpec::no_legend).
inline constexpr const char* no_legend_key = "telsim_no_legend";

/// Records that `whisker` draws the CI of `owner` (a series or a bar set), so that toggling
/// the owner toggles it, and hides the whisker's legend marker.
void mark_whisker(QObject* whisker, QObject* owner);
/// The tooltip of each point of an XY series (point order) or each category of a bar set.
void set_tips(QObject* series_or_set, const QStringList& tips);
QStringList tips(const QObject* series_or_set);
/// Connects every legend marker to toggle its series (and that series' whiskers), hides
/// whisker markers, and shows a point's tooltip on hover, and a series' whole name on
/// hovering its legend marker.
void make_interactive(QChart* chart);
/// Toggles what a legend marker of `chart` stands for, as a click on it does; `name` is
/// the marker's label or the series' whole name. Returns false when no marker has it.
bool toggle_series(QChart* chart, const QString& name);
/// Whether the series or bar set is shown (bar sets are hidden by making them transparent).
bool is_shown(const QObject* series_or_set);

}  // namespace telsim::view
