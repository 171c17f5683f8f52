// Each chart's content, drawn from the bundled results files: series, point values,
// whiskers, labels, axis ranges, legend toggles and tooltips. Expected values come from
// the JSON files themselves (or from the analysis library's formulas), not from the code
// under test.
#include <cmath>
#include <fstream>

#include <QSet>

#include <QTest>
#include <QToolTip>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>
#include <QtCharts/QXYSeries>
#include <memory>
#include <nlohmann/json.hpp>

#include "charts/chart_builder.hpp"
#include "charts/chart_interaction.hpp"
#include "data/results_reader.hpp"
#include "mapping/document_charts.hpp"
#include "telsim/analysis/erlang.hpp"

using namespace telsim::view;
using json = nlohmann::ordered_json;

namespace {

const std::string data = TELSIM_GUI_TEST_DATA;

json load(const std::string& name) {
  std::ifstream in(data + "/" + name);
  return json::parse(in);
}

// A chart in a shown (offscreen) view, as the window has it: legend markers are laid out.
struct Drawn {
  std::unique_ptr<QChartView> view;
  QChart* get() const { return view->chart(); }
  QChart* operator->() const { return view->chart(); }
};

Drawn draw(const std::string& name, ChartKind kind, const QString& subject = {}, int point = 0) {
  const Document doc = read_document(data + "/" + name);
  Drawn drawn{std::make_unique<QChartView>(
      build_chart(chart_for(doc, kind, ChartPick{subject, point, {}})))};
  drawn.view->resize(1000, 700);
  drawn.view->show();
  return drawn;
}

QXYSeries* xy(QChart* chart, const QString& name) {
  for (QAbstractSeries* s : chart->series()) {
    if (s->name() == name) return qobject_cast<QXYSeries*>(s);
  }
  return nullptr;
}

QList<QXYSeries*> all_xy(QChart* chart, const QString& name) {
  QList<QXYSeries*> found;
  for (QAbstractSeries* s : chart->series()) {
    if (s->name() == name) found << qobject_cast<QXYSeries*>(s);
  }
  return found;
}

QValueAxis* value_axis(QChart* chart, Qt::Alignment side) {
  const QList<QAbstractAxis*> axes =
      chart->axes(side == Qt::AlignBottom ? Qt::Horizontal : Qt::Vertical);
  for (QAbstractAxis* a : axes) {
    if (a->alignment() == side) return qobject_cast<QValueAxis*>(a);
  }
  return nullptr;
}

QStringList legend_labels(QChart* chart) {
  QStringList labels;
  for (QLegendMarker* m : chart->legend()->markers()) {
    if (m->isVisible()) labels << m->label();
  }
  return labels;
}

double mean_of(const json& statistic) {
  return statistic["mean"].get<double>();
}
double ci_of(const json& statistic) {
  return statistic["ci95"].get<double>();
}

// The low and high ends of an I-shaped whisker series.
std::pair<double, double> whisker_span(QXYSeries* whisker) {
  double lo = whisker->points().front().y(), hi = lo;
  for (const QPointF& p : whisker->points()) {
    lo = std::min(lo, p.y());
    hi = std::max(hi, p.y());
  }
  return {lo, hi};
}

}  // namespace

class ChartsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void blocking_bars_per_group_and_relation_with_whiskers() {
    const json raw = load("erlang-b.results.json");
    const json& ab = raw["trunk_groups"]["AB"]["call_blocking"];
    const json& rel = raw["traffic"]["callers-to-callees"]["first_attempt_failure"]["congestion"];
    auto chart = draw("erlang-b.results.json", ChartKind::blocking);
    QVERIFY(chart->title().startsWith("erlang-b: blocking"));

    auto* categories = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
    QVERIFY(categories);
    QCOMPARE(categories->categories(), (QStringList{"AB", "callers-to-callees"}));
    QCOMPARE(categories->titleText(), QString("trunk group / traffic relation"));

