#include "metric_table_model.hpp"

namespace telsim::view {

MetricTableModel::MetricTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MetricTableModel::add_run(const QString& source, const Run& run) {
  for (const auto& [path, estimate] : run.metrics) {
    rows_.append(Row{source, QString::fromStdString(path), estimate});
  }
}

void MetricTableModel::set_document(const Document& document) {
  beginResetModel();
  rows_.clear();
  source_title_.clear();
  if (const Run* run = std::get_if<Run>(&document.content)) {
    add_run(QString(), *run);
  } else if (const Sweep* sweep = std::get_if<Sweep>(&document.content)) {
    QStringList keys;
    for (const SweepAxis& axis : sweep->axes) keys << QString::fromStdString(axis.key);
    source_title_ = keys.join(QStringLiteral(", "));
    for (const SweepPoint& point : sweep->points) {
      QStringList values;
      for (const std::string& v : point.values) values << QString::fromStdString(v);
      add_run(values.join(QStringLiteral(", ")), point.run);
    }
  } else if (const Comparison* c = std::get_if<Comparison>(&document.content)) {
    source_title_ = QString::fromStdString(c->key);
    for (std::size_t i = 0; i < c->alternatives.size(); ++i) {
      add_run(QString::fromStdString(c->values[i]), c->alternatives[i]);
    }
  }
  endResetModel();
}

int MetricTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int MetricTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : column_count;
}

QVariant MetricTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rows_.size()) return {};
  const Row& row = rows_[index.row()];
  auto number = [role](const std::optional<double>& value) -> QVariant {
    if (role == Qt::UserRole) return value ? QVariant(*value) : QVariant();
    return QString::fromStdString(format_number(value));
  };
  if (role == Qt::TextAlignmentRole && index.column() >= mean_column) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole && role != Qt::UserRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case source_column:
      return row.source;
    case metric_column:
      return row.path;
    case mean_column:
      return role == Qt::ToolTipRole ? QVariant() : number(row.estimate.mean);
    case ci95_column:
      return role == Qt::ToolTipRole ? QVariant() : number(row.estimate.ci95);
    case n_column:
      if (role == Qt::ToolTipRole) return {};
      return role == Qt::UserRole ? QVariant(static_cast<qulonglong>(row.estimate.n))
                                  : QVariant(QString::number(row.estimate.n));
    default:
      return {};
  }
}

QVariant MetricTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case source_column:
      return source_title_;
    case metric_column:
      return QStringLiteral("metric");
    case mean_column:
      return QStringLiteral("mean");
    case ci95_column:
      return QStringLiteral("± ci95");
    case n_column:
      return QStringLiteral("n");
    default:
      return {};
  }
}

}  // namespace telsim::view
