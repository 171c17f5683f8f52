#include "map_view.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <QFontMetricsF>
#include <QGraphicsEllipseItem>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSceneHoverEvent>
#include <QKeyEvent>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPathStroker>
#include <QResizeEvent>
#include <QScrollBar>
#include <QWheelEvent>

namespace telsim::view {
namespace {

// The picture's frame, in pixels of the view.
constexpr double margin = 16;
constexpr double header = 62;         // title and caption above the map
constexpr double legend_width = 210;  // the legend's column on the right
constexpr double label_room = 44;     // around the outermost exchanges, for their names
constexpr double local_radius = 5;
const QColor ink(0x26, 0x32, 0x38);
const QColor tandem_fill(0x37, 0x47, 0x4f);
const QColor muted(0x60, 0x6a, 0x70);

QPen edge_pen(const MapEdge& edge, bool hovered) {
  QPen pen(hovered ? edge.colour.darker(130) : edge.colour, edge.width + (hovered ? 2 : 0));
  pen.setCapStyle(edge.blocking ? Qt::RoundCap : Qt::FlatCap);
  if (!edge.blocking) pen.setStyle(Qt::DashLine);
  return pen;
}

// A trunk group: its line, a generous hover area, darker under the pointer.
class EdgeItem : public QGraphicsPathItem {
 public:
  EdgeItem(const MapEdge& edge, QPointF a, QPointF b) : edge_(edge) {
    QPainterPath path(a);
    path.lineTo(b);
    setPath(path);
    setPen(edge_pen(edge_, false));
    setToolTip(edge.tooltip);
    setAcceptHoverEvents(true);
  }
  QPainterPath shape() const override {
    QPainterPathStroker stroker;
    stroker.setWidth(std::max(edge_.width, 8.0));
    return stroker.createStroke(path());
  }

 protected:
  void hoverEnterEvent(QGraphicsSceneHoverEvent*) override { setPen(edge_pen(edge_, true)); }
  void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override { setPen(edge_pen(edge_, false)); }

 private:
  MapEdge edge_;
};

// A name on a white, slightly transparent plate, so that it reads over the lines.
class LabelItem : public QGraphicsItem {
 public:
  LabelItem(const QString& text, const QFont& font, QColor colour, QColor plate)
      : text_(text), font_(font), colour_(colour), plate_(plate) {
    const QFontMetricsF metrics(font_);
    rect_ = QRectF(0, 0, metrics.horizontalAdvance(text_) + 6, metrics.height() + 2);
    setAcceptHoverEvents(false);
    setAcceptedMouseButtons(Qt::NoButton);
  }
  QRectF boundingRect() const override { return rect_; }
  void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override {
    painter->setPen(Qt::NoPen);
    painter->setBrush(plate_);
    painter->drawRoundedRect(rect_, 3, 3);
    painter->setFont(font_);
    painter->setPen(colour_);
    painter->drawText(rect_, Qt::AlignCenter, text_);
  }

 private:
  QString text_;
  QFont font_;
  QColor colour_, plate_;
  QRectF rect_;
};

// A local exchange's dot; its label shows while the pointer is over it when the map
// labels only on hover.
class LocalItem : public QGraphicsEllipseItem {
 public:
  LocalItem(QPointF at, QGraphicsItem* label, bool label_always)
      : QGraphicsEllipseItem(at.x() - local_radius, at.y() - local_radius, 2 * local_radius,
                             2 * local_radius),
        label_(label),
        label_always_(label_always) {
    setAcceptHoverEvents(true);
  }

 protected:
  void hoverEnterEvent(QGraphicsSceneHoverEvent*) override {
    if (!label_always_) label_->setVisible(true);
    setBrush(QColor(0xff, 0xe0, 0x82));
  }
  void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override {
    if (!label_always_) label_->setVisible(false);
    setBrush(Qt::white);
  }

