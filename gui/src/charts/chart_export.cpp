#include "chart_export.hpp"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

namespace telsim::view {
namespace {

QString render(QWidget* view, const QString& path, QSize size) {
  if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QStringLiteral("telsim-view chart"));
    QPainter painter;
    if (!painter.begin(&svg)) return QStringLiteral("cannot write %1").arg(path);
    view->render(&painter);
    painter.end();
    return {};
  }
  QImage image(size, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  view->render(&painter);
  painter.end();
  if (!image.save(path))
    return QStringLiteral("cannot write %1 (unknown image type or no access)").arg(path);
  return {};
}

}  // namespace

QString export_chart(QChart* chart, const QString& path, QSize size) {
  QChartView view;
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.setRenderHint(QPainter::Antialiasing);
  view.setChart(chart);
  view.resize(size);
  view.show();
  QApplication::processEvents();
  const QString error = render(&view, path, size);
  view.setChart(new QChart);  // the caller keeps `chart`
  return error;
}

QString export_view(QWidget* view, const QString& path) {
  return render(view, path, view->size());
}

QSize parse_size(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})[xX](\\d{1,5})$"));
  const QRegularExpressionMatch m = pattern.match(text);
  if (!m.hasMatch()) return {};
  const QSize size(m.captured(1).toInt(), m.captured(2).toInt());
  return size.width() > 0 && size.height() > 0 ? size : QSize();
}

}  // namespace telsim::view
