// Headless export through the telsim-view executable: each chart kind and the network map
// to PNG at the default 1280x800 and at --size, SVG, and the exit codes for bad usage.
#include <sys/stat.h>

#include <algorithm>
#include <optional>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "data/results_reader.hpp"
#include "mapping/document_charts.hpp"

using namespace telsim::view;

namespace {
const QString data = QStringLiteral(TELSIM_GUI_TEST_DATA);

struct Result {
  int exit_code;
  QString err;
  QString out;
};

Result run_viewer(const QStringList& arguments) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("QT_QPA_PLATFORM");  // the viewer picks offscreen itself for --export
  env.remove("DISPLAY");
  env.remove("WAYLAND_DISPLAY");
  process.setProcessEnvironment(env);
  process.start(QStringLiteral(TELSIM_VIEW_EXE), arguments);
  if (!process.waitForFinished(60000)) return {-1, "timed out", {}};
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
          QString::fromLocal8Bit(process.readAllStandardError()),
          QString::fromLocal8Bit(process.readAllStandardOutput())};
}

// The whole of a file the viewer wrote, or nothing if it cannot be opened.
std::optional<QByteArray> contents(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
  return file.readAll();
}

// Share of strongly coloured pixels (in `area`, default all): series and the map's trunk
// groups are drawn in colour, while titles, axes, labels, grid and exchanges are grey, so
// a chart without data scores 0.
double colour(const QImage& image, QRect area = {}) {
  if (area.isNull()) area = image.rect();
  qint64 coloured = 0;
  for (int y = area.top(); y <= area.bottom(); ++y) {
    for (int x = area.left(); x <= area.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      const int spread =
          std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()});
      if (spread > 60) ++coloured;
    }
  }
  return static_cast<double>(coloured) / (static_cast<double>(area.width()) * area.height());
}

// Share of pixels that are not the white background.
double ink(const QImage& image, QRect area) {
  qint64 drawn = 0;
  for (int y = area.top(); y <= area.bottom(); ++y) {
    for (int x = area.left(); x <= area.right(); ++x) drawn += image.pixel(x, y) != 0xffffffff;
  }
  return static_cast<double>(drawn) / (static_cast<double>(area.width()) * area.height());
}

// The map's own area of a picture: below the title, left of the legend's column.
QRect map_area(const QImage& image) {
  return QRect(0, 60, image.width() - 240, image.height() - 60);
}
}  // namespace

class ExportTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

 private Q_SLOTS:
  void every_chart_kind_to_png_at_1280x800_without_a_display_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("chart");
    QTest::newRow("results blocking") << "policies-metro.results.json"
                                      << "blocking";
    QTest::newRow("results latency") << "policies-metro.results.json"
                                     << "latency";
    QTest::newRow("results occupancy") << "policies-metro.results.json"
                                       << "occupancy";
    QTest::newRow("results compare") << "policies-metro.results.json"
                                     << "compare";
    QTest::newRow("sweep blocking") << "sweep-erlang-b"
                                    << "blocking";
    QTest::newRow("compare.json compare") << "policy-comparison.compare.json"
                                          << "compare";
    QTest::newRow("results map") << "metro.results.json"
                                 << "map";
    QTest::newRow("sweep map") << "sweep-erlang-b"
                               << "map";
    QTest::newRow("compare.json map") << "policy-comparison.compare.json"
                                      << "map";
  }
  void every_chart_kind_to_png_at_1280x800_without_a_display() {
    QFETCH(QString, input);
    QFETCH(QString, chart);
    const QString out =
        dir_.filePath(chart + "-" + QString(QTest::currentDataTag()).replace(' ', '-') + ".png");
    const Result r = run_viewer({data + "/" + input, "--export", out, "--chart", chart});
    QCOMPARE(r.exit_code, 0);
    QImageReader reader(out);
    QCOMPARE(reader.format(), QByteArray("png"));
    QCOMPARE(reader.size(), QSize(1280, 800));
    const QImage image(out);
    QVERIFY2(colour(image) > 0.001, "no series drawn");
  }

  void size_option_and_svg() {
    const QString png = dir_.filePath("small.png");
    QCOMPARE(run_viewer({data + "/erlang-b.results.json", "--export", png, "--chart", "occupancy",
                         "--size", "640x400"})
                 .exit_code,
             0);
    QCOMPARE(QImageReader(png).size(), QSize(640, 400));
    const QString svg = dir_.filePath("chart.svg");
    QCOMPARE(run_viewer({data + "/erlang-b.results.json", "--export", svg, "--chart=blocking"})
                 .exit_code,
             0);
    const std::optional<QByteArray> text = contents(svg);
    QVERIFY(text);
    QVERIFY(text->contains("viewBox=\"0 0 1280 800\""));
    QVERIFY(text->contains("erlang-b: blocking per trunk group and relation"));
  }

  void bad_usage_exits_2_and_says_why() {
    const QString out = dir_.filePath("never.png");
    Result r = run_viewer({data + "/erlang-b.results.json", "--export", out, "--chart", "pie"});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("--chart pie: expected blocking, latency, occupancy, compare or map"));
    r = run_viewer({data + "/erlang-b.results.json", "--export", out, "--size", "big"});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("--size big: expected WIDTHxHEIGHT"));
    r = run_viewer({data + "/sweep-erlang-b/summary.csv", "--export", out});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("summary.csv is not a telsim results file: it is not JSON"));
    r = run_viewer(
        {data + "/erlang-b.results.json", "--export", out, "--chart", "latency", "--subject", "x"});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("offers: traffic.callers-to-callees"));
    // Sizes where nothing reads, or nothing can be painted; a target that is no number;
    // the blocking chart's options on another chart.
    for (const char* size : {"100x100", "99999x99999"}) {
      r = run_viewer({data + "/erlang-b.results.json", "--export", out, "--size", size});
      QCOMPARE(r.exit_code, 2);
      QVERIFY(r.err.contains("from 320x240 to 16384x16384"));
    }
    for (const char* target : {"nan", "inf", "-0.1", "x"}) {
      r = run_viewer({data + "/erlang-b.results.json", "--export", out, "--target", target});
      QCOMPARE(r.exit_code, 2);
      QVERIFY(r.err.contains("expected a number >= 0"));
    }
    r = run_viewer(
        {data + "/erlang-b.results.json", "--export", out, "--chart", "map", "--log-scale"});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("add --chart blocking"));
    QVERIFY(!QFile::exists(out));
  }

  void log_scale_and_target_from_the_command_line() {
    const QString svg = dir_.filePath("log.svg");
    QCOMPARE(run_viewer({data + "/policies-metro.results.json", "--export", svg, "--log-scale",
                         "--target", "0.02"})
                 .exit_code,
             0);
    const std::optional<QByteArray> text = contents(svg);
    QVERIFY(text);
    QVERIFY(text->contains("blocking (fraction), log scale"));
    QVERIFY(text->contains("target 0.02"));
  }

  void help_and_bad_usage_need_no_display() {
    const Result help = run_viewer({"--help"});
    QCOMPARE(help.exit_code, 0);
    QVERIFY(help.out.startsWith("usage: telsim-view RESULTS.json|SWEEP_DIR|compare.json..."));
    const Result bad = run_viewer({"--frobnicate"});
    QCOMPARE(bad.exit_code, 2);
    QCOMPARE(bad.err, QString("telsim-view: error: unknown option --frobnicate (see --help)\n"));
  }

  void devices_and_pipes_are_written_in_place() {
    // The one writer's rule: a device stays a device (as root, a rename over /dev/null
    // would replace it with a regular file), and a pipe receives the picture. The format
    // comes from the name, hence a link called .png to /dev/null.
    const QString null_png = dir_.filePath("null.png");
    QVERIFY(QFile::link(QStringLiteral("/dev/null"), null_png));
    const Result r =
        run_viewer({data + "/erlang-b.results.json", "--export", null_png, "--chart", "blocking"});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(!QFileInfo(QStringLiteral("/dev/null")).isFile());
    QVERIFY(QFileInfo(null_png).isSymLink());
    const QString fifo = dir_.filePath("picture.png");
    QVERIFY(::mkfifo(fifo.toLocal8Bit().constData(), 0600) == 0);
    QFile reader_end(fifo);
    QProcess viewer;
    viewer.setProcessEnvironment(QProcessEnvironment::systemEnvironment());
    viewer.start(QStringLiteral(TELSIM_VIEW_EXE),
                 {data + "/erlang-b.results.json", "--export", fifo, "--chart", "blocking"});
    QVERIFY(reader_end.open(QIODevice::ReadOnly));
    const QByteArray bytes = reader_end.readAll();
    QVERIFY(viewer.waitForFinished(60000));
    QCOMPARE(viewer.exitCode(), 0);
    QVERIFY(bytes.startsWith("\x89PNG"));
    QImage image;
    QVERIFY(image.loadFromData(bytes, "PNG"));
    QCOMPARE(image.size(), QSize(1280, 800));
    QVERIFY2(QDir(dir_.path()).entryList({"*picture*"}, QDir::Files | QDir::System) ==
                 QStringList{"picture.png"},
             "the pipe is still a pipe, and no temporary file is left beside it");
    QVERIFY(!QFileInfo(fifo).isFile());
  }

  void the_map_draws_every_group_in_png_and_svg() {
    const QString input = data + "/metro.results.json";
    const QString png = dir_.filePath("metro-map.png");
    QCOMPARE(run_viewer({input, "--export", png, "--chart", "map"}).exit_code, 0);
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1280, 800));
    // The map itself (not only title and legend) is drawn, and its groups in colour.
    QVERIFY2(ink(image, map_area(image)) > 0.01, "the map area is blank");
    QVERIFY2(colour(image, map_area(image)) > 0.005, "no trunk group drawn");
    const QString small = dir_.filePath("metro-map-small.png");
    QCOMPARE(
        run_viewer({input, "--export", small, "--chart", "map", "--size", "900x600"}).exit_code, 0);
    QCOMPARE(QImageReader(small).size(), QSize(900, 600));

    // The SVG has one stroked path per trunk group, in the group's colour and width.
    const QString svg = dir_.filePath("metro-map.svg");
    QCOMPARE(run_viewer({input, "--export", svg, "--chart", "map"}).exit_code, 0);
    const std::optional<QByteArray> bytes = contents(svg);
    QVERIFY(bytes);
    const QString text = QString::fromUtf8(*bytes);
    QVERIFY(text.contains("viewBox=\"0 0 1280 800\""));
    QVERIFY(text.contains("metro: network map, call blocking per trunk group"));
    static const QRegularExpression stroke(
        "stroke=\"(#[0-9a-f]{6})\"[^>]*stroke-width=\"([0-9.]+)\"[^>]*>\\s*<path");
    QStringList strokes;
    for (auto m = stroke.globalMatch(text); m.hasNext();) {
      const auto match = m.next();
      strokes << match.captured(1) + " " + QString::number(match.captured(2).toDouble(), 'f', 2);
    }
    const MapSpec spec = map_for(read_document(input.toStdString()), {});
    QCOMPARE(spec.shown_edges(), 3);
    for (const MapEdge& e : spec.edges) {
      QVERIFY2(strokes.contains(e.colour.name() + " " + QString::number(e.width, 'f', 2)),
               qPrintable(e.name + " is not in the SVG: " + strokes.join(", ")));
    }
  }

  void a_map_without_groups_has_no_colour() {
    // The map checks above must be able to fail: erlang-b has no tandem, so showing only
    // tandem groups leaves its one group out; the exchanges are drawn, in grey.
    const QString out = dir_.filePath("empty-map.png");
    QCOMPARE(run_viewer({data + "/erlang-b.results.json", "--export", out, "--chart", "map",
                         "--subject", "tandem groups"})
                 .exit_code,
             0);
    const QImage image(out);
    QCOMPARE(colour(image, map_area(image)), 0.0);
    QVERIFY(ink(image, map_area(image)) > 0);
    const Result r = run_viewer({data + "/erlang-b.results.json", "--export", out, "--chart", "map",
                                 "--subject", "some groups"});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("offers: all groups, tandem groups, groups with blocking >= 0.1%"));
  }

  void a_chart_without_data_has_no_colour() {
    // The check above must be able to fail: erlang-b has no completed call to draw.
    const QString out = dir_.filePath("empty-latency.png");
    QCOMPARE(run_viewer({data + "/erlang-b.results.json", "--export", out, "--chart", "latency"})
                 .exit_code,
             0);
    QCOMPARE(colour(QImage(out)), 0.0);
  }
};

QTEST_GUILESS_MAIN(ExportTest)
#include "export_test.moc"
