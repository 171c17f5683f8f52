#pragma once
// The viewer's window: chart tabs on the left, the metric tree on the right, File menu
// (open, open sweep folder, recent files, reload, export PNG/SVG), drag and drop, and a
// reload when the open file changes on disk.
#include <memory>
#include <optional>

#include <QFileSystemWatcher>
#include <QMainWindow>
#include <QSettings>
#include <QTimer>

#include "../data/view_data.hpp"
#include "../mapping/document_charts.hpp"
#include "recent_files.hpp"

class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QTabWidget;
class QTreeView;

namespace telsim::view {

class ChartPage;
class MapPage;
class MetricTreeModel;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// `settings` keeps the recent files (not owned).
  explicit MainWindow(QSettings& settings, QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a results file, sweep folder or compare.json. On failure the current document
  /// stays, the error is in last_error() and shown in a (non-modal) message box when
  /// `tell_user` is true. Returns whether it opened.
  bool open(const QString& path, bool tell_user = true);
  /// Reads the open document again (as on a change on disk).
  bool reload();

  const Document* document() const { return document_ ? &*document_ : nullptr; }
  QString last_error() const { return last_error_; }
  /// The tab of a chart kind; nullptr for the map, which is map_page().
  ChartPage* page(ChartKind kind) const;
  MapPage* map_page() const { return map_page_; }
  /// Shows the tab of `kind` (the map's too).
  void show_chart(ChartKind kind);
  MetricTreeModel* metric_model() const { return metric_model_; }
  QTreeView* metric_view() const { return metrics_; }
  /// What the metric view shows after the search field's filter.
  QSortFilterProxyModel* metric_filter() const { return filter_; }
  QLineEdit* metric_search() const { return filter_edit_; }
  QMenu* recent_menu() const { return recent_menu_; }
  /// Writes the chart or map on show, as displayed (PNG or SVG by extension). Returns an error.
  QString export_current(const QString& path);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_menus();
  void fill_recent_menu();
  void watch();
  void on_disk_change();
  void export_dialog(const QString& suffix);

  QSettings& settings_;
  RecentFiles recent_;
  std::optional<Document> document_;
  QString last_error_;
  QTabWidget* tabs_;
  QList<ChartPage*> pages_;
  MapPage* map_page_;
  MetricTreeModel* metric_model_;
  QSortFilterProxyModel* filter_;
  QLineEdit* filter_edit_;
  QTreeView* metrics_;
  QMenu* recent_menu_ = nullptr;
  QFileSystemWatcher watcher_;
  QTimer reload_timer_;
};

}  // namespace telsim::view
