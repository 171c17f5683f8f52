#pragma once
// Draws a ChartSpec as a Qt Charts QChart: axes, series, whiskers, legend toggles and
// tooltips. It adds nothing to the data: every point comes from the spec.
#include "../mapping/chart_spec.hpp"

class QChart;

namespace telsim::view {

/// A new chart (the caller owns it). Bars of every `bars` series go into one stacked
/// bar series (each category holds one non-zero bar); a point's ci95 becomes an I-shaped
/// line series named "<series> 95% CI" whose legend marker is hidden; `dashed` lines get
/// a dashed pen. Each series' legend marker toggles it and its whiskers; hovering a point
/// shows its tooltip.
QChart* build_chart(const ChartSpec& spec);

/// Redraws `chart` (made by build_chart) with `spec` in place when both have the same
/// shape (categories, axes, and each series' name, kind, axis, style and number of
/// whiskers): each series gets its new points in one replace(), the axes their new ranges,
/// and legend toggles stay as the user left them. Returns false, leaving the chart as it
/// was, when the shape differs; then build a new chart.
bool update_chart(QChart* chart, const ChartSpec& spec);

/// Name suffix of whisker series.
inline constexpr const char* whisker_suffix = " 95% CI";

}  // namespace telsim::view
