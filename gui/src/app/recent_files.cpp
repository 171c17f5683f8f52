#include "recent_files.hpp"

#include <QFileInfo>

namespace telsim::view {
namespace {
const QString key = QStringLiteral("recent_files");
}

QStringList RecentFiles::paths() const {
  return settings_.value(key).toStringList();
}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList list = paths();
  list.removeAll(absolute);
  list.prepend(absolute);
  while (list.size() > capacity) list.removeLast();
  settings_.setValue(key, list);
}

void RecentFiles::remove(const QString& path) {
  QStringList list = paths();
  list.removeAll(QFileInfo(path).absoluteFilePath());
  settings_.setValue(key, list);
}

}  // namespace telsim::view
