#include "chart_builder.hpp"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>

#include <cmath>
#include <limits>

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

void apply_axis(QAbstractAxis* abstract, const AxisSpec& a) {
  abstract->setTitleText(a.title);
  if (auto* log = qobject_cast<QLogValueAxis*>(abstract)) {
    log->setBase(10);
    log->setRange(a.min, a.max);
    log->setLabelFormat(QStringLiteral("%g"));
    log->setMinorTickCount(8);
    return;
  }
  auto* axis = qobject_cast<QValueAxis*>(abstract);
  if (axis == nullptr) return;
  axis->setRange(a.min, a.max);
  if (a.tick_interval > 0) {
    // Ticks at round values: multiples of the step, whatever the range's ends.
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    axis->setTickInterval(a.tick_interval);
  } else {
    axis->setTickType(QValueAxis::TicksFixed);
    if (a.ticks > 1) axis->setTickCount(a.ticks);
  }
  axis->setLabelFormat(a.whole_numbers ? QStringLiteral("%.0f") : QStringLiteral("%g"));
}

QAbstractAxis* value_axis(const AxisSpec& a) {
  QAbstractAxis* axis = a.log ? static_cast<QAbstractAxis*>(new QLogValueAxis)
                              : static_cast<QAbstractAxis*>(new QValueAxis);
  apply_axis(axis, a);
  return axis;
}

// Twelve colours that tell series apart on screen and in print (after the Tableau 10
// set, with navy and gold): a chart gives each series the next one, never the same twice.
const QList<QColor>& palette() {
  static const QList<QColor> colours = {QColor(0x1f77b4), QColor(0xff7f0e), QColor(0x2ca02c),
                                        QColor(0xd62728), QColor(0x9467bd), QColor(0x8c564b),
                                        QColor(0xe377c2), QColor(0x7f7f7f), QColor(0xbcbd22),
                                        QColor(0x17becf), QColor(0x393b79), QColor(0xe6ab02)};
  return colours;
}

// The k-th series' colour: the palette, then hues spread by the golden angle.
QColor colour_of(qsizetype k) {
  if (k < palette().size()) return palette()[k];
  const double hue = std::fmod(0.07 + 0.618033988749895 * static_cast<double>(k), 1.0);
  return QColor::fromHsvF(static_cast<float>(hue), 0.75f, 0.7f);
}

// Legend names longer than this are cut in the middle; the whole name is in the tooltip.
constexpr qsizetype legend_name_limit = 48;

QString legend_name(const QString& name) {
  if (name.size() <= legend_name_limit) return name;
  const qsizetype keep = (legend_name_limit - 1) / 2;
  return name.left(keep) + QChar(0x2026) + name.right(legend_name_limit - 1 - keep);
}

constexpr const char* shape_key = "telsim_shape";

// What must match for update_chart to reuse a chart: categories, axes, and each series'
// name, kind, axis, style and number of whiskers.
QString shape_of(const ChartSpec& spec) {
  QStringList parts{
      spec.categories.join(QChar(0x1f)), spec.y_right ? QStringLiteral("right") : QString(),
      spec.y.log ? QStringLiteral("log") : QString(), spec.target ? spec.target_label : QString()};
  for (const SeriesSpec& s : spec.series) {
    qsizetype whiskers = 0;
    for (const ChartPoint& p : s.points) whiskers += s.whiskers && p.ci95 ? 1 : 0;
    parts << QStringLiteral("%1/%2/%3/%4/%5/%6")
                 .arg(s.name)
                 .arg(static_cast<int>(s.kind))
                 .arg(static_cast<int>(s.axis))
                 .arg(whiskers)
                 .arg(s.dashed)
                 .arg(s.same_colour_as);
  }
  return parts.join(QChar(0x1e));
}

// Half-width of a whisker's caps: a fixed share of a category, or of the x range.
double cap_of(const ChartSpec& spec) {
  return spec.categories.isEmpty() ? (spec.x.max - spec.x.min) * 0.008 : 0.06;
}

