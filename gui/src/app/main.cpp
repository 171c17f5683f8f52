// telsim-view: a window on telsim results, or one chart written without a display.
#include <cstdio>
#include <cstdlib>
#include <list>

#include <QApplication>
#include <QPixmap>
#include <QScreen>
#include <QSettings>
#include <QTimer>
#include <QtCharts/QChart>

#include <QComboBox>
#include "../charts/chart_builder.hpp"

#include "../charts/chart_export.hpp"
#include "../data/results_reader.hpp"
#include "chart_page.hpp"
#include "command_line.hpp"
#include "main_window.hpp"
#include "map_page.hpp"

namespace {

using namespace telsim::view;

void print_error(const QString& text) {
  std::fprintf(stderr, "telsim-view: error: %s\n", text.toLocal8Bit().constData());
}

int export_headless(const CommandLine& line) {
  Document document;
  try {
    document = read_document(std::filesystem::path(line.files.front().toStdString()));
  } catch (const std::exception& e) {
    print_error(QString::fromUtf8(e.what()));
    return 2;
  }
  const QStringList subjects = chart_subjects(document, line.chart);
  if (!line.subject.isEmpty() && !subjects.contains(line.subject)) {
    print_error(
        QStringLiteral("--subject %1: the %2 chart of %3 offers: %4")
            .arg(line.subject, chart_kind_name(line.chart), line.files.front(),
                 subjects.isEmpty() ? QStringLiteral("nothing to pick") : subjects.join(", ")));
    return 2;
  }
  const QStringList points = chart_points(document);
  if (line.point > 0 && line.point >= points.size()) {
    print_error(QStringLiteral("--point %1: %2 has %3 points or alternatives")
                    .arg(line.point)
                    .arg(line.files.front())
                    .arg(points.size()));
    return 2;
  }
  QString error;
  if (line.chart == ChartKind::map) {
    error = export_map(map_for(document, ChartPick{line.subject, line.point, line.view}),
                       line.export_path, line.size);
  } else {
    const ChartSpec spec =
        chart_for(document, line.chart, ChartPick{line.subject, line.point, line.view});
    QChart* chart = build_chart(spec);
    error = export_chart(chart, line.export_path, line.size);
    delete chart;
  }
  if (!error.isEmpty()) {
    print_error(error);
    return 3;
  }
  return 0;
}

int take_screenshot(MainWindow& window, const CommandLine& line) {
  window.resize(line.size);
  window.show_chart(line.chart);
  window.show();
  int status = 0;
  // Give the window manager and the first paint time, then capture what the screen shows.
  QTimer::singleShot(1500, &window, [&window, &line, &status] {
    QPixmap shot;
    if (QScreen* screen = window.screen()) shot = screen->grabWindow(window.winId());
    if (shot.isNull()) shot = window.grab();
    if (!shot.save(line.screenshot_path)) {
      print_error(QStringLiteral("cannot write %1").arg(line.screenshot_path));
      status = 3;
    }
    QApplication::quit();
  });
  QApplication::exec();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // Parsed before QApplication exists, so that --help and bad usage need no display.
  QStringList arguments;
  for (int k = 1; k < argc; ++k) arguments << QString::fromLocal8Bit(argv[k]);
  QString error;
  bool help = false;
  const auto line = parse_command_line(arguments, error, help);
  if (help) {
    std::fputs(usage_text().toLocal8Bit().constData(), stdout);
    return 0;
  }
  if (!line) {
    print_error(error);
    return 2;
  }
  // Headless export needs no display: use the offscreen platform unless one is chosen.
  if (!line->export_path.isEmpty() && std::getenv("QT_QPA_PLATFORM") == nullptr) {
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
  }
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("telsim"));
  QApplication::setApplicationName(QStringLiteral("telsim-view"));
  if (!line->export_path.isEmpty()) return export_headless(*line);

  QSettings settings;
  std::list<MainWindow> windows;
  if (line->files.isEmpty()) windows.emplace_back(settings);
  for (const QString& file : line->files) {
    MainWindow& window = windows.emplace_back(settings);
    const bool opened = window.open(file, line->screenshot_path.isEmpty());
    if (!line->screenshot_path.isEmpty()) {
      if (!opened) {
        print_error(window.last_error());
        return 2;
      }
      if (!line->subject.isEmpty() && line->chart == ChartKind::map) {
        window.map_page()->filter_picker()->setCurrentText(line->subject);
      } else if (!line->subject.isEmpty()) {
        window.page(line->chart)->subject_picker()->setCurrentText(line->subject);
      }
      if (line->chart == ChartKind::blocking) window.page(line->chart)->set_view(line->view);
      return take_screenshot(window, *line);
    }
  }
  for (MainWindow& window : windows) {
    window.resize(1280, 800);
    window.show();
  }
  return QApplication::exec();
}
