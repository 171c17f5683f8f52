// The metric table: one row per metric (per point or alternative), numbers as written.
#include <fstream>

#include <QTest>
#include <nlohmann/json.hpp>

#include "data/results_reader.hpp"
#include "table/metric_table_model.hpp"

using namespace telsim::view;

namespace {
const std::string data = TELSIM_GUI_TEST_DATA;

// Statistic leaves in a results document (objects with "n" and "mean").
std::size_t count_statistics(const nlohmann::json& node) {
  if (!node.is_object()) return 0;
  if (node.contains("n") && node.contains("mean")) return 1;
  std::size_t n = 0;
  for (const auto& child : node) n += count_statistics(child);
  return n;
}

int row_of(const MetricTableModel& model, const QString& source, const QString& path) {
  for (int r = 0; r < model.rowCount(); ++r) {
    if (model.index(r, MetricTableModel::source_column).data().toString() == source &&
        model.index(r, MetricTableModel::metric_column).data().toString() == path) {
      return r;
    }
  }
  return -1;
}
}  // namespace

class TableTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void every_metric_of_a_results_file() {
    std::ifstream in(data + "/erlang-b.results.json");
    const nlohmann::json raw = nlohmann::json::parse(in);
    MetricTableModel model;
    model.set_document(read_document(data + "/erlang-b.results.json"));
    const std::size_t expected = count_statistics(raw["trunk_groups"]) +
                                 count_statistics(raw["traffic"]) +
                                 count_statistics(raw["policies"]);
    QCOMPARE(static_cast<std::size_t>(model.rowCount()), expected);
    QCOMPARE(model.columnCount(), 5);
    const int r = row_of(model, QString(), "trunk_groups.AB.call_blocking");
    QVERIFY(r >= 0);
    const nlohmann::json& s = raw["trunk_groups"]["AB"]["call_blocking"];
    QCOMPARE(model.index(r, MetricTableModel::mean_column).data(Qt::UserRole).toDouble(),
             s["mean"].get<double>());
    QCOMPARE(model.index(r, MetricTableModel::ci95_column).data(Qt::UserRole).toDouble(),
             s["ci95"].get<double>());
    QCOMPARE(model.index(r, MetricTableModel::mean_column).data().toString(),
             QString::number(s["mean"].get<double>(), 'g', 4));
    QCOMPARE(model.index(r, MetricTableModel::n_column).data().toString(), QString("4"));
    QCOMPARE(model.headerData(MetricTableModel::ci95_column, Qt::Horizontal).toString(),
             QString("± ci95"));
    // A metric with no data (no completed call: no latency) reads n/a.
    const int latency =
        row_of(model, QString(), "traffic.callers-to-callees.completion_latency.mean");
    QVERIFY(latency >= 0);
    QCOMPARE(model.index(latency, MetricTableModel::mean_column).data().toString(), QString("n/a"));
    QVERIFY(model.index(latency, MetricTableModel::mean_column).data(Qt::UserRole).isNull());
  }

  void sweep_points_and_alternatives_are_sources() {
    MetricTableModel model;
    model.set_document(read_document(data + "/sweep-erlang-b"));
    QVERIFY(row_of(model, "24", "trunk_groups.AB.call_blocking") >= 0);
    QCOMPARE(model.headerData(MetricTableModel::source_column, Qt::Horizontal).toString(),
             QString("trunk_groups.AB.circuits"));
    model.set_document(read_document(data + "/policy-comparison.compare.json"));
    QVERIFY(row_of(model, "cb", "policies.cb.completion_ratio") >= 0);
    QCOMPARE(model.headerData(MetricTableModel::source_column, Qt::Horizontal).toString(),
             QString("traffic.homes-to-cc.completion"));
    QCOMPARE(row_of(model, "24", "trunk_groups.AB.call_blocking"), -1);
  }
};

QTEST_GUILESS_MAIN(TableTest)
#include "table_test.moc"
