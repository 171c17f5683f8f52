#include "map_page.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "../charts/map_view.hpp"
#include "../mapping/document_charts.hpp"
#include "../mapping/map_mapper.hpp"

namespace telsim::view {
namespace {

// The run the page's first point stands for, for its default filter.
const Run* first_run(const Document& document) {
  if (const Run* run = std::get_if<Run>(&document.content)) return run;
  if (const Sweep* sweep = std::get_if<Sweep>(&document.content))
    return sweep->points.empty() ? nullptr : &sweep->points.front().run;
  const Comparison& c = std::get<Comparison>(document.content);
  return c.alternatives.empty() ? nullptr : &c.alternatives.front();
}

}  // namespace

MapPage::MapPage(QWidget* parent)
    : QWidget(parent),
      filter_(new QComboBox(this)),
      point_label_(new QLabel(this)),
      point_(new QComboBox(this)),
      view_(new MapView(this)) {
  filter_->addItems(map_filter_names());
  filter_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  filter_->setToolTip(
      QStringLiteral("Which trunk groups to draw: tandem groups hides the direct groups "
                     "between local exchanges"));
  point_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* pickers = new QHBoxLayout;
  pickers->addWidget(new QLabel(QStringLiteral("Show:"), this));
  pickers->addWidget(filter_);
  pickers->addSpacing(16);
  pickers->addWidget(point_label_);
  pickers->addWidget(point_);
  pickers->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(pickers);
  layout->addWidget(view_, 1);
  connect(filter_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) refresh();
  });
  connect(point_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) refresh();
  });
  set_document(nullptr);
}

void MapPage::set_document(const Document* document) {
  document_ = document;
  filling_ = true;
  const QString source = document ? QString::fromStdString(document->source.string()) : QString();
  if (source != shown_source_) {
    // Another document: its own default (a busy network opens without direct groups).
    const Run* run = document ? first_run(*document) : nullptr;
    filter_->setCurrentText(
        map_filter_name(run ? default_map_options(*run) : MapOptions{MapFilter::all_groups}));
    shown_source_ = source;
  }
  const QStringList points = document ? chart_points(*document) : QStringList();
  const QString current = point_->currentText();
  point_->clear();
  point_->addItems(points);
  const int keep = point_->findText(current);
  if (keep >= 0) point_->setCurrentIndex(keep);
  point_->setVisible(!points.isEmpty());
  point_label_->setVisible(!points.isEmpty());
  point_label_->setText(document && document->is_comparison() ? QStringLiteral("Alternative:")
                                                              : QStringLiteral("Point:"));
  filter_->setEnabled(document != nullptr);
  filling_ = false;
  refresh();
}

void MapPage::refresh() {
  if (!document_) {
    spec_ = MapSpec{};
    spec_.title = QStringLiteral("Open a results file, a sweep folder or a compare.json");
  } else {
    spec_ = map_for(*document_,
                    ChartPick{filter_->currentText(), std::max(point_->currentIndex(), 0), {}});
  }
  view_->show_map(spec_);
}

}  // namespace telsim::view
