// Headless export through the telsim-view executable: each chart kind to PNG at the
// default 1280x800 and at --size, SVG, and the exit codes for bad usage.
#include <sys/stat.h>

#include <algorithm>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

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

// Share of strongly coloured pixels: series are drawn in colour, while titles, axes,
// labels and grid are grey, so a chart without data scores 0.
double colour(const QImage& image) {
  qint64 coloured = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      const int spread =
          std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()});
      if (spread > 60) ++coloured;
    }
  }
  return static_cast<double>(coloured) / (static_cast<double>(image.width()) * image.height());
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
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("viewBox=\"0 0 1280 800\""));
    QVERIFY(text.contains("erlang-b: blocking per trunk group and relation"));
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
    QVERIFY(!QFile::exists(out));
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