 private:
  QGraphicsItem* label_;
  bool label_always_;
};

QFont font_sized(QFont font, double points, bool bold = false) {
  font.setPointSizeF(points);
  font.setBold(bold);
  return font;
}

}  // namespace

MapView::MapView(QWidget* parent) : QGraphicsView(parent), scene_(new QGraphicsScene(this)) {
  setScene(scene_);
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setViewportUpdateMode(QGraphicsView::FullViewportUpdate);  // the legend is drawn over all
  setBackgroundBrush(Qt::white);
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
}

void MapView::show_map(const MapSpec& spec) {
  spec_ = spec;
  rebuild();
}

void MapView::rebuild() {
  resetTransform();
  scene_->clear();
  const QSizeF size = viewport()->size();
  scene_->setSceneRect(QRectF(QPointF(0, 0), size));
  if (!spec_.empty_reason.isEmpty() || spec_.nodes.isEmpty()) {
    viewport()->update();
    return;
  }
  // Fit the exchanges' extent (map units) into the area left of the legend.
  const QRectF area(margin + label_room, header + label_room,
                    size.width() - legend_width - 3 * margin - 2 * label_room,
                    size.height() - header - margin - 2 * label_room);
  double left = 0, right = 0, top = 0, bottom = 0;
  for (qsizetype k = 0; k < spec_.nodes.size(); ++k) {
    const QPointF p = spec_.nodes[k].position;
    left = k == 0 ? p.x() : std::min(left, p.x());
    right = k == 0 ? p.x() : std::max(right, p.x());
    top = k == 0 ? p.y() : std::min(top, p.y());
    bottom = k == 0 ? p.y() : std::max(bottom, p.y());
  }
  // A map unit never longer than the area's smaller side: two exchanges side by side stay
  // apart by that much, not by the picture's width.
  double scale = std::max(1.0, std::min(area.width(), area.height()));
  if (right - left > 1e-9) scale = std::min(scale, area.width() / (right - left));
  if (bottom - top > 1e-9) scale = std::min(scale, area.height() / (bottom - top));
  scale = std::max(scale, 1.0);
  const QPointF middle((left + right) / 2, (top + bottom) / 2);
  const QPointF centre = area.center();
  const auto place = [&](QPointF p) { return centre + (p - middle) * scale; };

  // Groups: the shown ones, the most blocked on top; no data below everything.
  std::vector<qsizetype> order(static_cast<std::size_t>(spec_.edges.size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [this](qsizetype a, qsizetype b) {
    const auto& ea = spec_.edges[a];
    const auto& eb = spec_.edges[b];
    return ea.blocking.value_or(-1) < eb.blocking.value_or(-1);
  });
  double z = 0;
  for (qsizetype k : order) {
    const MapEdge& edge = spec_.edges[k];
    if (!edge.shown) continue;
    auto* item = new EdgeItem(edge, place(spec_.nodes[edge.from].position),
                              place(spec_.nodes[edge.to].position));
    item->setZValue(z);
    z += 1e-3;
    item->setData(map_item_role, QStringLiteral("edge"));
    item->setData(map_name_role, edge.name);
    scene_->addItem(item);
    if (!edge.label.isEmpty()) {
      auto* label =
          new LabelItem(edge.label, font_sized(font(), 9.5), ink, QColor(255, 255, 255, 225));
      const QPointF middle = item->path().pointAtPercent(0.5);
      const QRectF r = label->boundingRect();
      label->setPos(middle - QPointF(r.width() / 2, r.height() / 2));
      label->setZValue(15);
      label->setData(map_item_role, QStringLiteral("edge label"));
      label->setData(map_name_role, edge.name);
      scene_->addItem(label);
    }
  }

  const QFont local_font = font_sized(font(), 9.5);
  const QFont tandem_font = font_sized(font(), 10, true);
  for (const MapNode& node : spec_.nodes) {
    const QPointF at = place(node.position);
    QGraphicsItem* shape = nullptr;
    if (node.tandem) {
      // A box with the name inside: the name is always shown.
      auto* label = new LabelItem(node.name, tandem_font, Qt::white, tandem_fill);
      const QRectF r = label->boundingRect();
      label->setPos(at - QPointF(r.width() / 2, r.height() / 2));
      label->setZValue(20);
      label->setToolTip(node.tooltip);
      label->setAcceptHoverEvents(true);
      shape = label;
    } else {
      auto* label = new LabelItem(node.name, local_font, ink, QColor(255, 255, 255, 215));
      const QRectF r = label->boundingRect();
      const QPointF d = node.label_direction;
      const QPointF anchor = at + d * (local_radius + 3);
      label->setPos(anchor.x() - r.width() / 2 + d.x() * r.width() / 2,
                    anchor.y() - r.height() / 2 + d.y() * r.height() / 2);
      label->setZValue(node.label_shown ? 25 : 40);
      label->setVisible(node.label_shown);
      label->setData(map_item_role, QStringLiteral("label"));
      label->setData(map_name_role, node.name);
      scene_->addItem(label);
      auto* dot = new LocalItem(at, label, node.label_shown);
      dot->setPen(QPen(ink, 1.5));
      dot->setBrush(Qt::white);
      dot->setZValue(30);
      dot->setToolTip(node.tooltip);
      shape = dot;
    }
    shape->setData(map_item_role, QStringLiteral("node"));
    shape->setData(map_name_role, node.name);
    scene_->addItem(shape);
  }
  viewport()->update();
}

QGraphicsItem* MapView::item(const QString& kind, const QString& name) const {
  for (QGraphicsItem* i : scene_->items()) {
    if (i->data(map_item_role).toString() == kind && i->data(map_name_role).toString() == name)
      return i;
  }
  return nullptr;
}

void MapView::reset_zoom() {
  rebuild();
}

bool MapView::is_zoomed() const {
  return !transform().isIdentity();
}

void MapView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  if (!is_zoomed()) rebuild();
}

void MapView::wheelEvent(QWheelEvent* event) {
  const double factor = event->angleDelta().y() > 0 ? 1.25 : 0.8;
  if (factor < 1 && transform().m11() * factor < 1) {
    reset_zoom();  // never smaller than the whole map
  } else {
    scale(factor, factor);
  }
  event->accept();
}

void MapView::keyPressEvent(QKeyEvent* event) {
  const auto pan = [this](int dx, int dy) {
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + dx);
    verticalScrollBar()->setValue(verticalScrollBar()->value() + dy);
  };
  switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      scale(1.25, 1.25);
      break;
    case Qt::Key_Minus:
      if (transform().m11() * 0.8 < 1) {
        reset_zoom();
      } else {
        scale(0.8, 0.8);
      }
      break;
    case Qt::Key_Left:
      pan(-20, 0);
      break;
    case Qt::Key_Right:
      pan(20, 0);
      break;
    case Qt::Key_Up:
      pan(0, -20);
      break;
    case Qt::Key_Down:
      pan(0, 20);
      break;
    case Qt::Key_Home:
      reset_zoom();
      break;
    default:
      QGraphicsView::keyPressEvent(event);
      return;
  }
  event->accept();
}

