// The window: opening (argument, drop), the message for a file that is not telsim's,
// recent files in QSettings, pickers, reload when the file changes on disk, export.
#include <filesystem>
#include <fstream>

#include <QComboBox>
#include <QImageReader>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QWheelEvent>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>
#include <QtCharts/QXYSeries>
#include <nlohmann/json.hpp>

#include "app/chart_page.hpp"
#include "app/main_window.hpp"
#include "charts/chart_interaction.hpp"
#include "charts/chart_view.hpp"
#include "table/metric_tree_model.hpp"

using namespace telsim::view;

namespace {
const QString data = QStringLiteral(TELSIM_GUI_TEST_DATA);

QString mean_shown(MainWindow& window, const QString& path) {
  return window.metric_model()->find(path, {}, MetricTreeModel::mean_column).data().toString();
}
}  // namespace

class WindowTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::unique_ptr<QSettings> settings_;

 private Q_SLOTS:
  void init() {
    settings_ = std::make_unique<QSettings>(dir_.filePath("settings.ini"), QSettings::IniFormat);
    settings_->clear();
  }

  void opens_a_file_and_remembers_it() {
    MainWindow window(*settings_);
    QVERIFY(window.open(data + "/erlang-b.results.json", false));
    QVERIFY(window.document() && window.document()->is_run());
    QVERIFY(window.metric_model()->metric_count() > 10);
    QVERIFY(window.windowTitle().startsWith("erlang-b.results.json"));
    QVERIFY(window.page(ChartKind::blocking)->view()->chart()->title().startsWith("erlang-b"));
    QVERIFY(window.open(data + "/sweep-erlang-b", false));
    const QStringList recent = settings_->value("recent_files").toStringList();
    QCOMPARE(recent.size(), 2);
    QVERIFY(recent[0].endsWith("sweep-erlang-b"));
    QVERIFY(recent[1].endsWith("erlang-b.results.json"));
    QCOMPARE(window.recent_menu()->actions().size(), 2);
    // Opening it again moves it to the front, without a duplicate.
    QVERIFY(window.open(data + "/erlang-b.results.json", false));
    QCOMPARE(settings_->value("recent_files").toStringList().size(), 2);
    QVERIFY(settings_->value("recent_files").toStringList()[0].endsWith("erlang-b.results.json"));
  }

  void a_file_that_is_not_telsim_says_so_and_keeps_the_open_one() {
    const QString notes = dir_.filePath("notes.json");
    std::ofstream(notes.toStdString()) << R"({"shopping": ["milk"]})";
    MainWindow window(*settings_);
    QVERIFY(window.open(data + "/erlang-b.results.json", false));
    QVERIFY(!window.open(notes, false));
    QCOMPARE(window.last_error(),
             notes + " is not a telsim results file: it has no \"telsim\": 1 key");
    QVERIFY(window.document()->is_run());
    QCOMPARE(settings_->value("recent_files").toStringList().size(), 1);
  }

  void a_dropped_file_opens() {
    MainWindow window(*settings_);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(data + "/policy-comparison.compare.json")});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QVERIFY(window.document() && window.document()->is_comparison());
  }

  void pickers_redraw_the_chart() {
    MainWindow window(*settings_);
    QVERIFY(window.open(data + "/policies-metro.results.json", false));
    ChartPage* latency = window.page(ChartKind::latency);
    QVERIFY(latency->subject_picker()->isVisibleTo(latency));
    QVERIFY(!latency->point_picker()->isVisibleTo(latency));
    latency->subject_picker()->setCurrentText("policies.wait");
    QVERIFY(latency->view()->chart()->title().endsWith("completion latency of policy wait"));
    QCOMPARE(latency->spec().title, latency->view()->chart()->title());

    QVERIFY(window.open(data + "/sweep-erlang-b", false));
    ChartPage* occupancy = window.page(ChartKind::occupancy);
    QCOMPARE(occupancy->point_picker()->count(), 5);
    occupancy->point_picker()->setCurrentIndex(3);
    bool found = false;
    for (QAbstractSeries* s : occupancy->view()->chart()->series())
      found |= s->name() == "AB: 22 circuits";
    QVERIFY(found);
  }

  void every_pick_of_every_bundled_file_draws_its_chart() {
    MainWindow window(*settings_);
    int charts = 0;
    for (const char* name : {"erlang-b.results.json", "policies-metro.results.json",
                             "sweep-erlang-b", "sweep-engset", "policy-comparison.compare.json"}) {
      QVERIFY(window.open(data + "/" + name, false));
      for (ChartKind kind :
           {ChartKind::blocking, ChartKind::latency, ChartKind::occupancy, ChartKind::compare}) {
        ChartPage* page = window.page(kind);
        const int subjects = std::max(page->subject_picker()->count(), 1);
        const int points = std::max(page->point_picker()->count(), 1);
        for (int s = 0; s < subjects; ++s) {
          if (page->subject_picker()->count() > 0) page->subject_picker()->setCurrentIndex(s);
          for (int p = 0; p < points; ++p) {
            if (page->point_picker()->count() > 0) page->point_picker()->setCurrentIndex(p);
            // The chart on show is the spec's, titled after the document's scenario.
            QCOMPARE(page->view()->chart()->title().left(page->spec().title.size()),
                     page->spec().title);
            QVERIFY2(!page->spec().title.isEmpty(), name);
            ++charts;
          }
        }
      }
    }
    QVERIFY(charts > 100);
  }

  void reloads_when_the_file_is_replaced_on_disk() {
    const std::filesystem::path copy = (dir_.filePath("live.results.json")).toStdString();
    std::filesystem::copy_file((data + "/erlang-b.results.json").toStdString(), copy,
                               std::filesystem::copy_options::overwrite_existing);
    MainWindow window(*settings_);
    QVERIFY(window.open(QString::fromStdString(copy.string()), false));
    const QString before = mean_shown(window, "trunk_groups.AB.call_blocking");
    // The user hides the Erlang B marker; a reload must keep the chart and that choice.
    QChart* chart = window.page(ChartKind::blocking)->view()->chart();
    QVERIFY(toggle_series(chart, "Erlang B"));
    QVERIFY(!before.isEmpty());
    // Write a changed file the way telsim does: a temporary file renamed over it.
    std::ifstream in(copy);
    nlohmann::json doc = nlohmann::json::parse(in);
    in.close();
    // The viewer takes each statistic from its values, so change them as telsim would.
    doc["trunk_groups"]["AB"]["call_blocking"]["values"] = {0.125, 0.125, 0.125, 0.125};
    doc["trunk_groups"]["AB"]["call_blocking"]["mean"] = 0.125;
    doc["trunk_groups"]["AB"]["call_blocking"]["ci95"] = 0.0;
    const std::filesystem::path temp = copy.string() + ".tmp";
    std::ofstream(temp) << doc.dump();
    std::filesystem::rename(temp, copy);
    QTRY_COMPARE_WITH_TIMEOUT(mean_shown(window, "trunk_groups.AB.call_blocking"), QString("0.125"),
                              5000);
    QVERIFY(before != QString("0.125"));
    QCOMPARE(window.page(ChartKind::blocking)->view()->chart(), chart);
    auto* bars = qobject_cast<QStackedBarSeries*>(chart->series().front());
    QVERIFY(bars);
    QCOMPARE(bars->barSets()[0]->at(0), 0.125);
    bool erlang_hidden = false;
    for (QAbstractSeries* s : chart->series()) {
      erlang_hidden |= s->name() == "Erlang B" && !s->isVisible();
    }
    QVERIFY(erlang_hidden);
  }

  void wheel_zooms_keys_pan_and_home_resets() {
    MainWindow window(*settings_);
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.open(data + "/erlang-b.results.json", false));
    window.show_chart(ChartKind::occupancy);
    ChartView* view = window.page(ChartKind::occupancy)->view();
    auto* x = qobject_cast<QValueAxis*>(view->chart()->axes(Qt::Horizontal).front());
    const double min = x->min(), max = x->max();
    const QPoint centre = view->viewport()->rect().center();
    QWheelEvent wheel(centre, view->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &wheel);
    QVERIFY(x->max() - x->min() < 0.9 * (max - min));
    const double zoomed_min = x->min();
    QTest::keyClick(view, Qt::Key_Right);
    QVERIFY(x->min() > zoomed_min);
    QTest::keyClick(view, Qt::Key_Home);
    QCOMPARE(x->min(), min);
    QCOMPARE(x->max(), max);
  }

  void exports_what_the_view_shows() {
    MainWindow window(*settings_);
    window.resize(900, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.open(data + "/erlang-b.results.json", false));
    window.show_chart(ChartKind::occupancy);
    const QString png = dir_.filePath("shown.png");
    QCOMPARE(window.export_current(png), QString());
    QImageReader reader(png);
    QCOMPARE(reader.format(), QByteArray("png"));
    QCOMPARE(reader.size(), window.page(ChartKind::occupancy)->view()->size());
    const QString svg = dir_.filePath("shown.svg");
    QCOMPARE(window.export_current(svg), QString());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("erlang-b: busy circuits over time"));
  }
};

QTEST_MAIN(WindowTest)
#include "window_test.moc"
