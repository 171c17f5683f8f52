#include "main_window.hpp"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include "../charts/chart_export.hpp"
#include "../charts/chart_view.hpp"
#include "../charts/map_view.hpp"
#include "../data/results_reader.hpp"
#include "../table/metric_tree_model.hpp"
#include "chart_page.hpp"
#include "map_page.hpp"

namespace telsim::view {
namespace {

constexpr ChartKind kinds[] = {ChartKind::blocking, ChartKind::latency, ChartKind::occupancy,
                               ChartKind::compare};

QString tab_title(ChartKind kind) {
  switch (kind) {
    case ChartKind::blocking:
      return QStringLiteral("Blocking");
    case ChartKind::latency:
      return QStringLiteral("Completion latency");
    case ChartKind::occupancy:
      return QStringLiteral("Busy circuits");
    case ChartKind::compare:
      return QStringLiteral("Policy comparison");
    case ChartKind::map:
      return QStringLiteral("Network map");
  }
  return {};
}

}  // namespace

MainWindow::MainWindow(QSettings& settings, QWidget* parent)
    : QMainWindow(parent),
      settings_(settings),
      recent_(settings),
      tabs_(new QTabWidget),
      map_page_(new MapPage),
      metric_model_(new MetricTreeModel(this)),
      filter_(new QSortFilterProxyModel(this)),
      filter_edit_(new QLineEdit),
      metrics_(new QTreeView) {
  setWindowTitle(QStringLiteral("telsim-view"));
  setAcceptDrops(true);
  for (ChartKind kind : kinds) {
    auto* page = new ChartPage(kind);
    pages_ << page;
    tabs_->addTab(page, tab_title(kind));
  }
  tabs_->addTab(map_page_, tab_title(ChartKind::map));

  // The search matches each row's whole path (and its point or alternative); a match
  // keeps its ancestors, and a matching group or relation shows all its figures.
  filter_->setSourceModel(metric_model_);
  filter_->setFilterKeyColumn(MetricTreeModel::name_column);
  filter_->setFilterRole(MetricTreeModel::search_role);
  filter_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  filter_->setRecursiveFilteringEnabled(true);
  filter_->setAutoAcceptChildRows(true);
  filter_->setSortRole(MetricTreeModel::sort_role);
  metrics_->setModel(filter_);
  metrics_->setSortingEnabled(true);
  metrics_->sortByColumn(-1, Qt::AscendingOrder);
  metrics_->setUniformRowHeights(true);
  metrics_->setAlternatingRowColors(true);
  // Names are short at every level (the path is the tree): nothing is elided away.
  metrics_->header()->setStretchLastSection(false);
  metrics_->header()->setSectionResizeMode(MetricTreeModel::name_column, QHeaderView::Stretch);
  for (int c = MetricTreeModel::mean_column; c < MetricTreeModel::column_count; ++c) {
    metrics_->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  }
  filter_edit_->setPlaceholderText(QStringLiteral("Search metrics (e.g. blocking, AB, p95)"));
  filter_edit_->setClearButtonEnabled(true);
  connect(filter_edit_, &QLineEdit::textChanged, this, [this](const QString& text) {
    filter_->setFilterFixedString(text);
    // Show what matched: everything open while searching, the sections when not.
    if (text.isEmpty()) {
      metrics_->collapseAll();
      metrics_->expandToDepth(0);
    } else {
      metrics_->expandAll();
    }
  });

  auto* side = new QWidget;
  auto* side_layout = new QVBoxLayout(side);
  side_layout->setContentsMargins(4, 4, 4, 4);
  side_layout->addWidget(filter_edit_);
  side_layout->addWidget(metrics_, 1);

  auto* splitter = new QSplitter;
  splitter->addWidget(tabs_);
  splitter->addWidget(side);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setSizes({800, 480});
  setCentralWidget(splitter);

  build_menus();
  reload_timer_.setSingleShot(true);
  reload_timer_.setInterval(300);  // a writer's temporary file and rename settle first
  connect(&reload_timer_, &QTimer::timeout, this, &MainWindow::on_disk_change);
  connect(&watcher_, &QFileSystemWatcher::fileChanged, this, [this] { reload_timer_.start(); });
  connect(&watcher_, &QFileSystemWatcher::directoryChanged, this,
          [this] { reload_timer_.start(); });
  statusBar()->showMessage(
      QStringLiteral("Open a results file, a sweep folder or a compare.json "
                     "(File menu, or drop it here)"));
}

MainWindow::~MainWindow() {
  // The pages point into document_: detach them before it goes.
  for (ChartPage* page : pages_) page->set_document(nullptr);
  map_page_->set_document(nullptr);
}

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
  QAction* open_file = file->addAction(QStringLiteral("&Open results…"), this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, QStringLiteral("Open telsim results"), QString(),
                                     QStringLiteral("telsim results (*.json);;All files (*)"));
    if (!path.isEmpty()) open(path);
  });
  open_file->setShortcut(QKeySequence::Open);
  file->addAction(QStringLiteral("Open sweep &folder…"), this, [this] {
    const QString path =
        QFileDialog::getExistingDirectory(this, QStringLiteral("Open a telsim sweep folder"));
    if (!path.isEmpty()) open(path);
  });
  recent_menu_ = file->addMenu(QStringLiteral("Open &recent"));
  fill_recent_menu();
  QAction* reload_action = file->addAction(QStringLiteral("Re&load"), this, [this] { reload(); });
  reload_action->setShortcut(QKeySequence::Refresh);
  file->addSeparator();
  file->addAction(QStringLiteral("Export chart as &PNG…"), this, [this] { export_dialog("png"); });
  file->addAction(QStringLiteral("Export chart as &SVG…"), this, [this] { export_dialog("svg"); });
  file->addSeparator();
  QAction* quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
  view->addAction(QStringLiteral("&Reset zoom"), this, [this] {
    if (auto* page = qobject_cast<ChartPage*>(tabs_->currentWidget()))
      page->view()->chart()->zoomReset();
    if (tabs_->currentWidget() == map_page_) map_page_->view()->reset_zoom();
  });
  for (ChartKind kind : kinds) {
    view->addAction(tab_title(kind), this, [this, kind] { show_chart(kind); });
  }
  view->addAction(tab_title(ChartKind::map), this, [this] { show_chart(ChartKind::map); });
}

