#pragma once
// Every metric of the open document as a tree that follows the results paths: trunk
// groups, traffic and policies, then each group, relation or policy, then its figures
// (outcome, completion_latency and the like one level further). A sweep's points or a
// compare.json's alternatives are the children of each metric, one row each.
#include <QHash>
#include <QStandardItemModel>
#include <QString>

#include "../data/view_data.hpp"

namespace telsim::view {

class MetricTreeModel : public QStandardItemModel {
  Q_OBJECT

 public:
  enum Column { name_column, mean_column, ci95_column, n_column, column_count };
  /// The number behind a cell, for sorting (null when missing).
  static constexpr int sort_role = Qt::UserRole;
  /// What a search matches: a row's full metric path, and its point or alternative.
  static constexpr int search_role = Qt::UserRole + 1;

  explicit MetricTreeModel(QObject* parent = nullptr);

  /// Replaces the tree with the document's metrics (one model reset).
  void set_document(const Document& document);

  /// The number of statistics shown (leaf rows).
  int metric_count() const { return metric_count_; }
  /// The row of `path` (and, for a sweep or comparison, of `source`: the point's
  /// "key=value, ..." or the alternative's "key=value"), column `column`; invalid when absent.
  QModelIndex find(const QString& path, const QString& source = {}, int column = name_column) const;

 private:
  QStandardItem* node(const QString& path);
  void add_run(const QString& source, const Run& run);

  QHash<QString, QStandardItem*> nodes_;  ///< by path prefix, while building
  int metric_count_ = 0;
};

}  // namespace telsim::view