/// The target line's points: across the x range (or the categories).
QList<QPointF> target_path(const ChartSpec& spec) {
  if (spec.target_span) {
    return {{spec.target_span->first, *spec.target}, {spec.target_span->second, *spec.target}};
  }
  const double left = spec.categories.isEmpty() ? spec.x.min : -0.5;
  const double right =
      spec.categories.isEmpty() ? spec.x.max : static_cast<double>(spec.categories.size()) - 0.5;
  return {{left, *spec.target}, {right, *spec.target}};
}

QString title_of(const ChartSpec& spec) {
  return spec.empty_reason.isEmpty() ? spec.title
                                     : spec.title + QStringLiteral(" — ") + spec.empty_reason;
}

// One bar series' value and tooltip per category (0 and no tip where it has no point).
std::pair<QList<qreal>, QStringList> bar_values(const ChartSpec& spec, const SeriesSpec& s) {
  QList<qreal> values(spec.categories.size(), 0.0);
  QStringList tips(spec.categories.size(), QString());
  const QStringList point_tips = tips_of(spec, s);
  for (qsizetype k = 0; k < s.points.size(); ++k) {
    const auto index = static_cast<qsizetype>(std::llround(s.points[k].x));
    if (index < 0 || index >= values.size()) continue;
    values[index] = s.points[k].y;
    tips[index] = point_tips[k];
  }
  return {values, tips};
}

QList<QPointF> xy_points(const SeriesSpec& s) {
  QList<QPointF> points;
  points.reserve(s.points.size());
  for (const ChartPoint& p : s.points) points << QPointF(p.x, p.y);
  return points;
}

// An I-beam from y - ci to y + ci at x, caps `cap` wide each side, as one polyline; its
// lower end no lower than `floor` (a log axis' minimum: a CI reaching 0 or below).
QList<QPointF> whisker_path(const ChartPoint& p, double cap, double floor) {
  const double lo = std::max(p.y - *p.ci95, floor), hi = p.y + *p.ci95;
  return {{p.x - cap, lo}, {p.x + cap, lo}, {p.x, lo}, {p.x, hi}, {p.x - cap, hi}, {p.x + cap, hi}};
}

void add_whiskers(QChart* chart, const SeriesSpec& series, QObject* owner, const QColor& color,
                  double cap, double floor, QAbstractAxis* x, QAbstractAxis* y) {
  for (const ChartPoint& p : series.points) {
    if (!p.ci95) continue;
    auto* w = new QLineSeries;
    w->setName(series.name + QLatin1String(whisker_suffix));
    w->replace(whisker_path(p, cap, floor));
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
  chart->setTitle(title_of(spec));
  chart->setProperty(shape_key, shape_of(spec));
  chart->legend()->setAlignment(Qt::AlignBottom);

  QAbstractAxis* x = nullptr;
  const double cap = cap_of(spec);
  if (!spec.categories.isEmpty()) {
    auto* categories = new QBarCategoryAxis;
    categories->append(spec.categories);
    categories->setTitleText(spec.x.title);
    x = categories;
  } else {
    x = value_axis(spec.x);
  }
  chart->addAxis(x, Qt::AlignBottom);
  QAbstractAxis* y = value_axis(spec.y);
  chart->addAxis(y, Qt::AlignLeft);
  const double floor = spec.y.log ? spec.y.min : -std::numeric_limits<double>::infinity();
  qsizetype next_colour = 0;
  QAbstractAxis* y_right = nullptr;
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
    auto* set = new QBarSet(legend_name(s.name));
    set->setProperty(full_name_key, s.name);
    set->setColor(colour_of(next_colour++));
    set->setBorderColor(set->color().darker(110));
    const auto [values, tips] = bar_values(spec, s);
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
      if (s->whiskers) add_whiskers(chart, *s, set, set->color(), cap, floor, x, y);
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
    series->setName(legend_name(s.name));
    series->setProperty(full_name_key, s.name);
    series->replace(xy_points(s));
    set_tips(series, tips_of(spec, s));
    chart->addSeries(series);
    QAbstractAxis* axis_y = s.axis == AxisSide::right && y_right ? y_right : y;
    series->attachAxis(x);
    series->attachAxis(axis_y);
    bool coloured = false;
    if (!s.same_colour_as.isEmpty()) {
      for (QAbstractSeries* other : chart->series()) {
        auto* other_xy = qobject_cast<QXYSeries*>(other);
        if (other_xy && other_xy != series &&
            other->property(full_name_key).toString() == s.same_colour_as) {
          series->setColor(other_xy->color());
          coloured = true;
        }
      }
    }
    if (!coloured) series->setColor(colour_of(next_colour++));
    if (s.no_legend) series->setProperty(no_legend_key, true);
    if (s.dashed) {
      QPen pen = series->pen();
      pen.setStyle(Qt::DashLine);
      series->setPen(pen);
    }
    if (s.whiskers) add_whiskers(chart, s, series, series->color(), cap, floor, x, axis_y);
  }
  if (spec.target) {
    // Black and dashed: no series colour, so it never reads as one of them.
    auto* target = new QLineSeries;
    target->setName(legend_name(spec.target_label));
    target->setProperty(full_name_key, spec.target_label);
    target->replace(target_path(spec));
    target->setPen(QPen(Qt::black, 1.5, Qt::DashDotLine));
    set_tips(target, {spec.target_label, spec.target_label});
    chart->addSeries(target);
    target->attachAxis(x);
    target->attachAxis(y);
  }
  make_interactive(chart);
  return chart;
}

