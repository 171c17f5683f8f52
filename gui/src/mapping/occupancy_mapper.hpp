#pragma once
// Busy circuits over the measured window, per trunk group, from the results file's
// timeseries (about 200 samples averaged over replications, SPEC §5), with each group's
// circuit count as a dashed line.
#include <string>

#include "../data/view_data.hpp"
#include "chart_spec.hpp"

namespace telsim::view {

/// One line per trunk group with a busy-circuit series ("<group> busy circuits"), then a
/// dashed "<group>: N circuits" line in the same colour, where the scenario says N. The
/// time axis spans the measured window [warmup, warmup + duration].
/// `trunk_group` non-empty: that group only.
ChartSpec occupancy_chart(const Run& run, const std::string& trunk_group = {});

/// The pick offered for "all trunk groups" in the occupancy chart's picker.
inline constexpr const char* all_trunk_groups = "all trunk groups";

}  // namespace telsim::view
