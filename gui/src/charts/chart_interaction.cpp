#include "chart_interaction.hpp"

#include <QCursor>
#include <QToolTip>
#include <QtCharts/QBarLegendMarker>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QXYSeries>

namespace telsim::view {
namespace {

constexpr const char* whisker_of_key = "telsim_whisker_of";
constexpr const char* tips_key = "telsim_tips";
constexpr const char* hidden_key = "telsim_hidden";
constexpr const char* color_key = "telsim_color";

QObject* whisker_owner(const QObject* series) {
  return series->property(whisker_of_key).value<QObject*>();
}

void show_tip(const QObject* owner, qsizetype index) {
  const QStringList list = tips(owner);
  if (index >= 0 && index < list.size() && !list[index].isEmpty()) {
    QToolTip::showText(QCursor::pos(), list[index]);
  }
}

void set_shown(QChart* chart, QLegendMarker* marker, bool shown) {
  QObject* owner = nullptr;
  if (auto* bar = qobject_cast<QBarLegendMarker*>(marker)) {
    QBarSet* set = bar->barset();
    owner = set;
    if (!set->property(color_key).isValid()) set->setProperty(color_key, set->color());
    QColor color = set->property(color_key).value<QColor>();
    if (!shown) color.setAlpha(0);
    set->setColor(color);
    set->setBorderColor(shown ? color.darker(110) : color);
    set->setProperty(hidden_key, !shown);
  } else {
    owner = marker->series();
    marker->series()->setVisible(shown);
    marker->setVisible(true);
  }
  for (QAbstractSeries* s : chart->series()) {
    if (whisker_owner(s) == owner) s->setVisible(shown);
  }
  QColor label = marker->labelBrush().color();
  label.setAlphaF(shown ? 1.0 : 0.4);
  marker->setLabelBrush(label);
}

bool marker_shown(QLegendMarker* marker) {
  if (auto* bar = qobject_cast<QBarLegendMarker*>(marker)) return is_shown(bar->barset());
  return marker->series()->isVisible();
}

}  // namespace

void mark_whisker(QObject* whisker, QObject* owner) {
  whisker->setProperty(whisker_of_key, QVariant::fromValue(owner));
}

void set_tips(QObject* series_or_set, const QStringList& list) {
  series_or_set->setProperty(tips_key, list);
}

QStringList tips(const QObject* series_or_set) {
  return series_or_set->property(tips_key).toStringList();
}

bool is_shown(const QObject* series_or_set) {
  if (auto* set = qobject_cast<const QBarSet*>(series_or_set)) {
    return !set->property(hidden_key).toBool();
  }
  if (auto* series = qobject_cast<const QAbstractSeries*>(series_or_set))
    return series->isVisible();
  return true;
}

namespace {

/// The series or bar set a legend marker stands for.
QObject* subject_of(QLegendMarker* marker) {
  if (auto* bar = qobject_cast<QBarLegendMarker*>(marker)) return bar->barset();
  return marker->series();
}

}  // namespace

bool toggle_series(QChart* chart, const QString& name) {
  for (QLegendMarker* marker : chart->legend()->markers()) {
    const bool named =
        marker->label() == name || subject_of(marker)->property(full_name_key).toString() == name;
    if (named && !whisker_owner(marker->series())) {
      set_shown(chart, marker, !marker_shown(marker));
      return true;
    }
  }
  return false;
}

void make_interactive(QChart* chart) {
  for (QLegendMarker* marker : chart->legend()->markers()) {
    if (whisker_owner(marker->series()) ||
        (marker->series() && marker->series()->property(no_legend_key).toBool())) {
      marker->setVisible(false);
      continue;
    }
    QObject::connect(marker, &QLegendMarker::clicked, chart,
                     [chart, marker] { set_shown(chart, marker, !marker_shown(marker)); });
    const QString whole = subject_of(marker)->property(full_name_key).toString();
    if (!whole.isEmpty() && whole != marker->label()) {
      QObject::connect(marker, &QLegendMarker::hovered, chart, [whole](bool status) {
        if (status) {
          QToolTip::showText(QCursor::pos(), whole);
        } else {
          QToolTip::hideText();
        }
      });
    }
    if (auto* bar = qobject_cast<QBarLegendMarker*>(marker)) {
      QBarSet* set = bar->barset();
      QObject::connect(set, &QBarSet::hovered, chart, [set](bool status, int index) {
        if (status) {
          show_tip(set, index);
        } else {
          QToolTip::hideText();
        }
      });
    }
  }
  for (QAbstractSeries* s : chart->series()) {
    auto* xy = qobject_cast<QXYSeries*>(s);
    if (!xy || whisker_owner(xy)) continue;
    QObject::connect(xy, &QXYSeries::hovered, chart, [xy](const QPointF& at, bool state) {
      if (!state) {
        QToolTip::hideText();
        return;
      }
      const QList<QPointF> points = xy->points();
      qsizetype best = -1;
      double best_distance = 0;
      for (qsizetype k = 0; k < points.size(); ++k) {
        const double d = std::abs(points[k].x() - at.x()) + std::abs(points[k].y() - at.y());
        if (best < 0 || d < best_distance) {
          best = k;
          best_distance = d;
        }
      }
      show_tip(xy, best);
    });
  }
}

}  // namespace telsim::view
