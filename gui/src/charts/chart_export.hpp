#pragma once
// Pictures of charts: PNG (any format QImageWriter knows) and SVG.
#include <QSize>
#include <QString>

class QChart;
class QWidget;

namespace telsim::view {

struct MapSpec;

/// Writes `chart` at `size` pixels to `path`: SVG when it ends in ".svg", else an image
/// whose format follows the extension (PNG). The chart is drawn in a view of its own at
/// that size, without a display. Returns an error message, empty on success.
QString export_chart(QChart* chart, const QString& path, QSize size);

/// Writes the network map of `spec` at `size` pixels to `path`, as export_chart does: drawn
/// by a MapView of that size, without a display, and written by export_view.
QString export_map(const MapSpec& spec, const QString& path, QSize size);

/// Writes what `view` shows (current zoom included) at its current size. Returns an error
/// message, empty on success.
QString export_view(QWidget* view, const QString& path);

/// Parses "WxH" (e.g. "1280x800"); an invalid size when malformed, or below 320x240 or
/// above 16384 pixels a side.
QSize parse_size(const QString& text);

}  // namespace telsim::view