    QStackedBarSeries* bars = nullptr;
    for (QAbstractSeries* s : chart->series()) {
      if (auto* b = qobject_cast<QStackedBarSeries*>(s)) bars = b;
    }
    QVERIFY(bars);
    QCOMPARE(bars->count(), 2);
    QBarSet* groups = bars->barSets()[0];
    QBarSet* relations = bars->barSets()[1];
    QCOMPARE(groups->label(), QString("trunk groups: call blocking"));
    QCOMPARE(relations->label(), QString("relations: first attempt failure congestion"));
    QCOMPARE(groups->at(0), mean_of(ab));
    QCOMPARE(groups->at(1), 0.0);
    QCOMPARE(relations->at(1), mean_of(rel));

    // The whisker spans mean ± ci95 at the category's centre.
    QXYSeries* whisker = xy(chart.get(), "trunk groups: call blocking 95% CI");
    QVERIFY(whisker);
    const auto [lo, hi] = whisker_span(whisker);
    QCOMPARE(lo, mean_of(ab) - ci_of(ab));
    QCOMPARE(hi, mean_of(ab) + ci_of(ab));
    QCOMPARE(whisker->points()[3].x(), 0.0);

    // Erlang B on the group, from the analysis library's formula.
    QXYSeries* erlang = xy(chart.get(), "Erlang B");
    QVERIFY(erlang);
    QCOMPARE(erlang->points(), (QList<QPointF>{{0, telsim::analysis::erlang_b(20, 15)}}));

    QValueAxis* y = value_axis(chart.get(), Qt::AlignLeft);
    QCOMPARE(y->titleText(), QString("blocking (fraction)"));
    QCOMPARE(y->min(), 0.0);
    // The scenario's expect check (max 0.0516) is the target line, inside the axis.
    QCOMPARE(y->max(), nice_ceiling(std::max(mean_of(ab) + ci_of(ab), 0.0516)));
    QVERIFY(y->max() >= mean_of(ab) + ci_of(ab));
    QXYSeries* target = xy(chart.get(), "target 0.0516 (expect)");
    QVERIFY(target);
    QCOMPARE(target->count(), 2);
    QCOMPARE(target->at(0).y(), 0.0516);

