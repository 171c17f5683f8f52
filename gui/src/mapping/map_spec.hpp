#pragma once
// What the network map shows, as plain values: the map mapper fills it from a run's
// resolved scenario and metrics, the map view draws it. Every position, width, colour and
// text of the map is decided here, so tests can check the map without drawing it.
#include <optional>
#include <utility>

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>

namespace telsim::view {

/// Which trunk groups the map draws (the "Show:" picker, `--subject` of `--chart map`).
enum class MapFilter {
  all_groups,         ///< every trunk group
  tandem_groups,      ///< groups with a tandem at one end at least; direct local-local hidden
  blocking_at_least,  ///< groups whose call blocking (mean) is at least MapOptions::min_blocking
};

struct MapOptions {
  MapFilter filter = MapFilter::all_groups;
  double min_blocking = 0.01;  ///< for blocking_at_least, a fraction
};

/// An exchange. Positions are in map units: the outermost exchanges lie on the circle of
/// radius 1 around (0, 0), y downwards (as on screen); the view scales them to its size.
struct MapNode {
  QString name;
  bool tandem = false;  ///< an exchange where no population lives
  QPointF position;
  /// Unit vector from the node towards where its label goes (outwards on the rings).
  QPointF label_direction{0, 1};
  /// Label drawn always; false: only while the pointer is over the node (busy maps).
  bool label_shown = true;
  /// The tandem this local exchange is placed beside (most circuits to it); empty for a
  /// tandem or an exchange with no group to a tandem.
  QString home_tandem;
  QString tooltip;
};

/// A trunk group, drawn as a line between its two exchanges.
struct MapEdge {
  QString name;
  int from = 0;  ///< index in MapSpec::nodes (the first of `between`)
  int to = 0;    ///< index in MapSpec::nodes (the second)
  double circuits = 0;
  double reserve = 0;
  bool direct = false;             ///< both ends local exchanges (no tandem)
  std::optional<double> blocking;  ///< call blocking, mean; nullopt: no data
  double width = 1;                ///< pixels, from circuits (map_edge_width)
  QColor colour;                   ///< from blocking (map_blocking_colour)
  bool shown = true;               ///< passes the filter
  /// Drawn at the middle of the line on a small map ("AB · 265 circuits · 3.2%"); empty:
  /// none (more than map_labelled_groups groups shown).
  QString label;
  QString tooltip;
};

/// A labelled tick of the colour scale, at a blocking value.
struct MapTick {
  double blocking = 0;
  QString label;  ///< e.g. "0.1%"
};

/// The legend: the colour scale of call blocking (logarithmic), the no-data colour, and
/// line widths for a few circuit counts.
struct MapLegend {
  QString title;
  double low = 1e-4;   ///< at or below: the scale's first colour
  double high = 1e-1;  ///< at or above: its last colour
  /// The scale's colours at positions 0 (low) to 1 (high) along log10(blocking).
  QList<std::pair<double, QColor>> stops;
  QList<MapTick> ticks;
  QColor no_data;
  QString no_data_label;
  /// Sample widths: (circuits, pixels), and the rule in words.
  QList<std::pair<double, double>> widths;
  QString width_rule;
  QString tandem_label;
  QString local_label;
};

struct MapSpec {
  QString title;
  QString caption;  ///< what is shown: "423 of 423 trunk groups", the filter, labels on hover
  QList<MapNode> nodes;
  QList<MapEdge> edges;
  MapLegend legend;
  MapOptions options;  ///< the filter applied
  /// Why there is nothing to draw (no scenario, no exchanges); empty when there is a map.
  QString empty_reason;

  /// The index of the node of that name, or -1.
  int node_index(const QString& name) const;
  /// How many edges pass the filter.
  int shown_edges() const;
};

}  // namespace telsim::view
