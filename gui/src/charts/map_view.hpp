#pragma once
// The network map drawn from a MapSpec: trunk groups as lines (width and colour from the
// spec), exchanges as boxes (tandems, named inside) and dots (local exchanges, named
// beside, or only under the pointer on a busy map), each with the spec's tooltip. Title,
// caption and legend are drawn over the view, fixed to its corners, so they stay in place
// while the map is zoomed and appear in every export.
//
// Zoom and pan as on the charts: the wheel zooms around the pointer, +/- zoom, a drag
// pans (so do the arrow keys), Home or a double click resets. The map is laid out for the
// view's size: a resize redraws it, unless zoomed.
#include <QGraphicsView>

#include "../mapping/map_spec.hpp"

class QGraphicsItem;
class QGraphicsScene;

namespace telsim::view {

class MapView : public QGraphicsView {
  Q_OBJECT

 public:
  /// What each item of the scene draws, in QGraphicsItem::data(map_item_role).
  static constexpr int map_item_role = 0;
  /// The name of the group or exchange an item draws, in QGraphicsItem::data(map_name_role).
  static constexpr int map_name_role = 1;

  explicit MapView(QWidget* parent = nullptr);

  /// Draws `spec` (copied), at the current size, unzoomed.
  void show_map(const MapSpec& spec);
  const MapSpec& spec() const { return spec_; }
  /// The item drawing a trunk group ("edge") or an exchange ("node"), or its label
  /// ("label"), by name; nullptr when not drawn (e.g. a group the filter hides).
  QGraphicsItem* item(const QString& kind, const QString& name) const;
  /// Back to the whole map at the view's size.
  void reset_zoom();
  bool is_zoomed() const;

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  void rebuild();

  MapSpec spec_;
  QGraphicsScene* scene_;
};

}  // namespace telsim::view
