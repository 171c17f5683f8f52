#pragma once
// The recent-files list, kept in QSettings under "recent_files", newest first.
#include <QSettings>
#include <QStringList>

namespace telsim::view {

class RecentFiles {
 public:
  static constexpr int capacity = 8;

  /// Reads and writes through `settings` (not owned).
  explicit RecentFiles(QSettings& settings) : settings_(settings) {}

  QStringList paths() const;
  /// Puts `path` (made absolute) first, drops its older entry and anything beyond capacity.
  void add(const QString& path);
  /// Forgets `path` (e.g. when it no longer opens).
  void remove(const QString& path);

 private:
  QSettings& settings_;
};

}  // namespace telsim::view
