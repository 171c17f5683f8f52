#include "metric_tree_model.hpp"

#include <QStringList>

namespace telsim::view {
namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

/// The four cells of a statistic's row: its name, then mean, ci95 and n as text, with the
/// numbers themselves under sort_role.
QList<QStandardItem*> statistic_row(const QString& name, const QString& search, const Estimate& e) {
  auto* label = new QStandardItem(name);
  label->setData(name, MetricTreeModel::sort_role);
  label->setData(search, MetricTreeModel::search_role);
  label->setToolTip(search);
  QList<QStandardItem*> row{label};
  auto number = [](const std::optional<double>& value) {
    auto* item = new QStandardItem(q(format_number(value)));
    item->setData(value ? QVariant(*value) : QVariant(), MetricTreeModel::sort_role);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
  };
  row << number(e.mean) << number(e.ci95);
  auto* n = new QStandardItem(QString::number(e.n));
  n->setData(static_cast<qulonglong>(e.n), MetricTreeModel::sort_role);
  n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  row << n;
  for (QStandardItem* item : row) item->setEditable(false);
  return row;
}

}  // namespace

MetricTreeModel::MetricTreeModel(QObject* parent) : QStandardItemModel(parent) {
  setHorizontalHeaderLabels({QStringLiteral("metric"), QStringLiteral("mean"),
                             QStringLiteral("± ci95"), QStringLiteral("n")});
}

QStandardItem* MetricTreeModel::node(const QString& path) {
  if (path.isEmpty()) return invisibleRootItem();
  if (QStandardItem* found = nodes_.value(path)) return found;
  const qsizetype dot = path.lastIndexOf('.');
  QStandardItem* parent = node(dot < 0 ? QString() : path.left(dot));
  auto* item = new QStandardItem(dot < 0 ? path : path.mid(dot + 1));
  item->setEditable(false);
  item->setData(item->text(), sort_role);
  item->setData(path, search_role);
  item->setToolTip(path);
  QList<QStandardItem*> row{item};
  for (int c = 1; c < column_count; ++c) {
    auto* empty = new QStandardItem;
    empty->setEditable(false);
    row << empty;
  }
  parent->appendRow(row);
  nodes_.insert(path, item);
  return item;
}

void MetricTreeModel::add_run(const QString& source, const Run& run) {
  for (const auto& [raw_path, estimate] : run.metrics) {
    const QString path = q(raw_path);
    const qsizetype dot = path.lastIndexOf('.');
    ++metric_count_;
    if (source.isEmpty()) {
      node(path.left(dot))->appendRow(statistic_row(path.mid(dot + 1), path, estimate));
    } else {
      // The metric is a node; each point or alternative a row under it.
      node(path)->appendRow(statistic_row(source, path + QStringLiteral(" ") + source, estimate));
    }
  }
}

void MetricTreeModel::set_document(const Document& document) {
  beginResetModel();
  const bool blocked = blockSignals(true);
  removeRows(0, rowCount());
  nodes_.clear();
  metric_count_ = 0;
  if (const Run* run = std::get_if<Run>(&document.content)) {
    add_run(QString(), *run);
  } else if (const Sweep* sweep = std::get_if<Sweep>(&document.content)) {
    for (const SweepPoint& point : sweep->points) {
      QStringList values;
      for (std::size_t a = 0; a < sweep->axes.size(); ++a) {
        values << q(sweep->axes[a].key + "=" + point.values[a]);
      }
      add_run(values.join(QStringLiteral(", ")), point.run);
    }
  } else if (const Comparison* c = std::get_if<Comparison>(&document.content)) {
    for (std::size_t i = 0; i < c->alternatives.size(); ++i) {
      add_run(q(c->key + "=" + c->values[i]), c->alternatives[i]);
    }
  }
  nodes_.clear();
  blockSignals(blocked);
  endResetModel();
}

QModelIndex MetricTreeModel::find(const QString& path, const QString& source, int column) const {
  // Walk down the path's parts; a source is one more level.
  QModelIndex at;
  QStringList parts = path.split('.');
  if (!source.isEmpty()) parts << source;
  for (const QString& part : parts) {
    QModelIndex next;
    for (int r = 0; r < rowCount(at); ++r) {
      const QModelIndex child = index(r, name_column, at);
      if (child.data().toString() == part) {
        next = child;
        break;
      }
    }
    if (!next.isValid()) return {};
    at = next;
  }
  return at.siblingAtColumn(column);
}

}  // namespace telsim::view
