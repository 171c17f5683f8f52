#include "blocking_mapper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "../data/loss_model.hpp"
#include "metric_labels.hpp"

namespace telsim::view {
namespace {

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

ChartPoint point_of(double x, const Estimate& e) {
  ChartPoint p;
  p.x = x;
  p.y = e.mean.value_or(0);
  p.ci95 = e.ci95;
  p.n = e.n;
  return p;
}

double top_of(const QList<SeriesSpec>& series) {
  double top = 0;
  for (const SeriesSpec& s : series) {
    for (const ChartPoint& p : s.points) top = std::max(top, p.y + p.ci95.value_or(0));
  }
  return top;
}

std::optional<double> as_number(const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// "trunk_groups.AB.call_blocking" -> ("AB", "call_blocking"); empty for other paths.
std::pair<std::string, std::string> group_metric(const std::string& path) {
  const std::string prefix = "trunk_groups.";
  if (path.rfind(prefix, 0) != 0) return {};
  const auto dot = path.find('.', prefix.size());
  if (dot == std::string::npos) return {};
  return {path.substr(prefix.size(), dot - prefix.size()), path.substr(dot + 1)};
}

/// The expect checks' bound on the paths `matches` accepts: the smallest max, or else the
/// largest min (the line a figure must stay on the right side of).
template <typename Matches>
std::optional<double> expect_bound(const nlohmann::ordered_json& scenario, Matches matches) {
  std::optional<double> max, min;
  if (!scenario.contains("expect")) return std::nullopt;
  for (const auto& check : scenario["expect"]) {
    if (!check.is_object() || !matches(check.value("metric", std::string()))) continue;
    if (check.contains("max") && check["max"].is_number()) {
      const double v = check["max"].get<double>();
      max = max ? std::min(*max, v) : v;
    }
    if (check.contains("min") && check["min"].is_number()) {
      const double v = check["min"].get<double>();
      min = min ? std::max(*min, v) : v;
    }
  }
  return max ? max : min;
}

/// The target line and the y axis a blocking chart gets from the user's view: a log
/// axis spanning the measured figures and the target (bars become markers: a bar has no
/// foot on a log axis; an analytic curve is cut to the axis), or a linear one from 0 with
/// ticks on round values. Blocking is a fraction: neither axis goes above 1.
/// `expected_span`: the x range an expect bound applies to (nullopt: all of it).
void apply_view(ChartSpec& spec, const BlockingView& view, std::optional<double> expected,
                std::optional<std::pair<double, double>> expected_span = std::nullopt) {
  std::optional<double> target = expected;
  bool from_expect = true;
  if (view.target) {
    target = *view.target > 0 && std::isfinite(*view.target) ? view.target : std::nullopt;
    from_expect = false;
  }
  if (target) {
    spec.target = target;
    spec.target_label = QStringLiteral("target %1%2")
                            .arg(QString::number(*target, 'g', 4),
                                 from_expect ? QStringLiteral(" (expect)") : QString());
    if (from_expect) spec.target_span = expected_span;
  }
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (const SeriesSpec& s : spec.series) {
    if (s.reference) continue;
    for (const ChartPoint& p : s.points) {
      if (!(p.y > 0)) continue;
      const double bottom = p.y - p.ci95.value_or(0);
      low = std::min(low, bottom > 0 ? bottom : p.y);
      high = std::max(high, p.y + p.ci95.value_or(0));
    }
  }
  if (target) {
    low = std::min(low, *target);
    high = std::max(high, *target);
  }
  if (view.log_scale && high > 0) {
    auto [lo, hi] = log_range(low, std::min(high, 1.0));
    hi = std::min(hi, 1.0);
    if (hi <= lo) lo = hi / 10;
    spec.y.log = true;
    // A hair below the power of ten, so that the axis labels its lowest decade too.
    spec.y.min = lo * 0.999;
    spec.y.max = hi;
    spec.y.title += QStringLiteral(", log scale");
    bool dropped = false;
    for (SeriesSpec& s : spec.series) {
      if (s.kind == SeriesKind::bars) s.kind = SeriesKind::scatter;
      const qsizetype before = s.points.size();
      const double floor = spec.y.min, ceiling = spec.y.max;
      s.points.removeIf([&](const ChartPoint& p) {
        return !(p.y > 0) || (s.reference && (p.y < floor || p.y > ceiling));
      });
      if (!s.reference && s.points.size() < before) dropped = true;
    }
    spec.series.removeIf([](const SeriesSpec& s) { return s.points.isEmpty(); });
    if (dropped) spec.title += QStringLiteral(" (figures of 0 are not on a log scale)");
    return;
  }
  if (view.log_scale) {
    spec.title += QStringLiteral(" (no figure above 0: the linear scale is kept)");
  }
  spec.y.min = 0;
  spec.y.max = std::min(nice_ceiling(std::max(top_of(spec.series), target.value_or(0))), 1.0);
  spec.y.tick_interval = nice_step(spec.y.max - spec.y.min, 5);
}

/// A varied key as a legend says it: "AB circuits" for trunk_groups.AB.circuits, "a-b
/// rate" for traffic.a-b.arrivals.poisson.rate; the key itself otherwise.
std::string short_key(const std::string& key) {
  for (const char* section : {"trunk_groups.", "traffic.", "subscribers.", "policies."}) {
    const std::string prefix = section;
    if (key.rfind(prefix, 0) != 0) continue;
    const auto name_end = key.find('.', prefix.size());
    if (name_end == std::string::npos) return key;
    return key.substr(prefix.size(), name_end - prefix.size()) + " " +
           key.substr(key.rfind('.') + 1);
  }
  return key;
}

/// The relation whose Poisson arrivals a sweep axis varies (traffic.R.arrivals.poisson.rate
/// or .erlangs), and whether the key is the rate; empty for other keys.
std::pair<std::string, bool> poisson_axis(const std::string& key) {
  const std::string prefix = "traffic.";
  for (const std::string suffix : {".arrivals.poisson.rate", ".arrivals.poisson.erlangs"}) {
    if (key.rfind(prefix, 0) == 0 && key.size() > prefix.size() + suffix.size() &&
        key.ends_with(suffix)) {
      return {key.substr(prefix.size(), key.size() - prefix.size() - suffix.size()),
              suffix.ends_with("rate")};
    }
  }
  return {};
}

// The unit of a varied scenario value, from its key (SPEC §2), for the axis title.
QString key_unit(const std::string& key) {
  if (key.ends_with(".circuits") || key.ends_with(".reserve")) return QStringLiteral(" (circuits)");
  if (key.ends_with(".count")) return QStringLiteral(" (addresses)");
  if (key.ends_with(".rate")) return QStringLiteral(" (calls/s)");
  const bool time = key.ends_with(".mean") || key.ends_with(".value") ||
                    key.ends_with(".timeout") || key.ends_with(".expiry") || key == "duration" ||
                    key == "warmup";
  return time ? QStringLiteral(" (s)") : QString();
}

}  // namespace

ChartSpec blocking_chart(const Run& run, const BlockingChoice& choice) {
  ChartSpec spec;
  spec.title = q(run.name) + QStringLiteral(": blocking per trunk group and relation");
  SeriesSpec groups{QStringLiteral("trunk groups: ") + metric_words("g.g." + choice.group_metric),
                    SeriesKind::bars};
  SeriesSpec relations{
      QStringLiteral("relations: ") + metric_words("r.r." + choice.relation_metric),
      SeriesKind::bars};
  groups.whiskers = relations.whiskers = true;
  SeriesSpec model{QString(), SeriesKind::scatter};
  model.reference = true;
  const std::optional<LossModel> loss = match_loss_model(run.scenario);

  for (const std::string& g : run.trunk_groups) {
    const double x = static_cast<double>(spec.categories.size());
    spec.categories << q(g);
    if (auto e = run.metric("trunk_groups." + g + "." + choice.group_metric)) {
      groups.points << point_of(x, *e);
    }
    if (loss && loss->trunk_group == g) {
      if (auto value = loss->predict(choice.group_metric)) {
        model.name = q(loss->name());
        model.points << ChartPoint{
            x, *value, std::nullopt, 0,
            q(loss->name()) + QStringLiteral(": ") + QString::number(*value, 'g', 4)};
      }
    }
  }
  for (const std::string& r : run.relations) {
    const double x = static_cast<double>(spec.categories.size());
    spec.categories << q(r);
    if (auto e = run.metric("traffic." + r + "." + choice.relation_metric)) {
      relations.points << point_of(x, *e);
    }
  }
  if (!groups.points.isEmpty()) spec.series << groups;
  if (!relations.points.isEmpty()) spec.series << relations;
  if (!model.points.isEmpty()) spec.series << model;
  if (spec.series.isEmpty())
    spec.empty_reason = QStringLiteral("no trunk group or relation figures");
  spec.x.title = QStringLiteral("trunk group / traffic relation");
  spec.y.title = QStringLiteral("blocking (fraction)");
  const std::string suffix = "." + choice.group_metric;
  // An expect bound is on the groups' metric: its line spans the groups, not the relations.
  const double group_count = static_cast<double>(run.trunk_groups.size());
  apply_view(spec, choice.view,
             expect_bound(run.scenario,
                          [&](const std::string& metric) {
                            return group_metric(metric).second == choice.group_metric &&
                                   metric.ends_with(suffix);
                          }),
             std::make_pair(-0.5, group_count - 0.5));
  return spec;
}

QStringList sweep_metric_paths(const Sweep& sweep) {
  QStringList first, rest;
  if (sweep.points.empty()) return {};
  for (const auto& [path, estimate] : sweep.points.front().run.metrics) {
    (group_metric(path).second == "call_blocking" ? first : rest) << q(path);
  }
  return first + rest;
}

ChartSpec sweep_chart(const Sweep& sweep, const std::string& metric_path,
                      const BlockingView& view) {
  ChartSpec spec;
  if (sweep.axes.empty() || sweep.points.empty()) {
    spec.empty_reason = QStringLiteral("the sweep has no points");
    return spec;
  }
  const SweepAxis& axis = sweep.axes.front();
  spec.title = q(sweep.points.front().run.name) + QStringLiteral(": ") + metric_words(metric_path) +
               QStringLiteral(" against ") + q(axis.key);
  spec.x.title = q(axis.key) + key_unit(axis.key);
  spec.y.title = axis_title(metric_path);
  // Planners think in Erlangs: a relation's Poisson rate is shown as its offered traffic,
  // rate x mean holding time of that point's scenario.
  const auto [poisson_relation, axis_is_rate] = poisson_axis(axis.key);
  if (!poisson_relation.empty()) {
    spec.x.title = QStringLiteral("offered traffic of %1 (Erlang)").arg(q(poisson_relation));
  }
  auto erlangs_per_unit = [&](const SweepPoint& p) -> std::optional<double> {
    if (!axis_is_rate) return 1.0;
    return relation_mean_holding(p.run.scenario, poisson_relation);
  };

  // x of each point: its number, or its category index when any value is not a number.
  bool numeric = true;
  for (const std::string& v : axis.values) numeric = numeric && as_number(v).has_value();
  bool in_erlangs = !poisson_relation.empty() && numeric;
  for (const SweepPoint& p : sweep.points) in_erlangs = in_erlangs && erlangs_per_unit(p);
  if (!in_erlangs) spec.x.title = q(axis.key) + key_unit(axis.key);
  // The plotted x of a point, and the factor from the axis value to it.
  auto factor_of = [&](const SweepPoint& p) { return in_erlangs ? *erlangs_per_unit(p) : 1.0; };
  auto x_of = [&](const SweepPoint& p) {
    if (numeric) return *as_number(p.values.front()) * factor_of(p);
    const auto it = std::find(axis.values.begin(), axis.values.end(), p.values.front());
    return static_cast<double>(it - axis.values.begin());
  };
  if (!numeric) {
    for (const std::string& v : axis.values) spec.categories << q(v);
  }

  // One series per combination of the other axes' values, in point order.
  std::vector<std::string> groups;
  std::map<std::string, std::vector<const SweepPoint*>> members;
  for (const SweepPoint& p : sweep.points) {
    std::string label;
    for (std::size_t a = 1; a < sweep.axes.size(); ++a) {
      if (!label.empty()) label += ", ";
      label += short_key(sweep.axes[a].key) + " = " + p.values[a];
    }
    if (!members.count(label)) groups.push_back(label);
    members[label].push_back(&p);
  }

  const auto [group, group_metric_name] = group_metric(metric_path);
  double x_min = 0, x_max = 0;
  bool first_x = true;
  for (const std::string& label : groups) {
    SeriesSpec measured{metric_words(metric_path), SeriesKind::line};
    if (!label.empty()) measured.name += QStringLiteral(" (") + q(label) + QStringLiteral(")");
    measured.whiskers = true;
    SeriesSpec curve{QString(), SeriesKind::line};
    curve.reference = true;
    curve.dashed = true;
    std::optional<LossModel> model;
    bool model_follows_axis = true;
    std::optional<double> series_factor;  // axis value -> x, when one for the whole series
    for (const SweepPoint* p : members[label]) {
      const double x = x_of(*p);
      x_min = first_x ? x : std::min(x_min, x);
      x_max = first_x ? x : std::max(x_max, x);
      first_x = false;
      if (!series_factor) series_factor = factor_of(*p);
      if (*series_factor != factor_of(*p)) model_follows_axis = false;
      if (auto e = p->run.metric(metric_path); e && e->mean) {
        ChartPoint point = point_of(x, *e);
        point.label = measured.name + QStringLiteral(" at ") + QString::number(x, 'g', 6) +
                      QStringLiteral(": ") + q(format_estimate(*e)) +
                      QStringLiteral(" (n = %1)").arg(e->n);
        // The other axes' whole keys (the legend names them short).
        for (std::size_t a = 1; a < sweep.axes.size(); ++a) {
          point.label +=
              QStringLiteral("\n") + q(sweep.axes[a].key) + QStringLiteral(" = ") + q(p->values[a]);
        }
        measured.points << point;
      }
      const std::optional<LossModel> m = match_loss_model(p->run.scenario);
      if (!m || m->trunk_group != group || !m->predict(group_metric_name)) continue;
      if (!model) model = m;
      if (numeric && !m->with_value(axis.key, x / factor_of(*p))) model_follows_axis = false;
      curve.name = q(m->name());
      curve.points << ChartPoint{x, *m->predict(group_metric_name), std::nullopt, 0, {}};
    }
    // Where the axis is a model parameter, draw the model between the points too: at every
    // whole number for circuits and sources, at 100 steps otherwise.
    if (model && model_follows_axis && numeric && curve.points.size() > 1) {
      const bool whole = axis.key.ends_with(".circuits") || axis.key.ends_with(".count");
      const double lo = curve.points.front().x, hi = curve.points.back().x;
      QList<ChartPoint> dense;
      const int steps = whole ? static_cast<int>(std::llround(std::abs(hi - lo))) : 100;
      for (int k = 0; k <= steps && steps > 0; ++k) {
        const double x = lo + (hi - lo) * k / steps;
        dense << ChartPoint{
            x,
            *model->with_value(axis.key, x / *series_factor)->predict(group_metric_name),
            std::nullopt,
            0,
            {}};
      }
      curve.points = dense;
    }
    for (ChartPoint& p : curve.points) {
      p.label = curve.name + QStringLiteral(" at ") + QString::number(p.x, 'g', 6) +
                QStringLiteral(": ") + QString::number(p.y, 'g', 4);
    }
    if (!label.empty() && !curve.name.isEmpty()) {
      curve.name += QStringLiteral(" (") + q(label) + QStringLiteral(")");
    }
    if (!measured.points.isEmpty()) spec.series << measured;
    if (curve.points.size() > 0) spec.series << curve;
  }
  if (spec.series.isEmpty()) {
    spec.empty_reason = q(metric_path) + QStringLiteral(" has no data at any point");
  }
  if (numeric) {
    // Whole-number axes (circuits, sources) get one tick per value when that is readable.
    const bool whole = axis.key.ends_with(".circuits") || axis.key.ends_with(".count");
    const double pad = whole ? 1 : (x_max > x_min ? (x_max - x_min) * 0.05 : 1);
    spec.x.min = x_min - pad;
    spec.x.max = x_max + pad;
    const double span = spec.x.max - spec.x.min;
    if (whole && span <= 20) {
      spec.x.ticks = static_cast<int>(span) + 1;
    } else {
      spec.x.tick_interval = nice_step(span, 6);
      if (whole) spec.x.tick_interval = std::max(1.0, std::round(spec.x.tick_interval));
    }
    spec.x.whole_numbers = whole;
  }
  apply_view(spec, view,
             expect_bound(sweep.points.front().run.scenario,
                          [&](const std::string& metric) { return metric == metric_path; }));
  return spec;
}

}  // namespace telsim::view
