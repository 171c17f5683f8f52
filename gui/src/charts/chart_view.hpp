#pragma once
// A chart view with zoom and pan: drag a rectangle to zoom in, the wheel zooms around
// the centre, a middle-button or Shift+left drag pans, the arrow keys pan, +/- zoom,
// Home (or a double click) resets.
#include <QPoint>
#include <QtCharts/QChartView>

namespace telsim::view {

class ChartView : public QChartView {
  Q_OBJECT

 public:
  explicit ChartView(QWidget* parent = nullptr);

  /// Replaces the shown chart (the view owns it; the previous one is deleted).
  void show_chart(QChart* chart);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  bool panning_ = false;
  QPoint last_;
};

}  // namespace telsim::view
