#pragma once
// The network map of a run: its exchanges and trunk groups from the results file's
// resolved scenario (docs/reference/results.md, "The resolved scenario": exchanges,
// subscribers, trunk_groups, traffic), coloured by each group's call blocking and sized by
// its circuits. An exchange where no population lives is a tandem.
#include <optional>

#include <QColor>
#include <QString>
#include <QStringList>

#include "../data/view_data.hpp"
#include "map_spec.hpp"

namespace telsim::view {

/// More exchanges than this make a busy map: local exchanges are labelled only while the
/// pointer is over them, and the map opens with direct local-local groups hidden.
inline constexpr int map_busy_exchanges = 30;

/// Up to this many trunk groups, each line carries its name, circuits and call blocking.
inline constexpr int map_labelled_groups = 24;

/// The filters, as the "Show:" picker lists them and `--subject` takes them:
/// "all groups", "tandem groups", "groups with blocking >= 0.1%", ">= 1%", ">= 10%".
QStringList map_filter_names();
/// The options a filter name stands for; nullopt for another name.
std::optional<MapOptions> map_options(const QString& name);
/// The name of a filter (one of map_filter_names() for the thresholds it offers).
QString map_filter_name(const MapOptions& options);
/// What the map of `run` opens with: tandem groups when the network is busy (more than
/// map_busy_exchanges exchanges) and has a tandem, else all groups.
MapOptions default_map_options(const Run& run);

/// The colour of a call blocking on the map's scale: logarithmic from 1e-4 (green; any
/// blocking at or below, zero included) through 1e-3, 1e-2 to 1e-1 (red; and above).
/// No data (nullopt, NaN): grey. The redder, the higher: red() - green() grows with blocking.
QColor map_blocking_colour(std::optional<double> blocking);
/// The width in pixels of a group's line: sqrt(circuits) / 2, at least 1 and at most 12
/// (4 circuits or fewer: 1 px; 100: 5 px; 576 or more: 12 px).
double map_edge_width(double circuits);

/// The map of `run` with `options` applied. Tooltips: per group its name, ends, circuits
/// (and reserve), call blocking, carried Erlangs and (where the results have it)
/// peakedness, each mean ± ci95; per exchange its kind and the end-to-end loss
/// (traffic.<relation>.first_attempt_failure.congestion) of the relations from or to its
/// populations, worst first. O(metrics + groups + relations).
MapSpec network_map(const Run& run, const MapOptions& options);

}  // namespace telsim::view