    // Whiskers have no legend entry of their own.
    QCOMPARE(legend_labels(chart.get()), (QStringList{"trunk groups: call blocking",
                                                      "relations: first attempt failure congestion",
                                                      "Erlang B", "target 0.0516 (expect)"}));
    // The tooltip: value ± CI with the replications.
    QCOMPARE(tips(groups)[0], QString("trunk groups: call blocking at AB: %1 ± %2 (n = 4)")
                                  .arg(mean_of(ab), 0, 'g', 4)
                                  .arg(ci_of(ab), 0, 'g', 4));
  }

  void legend_click_toggles_a_series_and_its_whiskers() {
    auto chart = draw("erlang-b.results.json", ChartKind::blocking);
    QBarSet* groups = nullptr;
    for (QAbstractSeries* s : chart->series()) {
      if (auto* b = qobject_cast<QStackedBarSeries*>(s)) groups = b->barSets()[0];
    }
    QXYSeries* whisker = xy(chart.get(), "trunk groups: call blocking 95% CI");
    QVERIFY(toggle_series(chart.get(), "trunk groups: call blocking"));
    QVERIFY(!is_shown(groups));
    QCOMPARE(groups->color().alpha(), 0);
    QVERIFY(!whisker->isVisible());
    QVERIFY(toggle_series(chart.get(), "trunk groups: call blocking"));
    QVERIFY(is_shown(groups));
    QVERIFY(whisker->isVisible());
    QVERIFY(toggle_series(chart.get(), "Erlang B"));
    QVERIFY(!xy(chart.get(), "Erlang B")->isVisible());
    QVERIFY(!toggle_series(chart.get(), "no such series"));
  }

  void time_congestion_is_a_pick() {
    const json raw = load("erlang-b.results.json");
    auto chart = draw("erlang-b.results.json", ChartKind::blocking, "time_congestion");
    auto* bars = qobject_cast<QStackedBarSeries*>(chart->series().front());
    QVERIFY(bars);
    QCOMPARE(bars->barSets()[0]->label(), QString("trunk groups: time congestion"));
    QCOMPARE(bars->barSets()[0]->at(0), mean_of(raw["trunk_groups"]["AB"]["time_congestion"]));
  }

  void sweep_blocking_against_circuits_with_erlang_b() {
    auto chart = draw("sweep-erlang-b", ChartKind::blocking);
    QCOMPARE(chart->title(), QString("erlang-b: call blocking against trunk_groups.AB.circuits"));
    QXYSeries* measured = xy(chart.get(), "call blocking");
    QVERIFY(measured);
    QCOMPARE(measured->count(), 5);
    const QList<QXYSeries*> whiskers = all_xy(chart.get(), "call blocking 95% CI");
    QCOMPARE(whiskers.size(), 5);
    for (int k = 0; k < 5; ++k) {
      const json point = load("sweep-erlang-b/points/000" + std::to_string(k) + ".json");
      const json& s = point["trunk_groups"]["AB"]["call_blocking"];
      QCOMPARE(measured->at(k), QPointF(16 + 2 * k, mean_of(s)));
      const auto [lo, hi] = whisker_span(whiskers[k]);
      QCOMPARE(lo, mean_of(s) - ci_of(s));
      QCOMPARE(hi, mean_of(s) + ci_of(s));
    }
    // Erlang B at every whole number of circuits from 16 to 24, offered 15 Erlang.
    QXYSeries* curve = xy(chart.get(), "Erlang B");
    QVERIFY(curve);
    QCOMPARE(curve->count(), 9);
    for (int c = 16; c <= 24; ++c) {
      QCOMPARE(curve->at(c - 16), QPointF(c, telsim::analysis::erlang_b(c, 15)));
    }
    QCOMPARE(curve->pen().style(), Qt::DashLine);
    QValueAxis* x = value_axis(chart.get(), Qt::AlignBottom);
    QCOMPARE(x->titleText(), QString("trunk_groups.AB.circuits (circuits)"));
    QCOMPARE(x->labelFormat(), QString("%.0f"));
    QCOMPARE(x->min(), 15.0);
    QCOMPARE(x->max(), 25.0);
    QCOMPARE(x->tickCount(), 11);
    QCOMPARE(value_axis(chart.get(), Qt::AlignLeft)->titleText(),
             QString("call blocking (fraction)"));
  }

  void sweep_of_finite_sources_gets_the_engset_curve() {
    // engset.yaml: 30 one-line sources, beta = 0.0025/s x 100 s = 0.25 per idle source.
    auto chart = draw("sweep-engset", ChartKind::blocking);
    QXYSeries* measured = xy(chart.get(), "call blocking");
    QCOMPARE(measured->count(), 4);
    QCOMPARE(measured->at(0).x(), 6.0);
    QVERIFY(!xy(chart.get(), "Erlang B"));
    QXYSeries* curve = xy(chart.get(), "Engset");
    QVERIFY(curve);
    QCOMPARE(curve->count(), 7);
    for (int c = 6; c <= 12; ++c) {
      // Call blocking is what a calling source sees: Engset's call congestion.
      QCOMPARE(curve->at(c - 6), QPointF(c, telsim::analysis::engset(c, 30, 0.25).call_congestion));
    }
    auto time = draw("sweep-engset", ChartKind::blocking, "trunk_groups.AB.time_congestion");
    QCOMPARE(xy(time.get(), "Engset")->at(0).y(),
             telsim::analysis::engset(6, 30, 0.25).time_congestion);
  }

  void hovering_a_point_shows_its_value_and_ci() {
    const json point = load("sweep-erlang-b/points/0002.json");
    const json& s = point["trunk_groups"]["AB"]["call_blocking"];
    auto chart = draw("sweep-erlang-b", ChartKind::blocking);
    QXYSeries* measured = xy(chart.get(), "call blocking");
    Q_EMIT measured->hovered(measured->at(2) + QPointF(0.01, 0), true);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), QString("call blocking at 20: %1 ± %2 (n = 3)")
                                   .arg(mean_of(s), 0, 'g', 4)
                                   .arg(ci_of(s), 0, 'g', 4));
    Q_EMIT measured->hovered(measured->at(2), false);
    QTRY_VERIFY(!QToolTip::isVisible());
  }

  void sweep_of_a_metric_without_a_model_has_no_curve() {
    auto chart = draw("sweep-erlang-b", ChartKind::blocking, "trunk_groups.AB.carried_erlangs");
    QVERIFY(xy(chart.get(), "carried erlangs"));
    QVERIFY(!xy(chart.get(), "Erlang B"));
    QCOMPARE(value_axis(chart.get(), Qt::AlignLeft)->titleText(),
             QString("carried erlangs (Erlang)"));
  }

  void latency_histogram_cdf_and_percentiles() {
    const json raw = load("policies-metro.results.json");
    const json& rel = raw["traffic"]["a-to-cc"];
    const json& h = rel["completion_latency_histogram"];
    auto chart = draw("policies-metro.results.json", ChartKind::latency, "traffic.a-to-cc");
    QCOMPARE(chart->title(), QString("policies-metro: completion latency of relation a-to-cc"));

    QXYSeries* histogram = xy(chart.get(), "histogram");
    QXYSeries* cdf = xy(chart.get(), "CDF");
    QXYSeries* percentiles = xy(chart.get(), "percentiles (mean over replications)");
    QVERIFY(histogram && cdf && percentiles);
    const std::size_t bins = h["counts"].size();
    QCOMPARE(static_cast<std::size_t>(histogram->count()), 2 * bins + 2);
    double total = 0;
    for (std::size_t k = 0; k < bins; ++k) {
      const double count = h["counts"][k].get<double>();
      total += count;
      // Bin k is the plateau from edge k to edge k+1 at its count.
      QCOMPARE(histogram->at(static_cast<int>(2 * k + 1)),
               QPointF(h["edges"][k].get<double>(), count));
      QCOMPARE(histogram->at(static_cast<int>(2 * k + 2)),
               QPointF(h["edges"][k + 1].get<double>(), count));
    }
    QCOMPARE(cdf->count(), static_cast<int>(bins + 1));
    QCOMPARE(cdf->at(0).y(), 0.0);
    QCOMPARE(cdf->at(cdf->count() - 1).y(), 1.0);
    QCOMPARE(cdf->at(1).y(), h["counts"][0].get<double>() / total);

    // Percentiles: p50..p99 means at heights 0.5..0.99, on the right (fraction) axis.
    QCOMPARE(percentiles->count(), 4);
    QCOMPARE(percentiles->at(0), QPointF(mean_of(rel["completion_latency"]["p50"]), 0.5));
    QCOMPARE(percentiles->at(3), QPointF(mean_of(rel["completion_latency"]["p99"]), 0.99));
    QVERIFY(tips(percentiles)[2].startsWith("p95: "));
    QCOMPARE(cdf->attachedAxes().size(), 2);
    QCOMPARE(cdf->attachedAxes()[1]->alignment(), Qt::AlignRight);

    QValueAxis* x = value_axis(chart.get(), Qt::AlignBottom);
    QCOMPARE(x->titleText(), QString("completion latency (s)"));
    QCOMPARE(x->min(), h["edges"].front().get<double>());
    QVERIFY(x->max() >= h["edges"].back().get<double>());
    QValueAxis* right = value_axis(chart.get(), Qt::AlignRight);
    QCOMPARE(right->min(), 0.0);
    QCOMPARE(right->max(), 1.0);
  }

  void latency_of_a_policy_and_of_nothing() {
    auto policy = draw("policies-metro.results.json", ChartKind::latency, "policies.wait");
    QVERIFY(policy->title().endsWith("completion latency of policy wait"));
    QVERIFY(xy(policy.get(), "CDF"));
    // erlang-b's relation has no policy: no call is ever completed later.
    auto none = draw("erlang-b.results.json", ChartKind::latency);
    QVERIFY(none->title().contains("no completed calls"));
    QCOMPARE(none->series().size(), 0);
  }

  void busy_circuits_over_time_per_group() {
    const json raw = load("policies-metro.results.json");
    auto chart = draw("policies-metro.results.json", ChartKind::occupancy);
    QCOMPARE(legend_labels(chart.get()), (QStringList{"AB", "AT", "TB", "AT, TB: 12 circuits"}));
    // A group's own capacity line has no legend entry (its tooltip names it): twelve
    // groups fit a legend.
    QVERIFY(xy(chart.get(), "AB: 150 circuits"));
    const json& series = raw["timeseries"]["trunk_groups"]["AT"]["busy_circuits"];
    QXYSeries* at = xy(chart.get(), "AT");
    QCOMPARE(static_cast<std::size_t>(at->count()), series["t"].size());
    for (int k : {0, 57, at->count() - 1}) {
      QCOMPARE(at->at(k), QPointF(series["t"][k].get<double>(), series["mean"][k].get<double>()));
    }
    QXYSeries* capacity = xy(chart.get(), "AB: 150 circuits");
    QCOMPARE(capacity->at(0).y(), 150.0);
    QCOMPARE(capacity->pen().style(), Qt::DashLine);
    QValueAxis* x = value_axis(chart.get(), Qt::AlignBottom);
    QCOMPARE(x->min(), raw["warmup"].get<double>());
    QCOMPARE(x->max(), raw["warmup"].get<double>() + raw["duration"].get<double>());
    // One group's capacity line in its colour; groups of one size share a line of its own
    // colour rather than two lines drawn over each other.
    QCOMPARE(capacity->color(), xy(chart.get(), "AB")->color());
    QXYSeries* shared = xy(chart.get(), "AT, TB: 12 circuits");
    QVERIFY(shared);
    QVERIFY(shared->color() != at->color());
    QVERIFY(shared->color() != xy(chart.get(), "TB")->color());
    QCOMPARE(x->titleText(), QString("time since the start of the replication (s)"));
    QCOMPARE(value_axis(chart.get(), Qt::AlignLeft)->max(), 200.0);  // 150 circuits, nice ceiling
  }

  void one_trunk_group_picked() {
    auto chart = draw("policies-metro.results.json", ChartKind::occupancy, "AT");
    QCOMPARE(legend_labels(chart.get()), (QStringList{"AT"}));
    QCOMPARE(value_axis(chart.get(), Qt::AlignLeft)->max(), nice_ceiling(12));
  }

  void policies_of_a_results_file_compared() {
    const json raw = load("policies-metro.results.json");
    auto chart = draw("policies-metro.results.json", ChartKind::compare);
    auto* categories = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
    QStringList expected;
    for (auto it = raw["policies"].begin(); it != raw["policies"].end(); ++it) {
      expected << QString::fromStdString(it.key() + " (" + it.value()["type"].get<std::string>() +
                                         ")");
    }
    QCOMPARE(categories->categories(), expected);
    QXYSeries* ratio = xy(chart.get(), "completion ratio");
    QCOMPARE(ratio->count(), expected.size());
    const json& first = raw["policies"].begin().value();
    QCOMPARE(ratio->at(0), QPointF(-0.24, mean_of(first["completion_ratio"])));
    QXYSeries* p95 = xy(chart.get(), "latency p95");
    QCOMPARE(p95->attachedAxes()[1]->alignment(), Qt::AlignRight);
    QCOMPARE(value_axis(chart.get(), Qt::AlignRight)->titleText(),
             QString("completion latency (s)"));
    QCOMPARE(value_axis(chart.get(), Qt::AlignLeft)->max(), 1.0);
  }

  void alternatives_of_a_compare_json_compared() {
    const json raw = load("policy-comparison.compare.json");
    auto chart = draw("policy-comparison.compare.json", ChartKind::compare);
    QCOMPARE(chart->title(),
             QString("policy-comparison: traffic.homes-to-cc.completion compared (homes-to-cc)"));
    auto* categories = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Horizontal).front());
    QCOMPARE(categories->categories(), (QStringList{"none", "camp", "cb"}));
    QXYSeries* ratio = xy(chart.get(), "completion ratio");
    for (int i = 0; i < 3; ++i) {
      const json& s = raw["alternatives"][i]["traffic"]["homes-to-cc"]["completion_ratio"];
      QCOMPARE(ratio->at(i), QPointF(i - 0.24, mean_of(s)));
    }
    // Blocked at the first attempt: congestion + busy, added replication by replication.
    QXYSeries* blocked = xy(chart.get(), "blocked at first attempt (congestion + busy)");
    const json& failure = raw["alternatives"][2]["traffic"]["homes-to-cc"]["first_attempt_failure"];
    double sum = 0;
    const std::size_t n = failure["busy"]["values"].size();
    for (std::size_t r = 0; r < n; ++r) {
      sum += failure["busy"]["values"][r].get<double>() +
             failure["congestion"]["values"][r].get<double>();
    }
    QCOMPARE(blocked->at(2).x(), 2 - 0.08);
    QVERIFY(std::abs(blocked->at(2).y() - sum / static_cast<double>(n)) < 1e-12);
    // "none" completes no call later: no latency marker there.
    QXYSeries* mean = xy(chart.get(), "latency mean");
    QCOMPARE(mean->count(), 2);
    QCOMPARE(mean->at(0).x(), 1 + 0.08);
    QCOMPARE(all_xy(chart.get(), "latency mean 95% CI").size(), 2);
  }

  void pickers_offer_what_the_document_has() {
    const Document run = read_document(data + "/policies-metro.results.json");
    QCOMPARE(chart_subjects(run, ChartKind::latency).front(), QString("traffic.a-to-b"));
    QVERIFY(chart_subjects(run, ChartKind::latency).contains("policies.ccbs"));
    QCOMPARE(chart_subjects(run, ChartKind::occupancy),
             (QStringList{"all trunk groups", "AB", "AT", "TB"}));
    QVERIFY(chart_points(run).isEmpty());
    const Document sweep = read_document(data + "/sweep-erlang-b");
    QCOMPARE(chart_subjects(sweep, ChartKind::blocking).front(),
             QString("trunk_groups.AB.call_blocking"));
    QCOMPARE(chart_points(sweep).size(), 5);
    QCOMPARE(chart_points(sweep)[1], QString("trunk_groups.AB.circuits=18"));
    const Document compare = read_document(data + "/policy-comparison.compare.json");
    QCOMPARE(chart_subjects(compare, ChartKind::compare), QStringList{"homes-to-cc"});
    QCOMPARE(chart_points(compare)[2], QString("traffic.homes-to-cc.completion=cb"));
    // A sweep point's or an alternative's own charts.
    QVERIFY(chart_subjects(sweep, ChartKind::occupancy).isEmpty());  // one group: nothing to pick
    auto occupancy = draw("sweep-erlang-b", ChartKind::occupancy, {}, 4);
    QCOMPARE(xy(occupancy.get(), "AB: 24 circuits")->at(0).y(), 24.0);
    auto latency =
        draw("policy-comparison.compare.json", ChartKind::latency, "traffic.homes-to-cc", 1);
    QVERIFY(xy(latency.get(), "CDF"));
  }

  void no_two_series_of_a_chart_share_a_colour() {
    // Fourteen lines: the twelve palette colours, then two more hues, all different.
    ChartSpec spec;
    spec.x = {QStringLiteral("x"), 0, 1};
    spec.y = {QStringLiteral("y"), 0, 20};
    for (int k = 0; k < 14; ++k) {
      SeriesSpec s{QStringLiteral("series %1").arg(k), SeriesKind::line};
      s.points << ChartPoint{0, double(k), std::nullopt, 0, {}}
               << ChartPoint{1, double(k), std::nullopt, 0, {}};
      spec.series << s;
    }
    std::unique_ptr<QChart> chart(build_chart(spec));
    QSet<QRgb> colours;
    for (QAbstractSeries* s : chart->series())
      colours << qobject_cast<QXYSeries*>(s)->color().rgb();
    QCOMPARE(colours.size(), 14);
    // The comparison chart: the mean and the p95 latency are told apart by colour.
    auto compare = draw("policies-metro.results.json", ChartKind::compare);
    QSet<QRgb> measures;
    int figures = 0;
    for (QAbstractSeries* s : compare->series()) {
      if (s->name().endsWith(whisker_suffix)) continue;
      measures << qobject_cast<QXYSeries*>(s)->color().rgb();
      ++figures;
    }
    QVERIFY(figures >= 4);
    QCOMPARE(measures.size(), figures);
  }

  void blocking_on_a_log_scale_with_a_target_line() {
    const json raw = load("policies-metro.results.json");
    const Document doc = read_document(data + "/policies-metro.results.json");
    ChartPick pick;
    pick.view.log_scale = true;
    pick.view.target = 0.01;
    const ChartSpec spec = chart_for(doc, ChartKind::blocking, pick);
    std::unique_ptr<QChart> chart(build_chart(spec));
    QLogValueAxis* y = nullptr;
    for (QAbstractAxis* a : chart->axes(Qt::Vertical)) y = qobject_cast<QLogValueAxis*>(a);
    QVERIFY(y);
    // The axis spans powers of ten around every positive figure and the target.
    // (the minimum a hair below its power of ten, so that the decade is labelled)
    const double decade = std::pow(10.0, std::ceil(std::log10(y->min())));
    QVERIFY(y->min() <= decade && y->min() >= decade * 0.99);
    QCOMPARE(std::log10(y->max()), std::floor(std::log10(y->max())));
    QVERIFY(y->min() <= 0.01 && y->max() >= 0.01);
    // Bars have no foot on a log axis: the groups are markers there, figures of 0 left out.
    QXYSeries* groups = xy(chart.get(), "trunk groups: call blocking");
    QVERIFY(qobject_cast<QScatterSeries*>(groups));
    const double ab = raw["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>();
    for (const QPointF& p : groups->points()) {
      QVERIFY(p.y() > 0);
      QVERIFY(p.y() >= y->min() && p.y() <= y->max());
    }
    if (ab > 0) QCOMPARE(groups->at(0).y(), ab);
    // No whisker goes below the axis (a CI reaching 0 stops at its minimum).
    for (QXYSeries* w : all_xy(chart.get(), "trunk groups: call blocking 95% CI")) {
      for (const QPointF& p : w->points()) QVERIFY(p.y() >= y->min());
    }
    QXYSeries* target = xy(chart.get(), "target 0.01");
    QVERIFY(target);
    QCOMPARE(target->at(0).y(), 0.01);
    QCOMPARE(target->pen().style(), Qt::DashDotLine);
    // Target 0: no line, even where the scenario has an expect check.
    pick.view = BlockingView{false, 0.0};
    const ChartSpec none =
        chart_for(read_document(data + "/erlang-b.results.json"), ChartKind::blocking, pick);
    QVERIFY(!none.target);
  }

  void a_log_axis_follows_the_measured_figures_and_blocking_stays_below_1() {
    // erlang-b with 200 circuits: Erlang B is about 1e-100, far below anything measured.
    json raw = load("erlang-b.results.json");
    raw["scenario"]["trunk_groups"][0]["circuits"] = 200;
    json& ab = raw["trunk_groups"]["AB"]["call_blocking"];
    // The viewer summarises each statistic again from its per-replication values.
    ab["values"] = {0.001, 0.002, 0.003, 0.002};
    Document doc{data, run_from_json(raw, "test")};
    ChartPick pick;
    pick.view.log_scale = true;
    ChartSpec spec = chart_for(doc, ChartKind::blocking, pick);
    QVERIFY(spec.y.log);
    QVERIFY2(spec.y.min >= 0.9e-4 && spec.y.min <= 0.001,  // the measured CI's decade
             qPrintable(QString::number(spec.y.min)));
    QVERIFY(spec.y.max <= 1.0);
    for (const SeriesSpec& s : spec.series) {
      for (const ChartPoint& p : s.points) QVERIFY(p.y >= spec.y.min && p.y <= spec.y.max);
    }
    // Nothing above 0 measured: the linear scale stays, and the title says why.
    ab["values"] = {0.0, 0.0, 0.0, 0.0};
    raw["traffic"]["callers-to-callees"]["first_attempt_failure"]["congestion"]["values"] = {
        0.0, 0.0, 0.0, 0.0};
    raw["scenario"].erase("expect");
    Document zero{data, run_from_json(raw, "test")};
    spec = chart_for(zero, ChartKind::blocking, pick);
    QVERIFY(!spec.y.log);
    QVERIFY(spec.title.contains("no figure above 0"));
    // A fraction axis never goes above 1, however wide the CI.
    ab["values"] = {0.5, 0.9, 1.0, 0.95};
    Document wide{data, run_from_json(raw, "test")};
    QCOMPARE(chart_for(wide, ChartKind::blocking, ChartPick{}).y.max, 1.0);
  }

  void a_load_sweep_is_drawn_against_offered_erlangs_with_round_ticks() {
    const json point = load("sweep-erlang-b-load/points/0002.json");
    auto chart = draw("sweep-erlang-b-load", ChartKind::blocking);
    QValueAxis* x = value_axis(chart.get(), Qt::AlignBottom);
    QCOMPARE(x->titleText(), QString("offered traffic of callers-to-callees (Erlang)"));
    // Ticks at multiples of a round step, whatever the range's ends.
    QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(x->tickAnchor(), 0.0);
    QCOMPARE(x->tickInterval(), nice_step(x->max() - x->min(), 6));
    // One series per circuit count, named by the short key; x = rate x mean holding (120 s).
    QXYSeries* small = xy(chart.get(), "call blocking (AB circuits = 18)");
    QXYSeries* large = xy(chart.get(), "call blocking (AB circuits = 22)");
    QVERIFY(small && large);
    QCOMPARE(small->count(), 3);
    QCOMPARE(small->at(0).x(), 0.1 * 120);
    QCOMPARE(small->at(1).x(), 0.125 * 120);
    QCOMPARE(small->at(1).y(), point["trunk_groups"]["AB"]["call_blocking"]["mean"].get<double>());
    // The Erlang B curve follows the axis in Erlangs too.
    QXYSeries* curve = xy(chart.get(), "Erlang B (AB circuits = 18)");
    QVERIFY(curve);
    QVERIFY(curve->count() > 10);
    for (const QPointF& p : curve->points()) {
      QVERIFY(std::abs(p.y() - telsim::analysis::erlang_b(18, p.x())) < 1e-12);
    }
    // The whole key is in the tooltip.
    QVERIFY(tips(small)[0].contains("trunk_groups.AB.circuits = 18"));
  }

  void long_legend_names_are_cut_and_whole_in_the_tooltip() {
    ChartSpec spec;
    spec.x = {QStringLiteral("x"), 0, 1};
    spec.y = {QStringLiteral("y"), 0, 1};
    const QString whole = QStringLiteral(
        "call blocking (traffic.callers-to-callees.arrivals.poisson.rate=0.125, "
        "trunk_groups.AB.circuits=22)");
    SeriesSpec s{whole, SeriesKind::line};
    s.points << ChartPoint{0, 0.5, std::nullopt, 0, {}};
    spec.series << s;
    Drawn drawn{std::make_unique<QChartView>(build_chart(spec))};
    drawn.view->resize(1280, 800);
    drawn.view->show();
    const QStringList labels = legend_labels(drawn.get());
    QCOMPARE(labels.size(), 1);
    QVERIFY(labels[0].size() <= 48);
    QVERIFY(labels[0].startsWith("call blocking"));
    QVERIFY(labels[0].endsWith("circuits=22)"));
    QCOMPARE(drawn->series()[0]->property(full_name_key).toString(), whole);
    // The whole name still toggles it.
    QVERIFY(toggle_series(drawn.get(), whole));
    QVERIFY(!drawn->series()[0]->isVisible());
  }
};

QTEST_MAIN(ChartsTest)
#include "charts_test.moc"