bool update_chart(QChart* chart, const ChartSpec& spec) {
  if (chart->property(shape_key).toString() != shape_of(spec)) return false;
  chart->setTitle(title_of(spec));
  if (spec.categories.isEmpty()) apply_axis(chart->axes(Qt::Horizontal).front(), spec.x);
  for (QAbstractAxis* axis : chart->axes(Qt::Vertical)) {
    if (axis->alignment() == Qt::AlignLeft) apply_axis(axis, spec.y);
    if (axis->alignment() == Qt::AlignRight && spec.y_right) apply_axis(axis, *spec.y_right);
  }
  // Series come in the order build_chart added them: the bars, their whiskers, then each
  // other series followed by its whiskers, then the target line.
  const double cap = cap_of(spec);
  const double floor = spec.y.log ? spec.y.min : -std::numeric_limits<double>::infinity();
  const QList<QAbstractSeries*> series = chart->series();
  qsizetype next = 0;
  auto replace_whiskers = [&](const SeriesSpec& s) {
    if (!s.whiskers) return;
    for (const ChartPoint& p : s.points) {
      if (p.ci95) qobject_cast<QXYSeries*>(series[next++])->replace(whisker_path(p, cap, floor));
    }
  };
  QList<const SeriesSpec*> bar_specs;
  for (const SeriesSpec& s : spec.series) {
    if (s.kind == SeriesKind::bars) bar_specs << &s;
  }
  if (!bar_specs.isEmpty()) {
    auto* bars = qobject_cast<QStackedBarSeries*>(series[next++]);
    for (qsizetype k = 0; k < bar_specs.size(); ++k) {
      QBarSet* set = bars->barSets()[k];
      const auto [values, tips] = bar_values(spec, *bar_specs[k]);
      for (qsizetype i = 0; i < values.size(); ++i) set->replace(i, values[i]);
      set_tips(set, tips);
    }
    for (const SeriesSpec* s : bar_specs) replace_whiskers(*s);
  }
  for (const SeriesSpec& s : spec.series) {
    if (s.kind == SeriesKind::bars) continue;
    auto* xy = qobject_cast<QXYSeries*>(series[next++]);
    xy->replace(xy_points(s));
    if (s.kind == SeriesKind::line) xy->setPointsVisible(s.points.size() <= 40);
    set_tips(xy, tips_of(spec, s));
    replace_whiskers(s);
  }
  if (spec.target) qobject_cast<QXYSeries*>(series[next++])->replace(target_path(spec));
  return true;
}

}  // namespace telsim::view
