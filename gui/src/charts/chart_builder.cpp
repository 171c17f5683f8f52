#include "chart_builder.hpp"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include "chart_interaction.hpp"

namespace telsim::view {
namespace {

QString default_tip(const ChartSpec& spec, const SeriesSpec& series, const ChartPoint& p) {
  QString where = spec.categories.isEmpty()
                      ? QString::number(p.x, 'g', 6)
                      : spec.categories.value(static_cast<qsizetype>(std::llround(p.x)));
  QString text = series.name + QStringLiteral(" at ") + where + QStringLiteral(": ") +
                 QString::number(p.y, 'g', 4);
  if (p.ci95) text += QStringLiteral(" ± ") + QString::number(*p.ci95, 'g', 4);
  if (p.n > 0) text += QStringLiteral(" (n = %1)").arg(p.n);
  return text;
}

QStringList tips_of(const ChartSpec& spec, const SeriesSpec& series) {
  QStringList tips;
  for (const ChartPoint& p : series.points) {
    tips << (p.label.isEmpty() ? default_tip(spec, series, p) : p.label);
  }
  return tips;
}

QValueAxis* value_axis(const AxisSpec& a) {
  auto* axis = new QValueAxis;
  axis->setTitleText(a.title);
  axis->setRange(a.min, a.max);
  if (a.ticks > 1) axis->setTickCount(a.ticks);
  if (a.whole_numbers) axis->setLabelFormat(QStringLiteral("%.0f"));
  return axis;
}

// An I-beam from y - ci to y + ci at x, caps `cap` wide each side, as one polyline.
QList<QPointF> whisker_path(const ChartPoint& p, double cap) {
  const double lo = p.y - *p.ci95, hi = p.y + *p.ci95;
  return {{p.x - cap, lo}, {p.x + cap, lo}, {p.x, lo}, {p.x, hi}, {p.x - cap, hi}, {p.x + cap, hi}};
}

void add_whiskers(QChart* chart, const SeriesSpec& series, QObject* owner, const QColor& color,
                  double cap, QAbstractAxis* x, QAbstractAxis* y) {
  for (const ChartPoint& p : series.points) {
    if (!p.ci95) continue;
    auto* w = new QLineSeries;
    w->setName(series.name + QLatin1String(whisker_suffix));
    w->replace(whisker_path(p, cap));
    w->setPen(QPen(color.darker(130), 1.5));
    chart->addSeries(w);
    w->attachAxis(x);
    w->attachAxis(y);
    mark_whisker(w, owner);
  }
}

}  // namespace

QChart* build_chart(const ChartSpec& spec) {
  auto* chart = new QChart;
  chart->setTitle(spec.empty_reason.isEmpty()
                      ? spec.title
                      : spec.title + QStringLiteral(" — ") + spec.empty_reason);
  chart->legend()->setAlignment(Qt::AlignBottom);

  QAbstractAxis* x = nullptr;
  double cap = 0;
  if (!spec.categories.isEmpty()) {
    auto* categories = new QBarCategoryAxis;
    categories->append(spec.categories);
    categories->setTitleText(spec.x.title);
    x = categories;
    cap = 0.06;
  } else {
    x = value_axis(spec.x);
    cap = (spec.x.max - spec.x.min) * 0.008;
  }
  chart->addAxis(x, Qt::AlignBottom);
  QValueAxis* y = value_axis(spec.y);
  chart->addAxis(y, Qt::AlignLeft);
  QValueAxis* y_right = nullptr;
  if (spec.y_right) {
    y_right = value_axis(*spec.y_right);
    chart->addAxis(y_right, Qt::AlignRight);
  }

  // Bars first, so lines and markers draw over them.
  QStackedBarSeries* bars = nullptr;
  QList<std::pair<const SeriesSpec*, QBarSet*>> bar_sets;
  for (const SeriesSpec& s : spec.series) {
    if (s.kind != SeriesKind::bars) continue;
    if (!bars) bars = new QStackedBarSeries;
    auto* set = new QBarSet(s.name);
    QList<qreal> values(spec.categories.size(), 0.0);
    QStringList tips(spec.categories.size(), QString());
    const QStringList point_tips = tips_of(spec, s);
    for (qsizetype k = 0; k < s.points.size(); ++k) {
      const auto index = static_cast<qsizetype>(std::llround(s.points[k].x));
      if (index < 0 || index >= values.size()) continue;
      values[index] = s.points[k].y;
      tips[index] = point_tips[k];
    }
    set->append(values);
    set_tips(set, tips);
    bars->append(set);
    bar_sets << std::make_pair(&s, set);
  }
  if (bars) {
    bars->setBarWidth(0.5);
    chart->addSeries(bars);
    bars->attachAxis(x);
    bars->attachAxis(y);
    for (const auto& [s, set] : bar_sets) {
      if (s->whiskers) add_whiskers(chart, *s, set, set->color(), cap, x, y);
    }
  }

  for (const SeriesSpec& s : spec.series) {
    if (s.kind == SeriesKind::bars) continue;
    QXYSeries* series = nullptr;
    if (s.kind == SeriesKind::scatter) {
      auto* scatter = new QScatterSeries;
      scatter->setMarkerSize(10);
      series = scatter;
    } else {
      series = new QLineSeries;
      series->setPointsVisible(s.points.size() <= 40);
    }
    series->setName(s.name);
    QList<QPointF> points;
    points.reserve(s.points.size());
    for (const ChartPoint& p : s.points) points << QPointF(p.x, p.y);
    series->replace(points);
    set_tips(series, tips_of(spec, s));
    chart->addSeries(series);
    QAbstractAxis* axis_y = s.axis == AxisSide::right && y_right ? y_right : y;
    series->attachAxis(x);
    series->attachAxis(axis_y);
    if (!s.same_colour_as.isEmpty()) {
      for (QAbstractSeries* other : chart->series()) {
        auto* other_xy = qobject_cast<QXYSeries*>(other);
        if (other_xy && other_xy != series && other->name() == s.same_colour_as) {
          series->setColor(other_xy->color());
        }
      }
    }
    if (s.dashed) {
      QPen pen = series->pen();
      pen.setStyle(Qt::DashLine);
      series->setPen(pen);
    }
    if (s.whiskers) add_whiskers(chart, s, series, series->color(), cap, x, axis_y);
  }
  make_interactive(chart);
  return chart;
}

}  // namespace telsim::view
