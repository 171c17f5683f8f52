#include "chart_export.hpp"

#include <QApplication>
#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

#include <exception>
#include <string>
#include <string_view>

#include "map_view.hpp"
#include "telsim/analysis/results.hpp"

namespace telsim::view {
namespace {

// The picture is made in memory and written by telsim's one writer
// (analysis::write_file_atomically): a killed export leaves no half-written file, and
// a device or a pipe (/dev/stdout, /dev/null) is written in place, never replaced.
QString render(QWidget* view, const QString& path, QSize size) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(QStringLiteral("telsim-view chart"));
    QPainter painter;
    if (!painter.begin(&svg)) return QStringLiteral("cannot draw the SVG of %1").arg(path);
    view->render(&painter);
    painter.end();
  } else {
    QImage image(size, QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    view->render(&painter);
    painter.end();
    const QByteArray format = QFileInfo(path).suffix().toLower().toLatin1();
    if (format.isEmpty() || !image.save(&buffer, format.constData()))
      return QStringLiteral("cannot write %1 (unknown image type)").arg(path);
  }
  try {
    analysis::write_file_atomically(
        path.toStdString(),
        std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
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

QString export_map(const MapSpec& spec, const QString& path, QSize size) {
  MapView view;
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.resize(size);
  view.show();
  QApplication::processEvents();
  view.show_map(spec);
  return export_view(&view, path);
}

QString export_view(QWidget* view, const QString& path) {
  return render(view, path, view->size());
}

QSize parse_size(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral("^(\\d{1,5})[xX](\\d{1,5})$"));
  const QRegularExpressionMatch m = pattern.match(text);
  if (!m.hasMatch()) return {};
  const QSize size(m.captured(1).toInt(), m.captured(2).toInt());
  // Below 320x240 nothing reads; beyond 16384 a side the picture cannot be painted.
  const bool fits = size.width() >= 320 && size.height() >= 240 && size.width() <= 16384 &&
                    size.height() <= 16384;
  return fits ? size : QSize();
}

}  // namespace telsim::view
