#pragma once
// Every metric of the open document as a table: one row per (source, metric path), where
// the source is empty for a results file, the point's varied values for a sweep (the
// column is titled with the varied keys), and the alternative's value for a compare.json
// (titled with the varied key).
#include <QAbstractTableModel>
#include <QList>
#include <QString>

#include "../data/view_data.hpp"

namespace telsim::view {

class MetricTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { source_column, metric_column, mean_column, ci95_column, n_column, column_count };

  explicit MetricTableModel(QObject* parent = nullptr);

  /// Replaces every row with the document's metrics (one model reset).
  void set_document(const Document& document);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  /// DisplayRole: text ("n/a" for a missing number); Qt::UserRole: the number itself (for
  /// sorting), null when missing; ToolTipRole on the metric: its full path.
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    QString source;
    QString path;
    Estimate estimate;
  };
  void add_run(const QString& source, const Run& run);

  QList<Row> rows_;
  QString source_title_;
};

}  // namespace telsim::view
