#pragma once
// One tab of the window: a chart kind, its pickers (subject; sweep point or compare
// alternative) and the chart view.
#include <QWidget>

#include "../data/view_data.hpp"
#include "../mapping/document_charts.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace telsim::view {

class ChartView;

class ChartPage : public QWidget {
  Q_OBJECT

 public:
  explicit ChartPage(ChartKind kind, QWidget* parent = nullptr);

  /// Shows `document` (not owned; nullptr: nothing). Keeps the picks that still exist.
  void set_document(const Document* document);
  /// Redraws from the current document and picks.
  void refresh();

  ChartKind kind() const { return kind_; }
  ChartView* view() const { return view_; }
  QComboBox* subject_picker() const { return subject_; }
  QComboBox* point_picker() const { return point_; }
  /// Blocking charts only: a log y axis, and the target line's value (empty: the
  /// scenario's expect bound; 0: none).
  QCheckBox* log_scale_box() const { return log_scale_; }
  QLineEdit* target_edit() const { return target_; }
  /// Sets both controls at once (one redraw), as the command line's --log-scale/--target.
  void set_view(const BlockingView& view);
  /// The spec of the chart on show.
  const ChartSpec& spec() const { return spec_; }

 private:
  ChartKind kind_;
  const Document* document_ = nullptr;
  QLabel* subject_label_;
  QComboBox* subject_;
  QLabel* point_label_;
  QComboBox* point_;
  QCheckBox* log_scale_;
  QLabel* target_label_;
  QLineEdit* target_;
  ChartView* view_;
  ChartSpec spec_;
  bool filling_ = false;

  BlockingView blocking_view() const;
};

}  // namespace telsim::view
