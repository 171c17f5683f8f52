#pragma once
// The "Network map" tab: the filter ("Show:"), the sweep point or compare alternative, and
// the map view.
#include <QString>
#include <QWidget>

#include "../data/view_data.hpp"
#include "../mapping/map_spec.hpp"

class QComboBox;
class QLabel;

namespace telsim::view {

class MapView;

class MapPage : public QWidget {
  Q_OBJECT

 public:
  explicit MapPage(QWidget* parent = nullptr);

  /// Shows `document` (not owned; nullptr: nothing). A reload of the same source keeps the
  /// filter and point; another document opens with its default filter.
  void set_document(const Document* document);
  /// Redraws from the current document and picks.
  void refresh();

  MapView* view() const { return view_; }
  QComboBox* filter_picker() const { return filter_; }
  QComboBox* point_picker() const { return point_; }
  /// The spec of the map on show.
  const MapSpec& spec() const { return spec_; }

 private:
  const Document* document_ = nullptr;
  QString shown_source_;
  QComboBox* filter_;
  QLabel* point_label_;
  QComboBox* point_;
  MapView* view_;
  MapSpec spec_;
  bool filling_ = false;
};

}  // namespace telsim::view
