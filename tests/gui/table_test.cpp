// The metric tree: every statistic of a document, under the path it has in the results
// file, numbers as written; the window's search keeps matches and their ancestors.
#include <fstream>

#include <QLineEdit>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <nlohmann/json.hpp>

#include "app/main_window.hpp"
#include "data/results_reader.hpp"
#include "table/metric_tree_model.hpp"

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

// Rows of `model` under `parent` whose search text is visible, recursively: the leaves.
int visible_leaves(const QAbstractItemModel& model, const QModelIndex& parent = {}) {
  int leaves = 0;
  for (int r = 0; r < model.rowCount(parent); ++r) {
    const QModelIndex child = model.index(r, 0, parent);
    leaves += model.rowCount(child) == 0 ? 1 : visible_leaves(model, child);
  }
  return leaves;
}
}  // namespace

class TableTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void every_metric_of_a_results_file_under_its_path() {
    std::ifstream in(data + "/erlang-b.results.json");
    const nlohmann::json raw = nlohmann::json::parse(in);
    MetricTreeModel model;
    model.set_document(read_document(data + "/erlang-b.results.json"));
    const std::size_t expected = count_statistics(raw["trunk_groups"]) +
                                 count_statistics(raw["traffic"]) +
                                 count_statistics(raw["policies"]);
    QCOMPARE(static_cast<std::size_t>(model.metric_count()), expected);
    QCOMPARE(visible_leaves(model), static_cast<int>(expected));
    QCOMPARE(model.columnCount(), 4);
    // The top level is the results file's sections, in its order.
    QCOMPARE(model.index(0, 0).data().toString(), QString("trunk_groups"));
    QCOMPARE(model.index(1, 0).data().toString(), QString("traffic"));
    // trunk_groups > AB > call_blocking, with its numbers.
    const QModelIndex name = model.find("trunk_groups.AB.call_blocking");
    QVERIFY(name.isValid());
    QCOMPARE(name.data().toString(), QString("call_blocking"));
    QCOMPARE(name.parent().data().toString(), QString("AB"));
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), QString("trunk_groups.AB.call_blocking"));
    const nlohmann::json& s = raw["trunk_groups"]["AB"]["call_blocking"];
    const QModelIndex mean =
        model.find("trunk_groups.AB.call_blocking", {}, MetricTreeModel::mean_column);
    QCOMPARE(mean.data(MetricTreeModel::sort_role).toDouble(), s["mean"].get<double>());
    QCOMPARE(mean.data().toString(), QString::number(s["mean"].get<double>(), 'g', 4));
    QCOMPARE(model.find("trunk_groups.AB.call_blocking", {}, MetricTreeModel::ci95_column)
                 .data(MetricTreeModel::sort_role)
                 .toDouble(),
             s["ci95"].get<double>());
    QCOMPARE(model.find("trunk_groups.AB.call_blocking", {}, MetricTreeModel::n_column)
                 .data()
                 .toString(),
             QString("4"));
    // Nested figures are one level further: traffic > relation > outcome > completed.
    const QModelIndex completed = model.find("traffic.callers-to-callees.outcome.completed");
    QVERIFY(completed.isValid());
    QCOMPARE(completed.parent().data().toString(), QString("outcome"));
    // A metric with no data (no completed call: no latency) reads n/a.
    const QModelIndex latency = model.find("traffic.callers-to-callees.completion_latency.mean", {},
                                           MetricTreeModel::mean_column);
    QCOMPARE(latency.data().toString(), QString("n/a"));
    QVERIFY(latency.data(MetricTreeModel::sort_role).isNull());
  }

  void sweep_points_and_alternatives_are_rows_under_each_metric() {
    MetricTreeModel model;
    model.set_document(read_document(data + "/sweep-erlang-b"));
    const QModelIndex point =
        model.find("trunk_groups.AB.call_blocking", "trunk_groups.AB.circuits=24");
    QVERIFY(point.isValid());
    QCOMPARE(point.parent().data().toString(), QString("call_blocking"));
    QVERIFY(model.rowCount(point.parent()) > 1);
    model.set_document(read_document(data + "/policy-comparison.compare.json"));
    QVERIFY(
        model.find("policies.cb.completion_ratio", "traffic.homes-to-cc.completion=cb").isValid());
    QVERIFY(!model.find("trunk_groups.AB.call_blocking", "trunk_groups.AB.circuits=24").isValid());
  }

  void the_search_keeps_matches_with_their_ancestors() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath("settings.ini"), QSettings::IniFormat);
    MainWindow window(settings);
    QVERIFY(window.open(QString::fromStdString(data + "/erlang-b.results.json"), false));
    const int all = visible_leaves(*window.metric_filter());
    QCOMPARE(all, window.metric_model()->metric_count());
    // A figure's name anywhere in the tree: its rows and their ancestors only.
    window.metric_search()->setText("p95");
    const int p95 = visible_leaves(*window.metric_filter());
    QVERIFY(p95 >= 1);
    QVERIFY(p95 < all);
    // A whole path, as in the results file.
    window.metric_search()->setText("trunk_groups.AB.time_congestion");
    QCOMPARE(visible_leaves(*window.metric_filter()), 1);
    // A group's name keeps every figure of the group (its children are accepted with it).
    window.metric_search()->setText("trunk_groups.AB");
    QCOMPARE(visible_leaves(*window.metric_filter()),
             static_cast<int>(
                 window.metric_model()->rowCount(window.metric_model()->find("trunk_groups.AB"))));
    window.metric_search()->setText("no such metric");
    QCOMPARE(window.metric_filter()->rowCount(), 0);
    window.metric_search()->clear();
    QCOMPARE(visible_leaves(*window.metric_filter()), all);
  }
};

QTEST_MAIN(TableTest)
#include "table_test.moc"
