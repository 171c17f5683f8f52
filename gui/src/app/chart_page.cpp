#include "chart_page.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QVBoxLayout>

#include "../charts/chart_builder.hpp"
#include "../charts/chart_view.hpp"

namespace telsim::view {
namespace {

QString subject_caption(ChartKind kind) {
  switch (kind) {
    case ChartKind::blocking:
      return QStringLiteral("Metric:");
    case ChartKind::latency:
      return QStringLiteral("Relation / policy:");
    case ChartKind::compare:
      return QStringLiteral("Relation:");
    case ChartKind::occupancy:
      return QStringLiteral("Trunk group:");
    case ChartKind::map:  // the map has a page of its own (MapPage)
      return QStringLiteral("Show:");
  }
  return {};
}

// Refills `box` with `items`, keeping the current text when it is still offered.
void refill(QComboBox* box, const QStringList& items) {
  const QString current = box->currentText();
  box->clear();
  box->addItems(items);
  const int keep = box->findText(current);
  if (keep >= 0) box->setCurrentIndex(keep);
}

}  // namespace

ChartPage::ChartPage(ChartKind kind, QWidget* parent)
    : QWidget(parent),
      kind_(kind),
      subject_label_(new QLabel(subject_caption(kind), this)),
      subject_(new QComboBox(this)),
      point_label_(new QLabel(this)),
      point_(new QComboBox(this)),
      log_scale_(new QCheckBox(QStringLiteral("Log scale"), this)),
      target_label_(new QLabel(QStringLiteral("Target:"), this)),
      target_(new QLineEdit(this)),
      view_(new ChartView(this)) {
  log_scale_->setToolTip(
      QStringLiteral("A logarithmic blocking axis: 0.1% and 1% apart instead of squashed near 0"));
  target_->setPlaceholderText(QStringLiteral("from expect"));
  target_->setToolTip(QStringLiteral(
      "The grade-of-service line, e.g. 0.01. Empty: the scenario's expect bound on the "
      "metric, if any; 0: no line"));
  auto* validator = new QDoubleValidator(0, 1e300, 12, target_);
  validator->setNotation(QDoubleValidator::ScientificNotation);
  validator->setLocale(QLocale::c());  // read back with toDouble, which is C too
  target_->setValidator(validator);
  target_->setMaximumWidth(110);
  const bool blocking = kind == ChartKind::blocking;
  log_scale_->setVisible(blocking);
  target_label_->setVisible(blocking);
  target_->setVisible(blocking);
  subject_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  point_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  auto* pickers = new QHBoxLayout;
  pickers->addWidget(subject_label_);
  pickers->addWidget(subject_);
  pickers->addSpacing(16);
  pickers->addWidget(point_label_);
  pickers->addWidget(point_);
  pickers->addStretch(1);
  pickers->addWidget(log_scale_);
  pickers->addSpacing(8);
  pickers->addWidget(target_label_);
  pickers->addWidget(target_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(pickers);
  layout->addWidget(view_, 1);
  connect(subject_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) refresh();
  });
  connect(point_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) refresh();
  });
  connect(log_scale_, &QCheckBox::toggled, this, [this] {
    if (!filling_) refresh();
  });
  connect(target_, &QLineEdit::editingFinished, this, [this] {
    if (!filling_) refresh();
  });
  set_document(nullptr);
}

void ChartPage::set_document(const Document* document) {
  document_ = document;
  filling_ = true;
  const QStringList subjects = document ? chart_subjects(*document, kind_) : QStringList();
  refill(subject_, subjects);
  subject_->setVisible(!subjects.isEmpty());
  subject_label_->setVisible(!subjects.isEmpty());
  // A sweep's blocking chart shows every point at once: no point to pick there.
  const bool sweep_blocking = document && document->is_sweep() && kind_ == ChartKind::blocking;
  const bool alternatives_compare =
      document && document->is_comparison() && kind_ == ChartKind::compare;
  const QStringList points = document && !sweep_blocking && !alternatives_compare
                                 ? chart_points(*document)
                                 : QStringList();
  refill(point_, points);
  point_->setVisible(!points.isEmpty());
  point_label_->setVisible(!points.isEmpty());
  point_label_->setText(document && document->is_comparison() ? QStringLiteral("Alternative:")
                                                              : QStringLiteral("Point:"));
  filling_ = false;
  refresh();
}

BlockingView ChartPage::blocking_view() const {
  BlockingView view;
  view.log_scale = log_scale_->isChecked();
  bool ok = false;
  const double value = target_->text().trimmed().toDouble(&ok);
  if (ok) view.target = value;
  return view;
}

void ChartPage::set_view(const BlockingView& view) {
  filling_ = true;
  log_scale_->setChecked(view.log_scale);
  target_->setText(view.target ? QString::number(*view.target, 'g', 12) : QString());
  filling_ = false;
  refresh();
}

void ChartPage::refresh() {
  if (!document_) {
    spec_ = ChartSpec{};
    spec_.title = QStringLiteral("Open a results file, a sweep folder or a compare.json");
  } else {
    spec_ = chart_for(*document_, kind_,
                      ChartPick{subject_->currentText(), point_->currentIndex(), blocking_view()});
  }
  // Same shape (a reload, another file of the same scenario): new numbers in place, with
  // the user's legend toggles kept; otherwise a new chart.
  if (!view_->chart() || !update_chart(view_->chart(), spec_)) {
    view_->show_chart(build_chart(spec_));
  }
}

}  // namespace telsim::view