void MainWindow::fill_recent_menu() {
  recent_menu_->clear();
  for (const QString& path : recent_.paths()) {
    recent_menu_->addAction(path, this, [this, path] { open(path); });
  }
  recent_menu_->setEnabled(!recent_menu_->isEmpty());
}

bool MainWindow::open(const QString& path, bool tell_user) {
  try {
    Document loaded = read_document(std::filesystem::path(path.toStdString()));
    // Same address, new content: the pages are pointed at it again just below, and keep
    // the picks that still exist.
    document_ = std::move(loaded);
  } catch (const std::exception& e) {
    last_error_ = QString::fromUtf8(e.what());
    statusBar()->showMessage(last_error_);
    if (tell_user) {
      auto* box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Cannot open"), last_error_,
                                  QMessageBox::Ok, this);
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->open();
    }
    return false;
  }
  last_error_.clear();
  metric_model_->set_document(*document_);
  if (filter_edit_->text().isEmpty()) {
    metrics_->expandToDepth(0);
  } else {
    metrics_->expandAll();
  }
  for (ChartPage* page : pages_) page->set_document(&*document_);
  map_page_->set_document(&*document_);
  const QString shown = QString::fromStdString(document_->source.string());
  setWindowTitle(QStringLiteral("%1 — telsim-view").arg(QFileInfo(shown).fileName()));
  statusBar()->showMessage(
      QStringLiteral("%1: %2 metrics").arg(shown).arg(metric_model_->metric_count()));
  recent_.add(shown);
  fill_recent_menu();
  watch();
  return true;
}

bool MainWindow::reload() {
  if (!document_) return false;
  // Keep the open tab and picks: set_document keeps picks whose text still exists.
  return open(QString::fromStdString(document_->source.string()), false);
}

void MainWindow::watch() {
  if (!watcher_.files().isEmpty()) watcher_.removePaths(watcher_.files());
  if (!watcher_.directories().isEmpty()) watcher_.removePaths(watcher_.directories());
  for (const std::filesystem::path& p : document_->watched_files()) {
    const QString file = QString::fromStdString(p.string());
    watcher_.addPath(file);
    // Writers replace files by renaming a temporary over them: watch the folder too.
    watcher_.addPath(QFileInfo(file).absolutePath());
  }
}

void MainWindow::on_disk_change() {
  if (!document_) return;
  for (const std::filesystem::path& p : document_->watched_files()) {
    if (!QFileInfo::exists(QString::fromStdString(p.string()))) return;  // mid-rename: wait
  }
  if (reload())
    statusBar()->showMessage(statusBar()->currentMessage() + QStringLiteral(" (reloaded)"));
}

ChartPage* MainWindow::page(ChartKind kind) const {
  for (ChartPage* p : pages_) {
    if (p->kind() == kind) return p;
  }
  return nullptr;
}

void MainWindow::show_chart(ChartKind kind) {
  if (kind == ChartKind::map) {
    tabs_->setCurrentWidget(map_page_);
  } else {
    tabs_->setCurrentWidget(page(kind));
  }
}

QString MainWindow::export_current(const QString& path) {
  if (tabs_->currentWidget() == map_page_) return export_view(map_page_->view(), path);
  auto* current = qobject_cast<ChartPage*>(tabs_->currentWidget());
  return export_view(current->view(), path);
}

void MainWindow::export_dialog(const QString& suffix) {
  auto* current = qobject_cast<ChartPage*>(tabs_->currentWidget());
  const ChartKind kind = current ? current->kind() : ChartKind::map;
  const QString name = chart_kind_name(kind) + QStringLiteral(".") + suffix;
  const QString path =
      QFileDialog::getSaveFileName(this, QStringLiteral("Export chart"), name,
                                   suffix == QLatin1String("svg") ? QStringLiteral("SVG (*.svg)")
                                                                  : QStringLiteral("PNG (*.png)"));
  if (path.isEmpty()) return;
  const QString error = export_current(path);
  if (error.isEmpty()) {
    statusBar()->showMessage(QStringLiteral("wrote %1").arg(path));
  } else {
    QMessageBox::warning(this, QStringLiteral("Export failed"), error);
  }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls() && event->mimeData()->urls().front().isLocalFile()) {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.front().isLocalFile()) return;
  event->acceptProposedAction();
  open(urls.front().toLocalFile());
}

}  // namespace telsim::view