void MapView::mouseDoubleClickEvent(QMouseEvent* event) {
  reset_zoom();
  event->accept();
}

void MapView::drawForeground(QPainter* painter, const QRectF&) {
  // In the view's own pixels, whatever the zoom: undo the scene-to-view transform.
  painter->save();
  painter->setTransform(viewportTransform().inverted(), true);
  const QRectF frame(QPointF(0, 0), QSizeF(viewport()->size()));
  painter->setPen(ink);
  painter->setFont(font_sized(font(), 13, true));
  const QRectF title(margin, 8, frame.width() - 2 * margin, 24);
  painter->drawText(title, Qt::AlignLeft | Qt::AlignVCenter, spec_.title);
  painter->setPen(muted);
  painter->setFont(font_sized(font(), 9.5));
  painter->drawText(QRectF(margin, 34, frame.width() - 2 * margin, 20),
                    Qt::AlignLeft | Qt::AlignVCenter, spec_.caption);
  if (!spec_.empty_reason.isEmpty()) {
    painter->setFont(font_sized(font(), 11));
    painter->drawText(frame, Qt::AlignCenter, spec_.empty_reason);
    painter->restore();
    return;
  }
  if (spec_.nodes.isEmpty()) {
    painter->restore();
    return;
  }

  // The legend, in a column on the right.
  const MapLegend& legend = spec_.legend;
  const double x = frame.width() - legend_width - margin;
  double y = header + 4;
  const QFont heading = font_sized(font(), 10, true);
  const QFont text = font_sized(font(), 9);
  const QFontMetricsF metrics(text);
  const double line = metrics.height() + 4;
  const double bar_height = 130, bar_width = 14;
  const double panel_height = (line + 4) + (bar_height + 22) + (line + 8) + (line + 6) + 3 * 18 +
                              (line + 8) + (line + 2) + line / 2 + 12;
  painter->setPen(QPen(QColor(0xcf, 0xd8, 0xdc), 1));
  painter->setBrush(QColor(255, 255, 255, 235));
  painter->drawRoundedRect(QRectF(x - 10, y - 8, legend_width, panel_height), 4, 4);

  painter->setPen(ink);
  painter->setFont(heading);
  painter->drawText(QPointF(x, y + metrics.ascent()), legend.title);
  y += line + 4;
  // The colour bar, red (high) at the top; ticks at their log position.
  const QRectF bar(x, y, bar_width, bar_height);
  QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
  for (const auto& [at, colour] : legend.stops) gradient.setColorAt(at, colour);
  painter->setPen(Qt::NoPen);
  painter->setBrush(gradient);
  painter->drawRect(bar);
  painter->setFont(text);
  painter->setPen(ink);
  const double span = std::log10(legend.high) - std::log10(legend.low);
  for (const MapTick& tick : legend.ticks) {
    const double t = (std::log10(tick.blocking) - std::log10(legend.low)) / span;
    const double ty = bar.bottom() - t * bar_height;
    painter->drawLine(QPointF(bar.right(), ty), QPointF(bar.right() + 5, ty));
    painter->drawText(QPointF(bar.right() + 9, ty + metrics.ascent() / 2 - 1), tick.label);
  }
  y += bar_height + 22;
  // No data.
  QPen no_data(legend.no_data, 3);
  no_data.setStyle(Qt::DashLine);
  no_data.setCapStyle(Qt::FlatCap);
  painter->setPen(no_data);
  painter->drawLine(QPointF(x, y), QPointF(x + 36, y));
  painter->setPen(ink);
  painter->drawText(QPointF(x + 46, y + metrics.ascent() / 2 - 1), legend.no_data_label);
  y += line + 8;
  // Widths.
  painter->setFont(heading);
  painter->drawText(QPointF(x, y + metrics.ascent()), QStringLiteral("circuits"));
  y += line + 6;
  painter->setFont(text);
  for (const auto& [circuits, width] : legend.widths) {
    QPen sample(muted, width);
    sample.setCapStyle(Qt::FlatCap);
    painter->setPen(sample);
    painter->drawLine(QPointF(x, y), QPointF(x + 36, y));
    painter->setPen(ink);
    painter->drawText(QPointF(x + 46, y + metrics.ascent() / 2 - 1),
                      QString::number(circuits) + QStringLiteral(" circuits"));
    y += 18;
  }
  painter->setPen(muted);
  painter->drawText(QPointF(x, y + metrics.ascent() / 2), legend.width_rule);
  y += line + 8;
  // Exchanges.
  painter->setPen(Qt::NoPen);
  painter->setBrush(tandem_fill);
  painter->drawRoundedRect(QRectF(x + 8, y - 7, 20, 14), 3, 3);
  painter->setPen(ink);
  painter->drawText(QPointF(x + 46, y + metrics.ascent() / 2 - 1), legend.tandem_label);
  y += line + 2;
  painter->setPen(QPen(ink, 1.5));
  painter->setBrush(Qt::white);
  painter->drawEllipse(QPointF(x + 18, y), local_radius, local_radius);
  painter->drawText(QPointF(x + 46, y + metrics.ascent() / 2 - 1), legend.local_label);
  painter->restore();
}

}  // namespace telsim::view
