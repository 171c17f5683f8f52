// The network map: its spec (nodes, edges, layout, colours, widths, tooltips, filters)
// from the bundled metro results and from the bundled national network's topology, the
// drawn scene, and the window's "Network map" tab. Expected values come from the JSON
// files (or the scenario) themselves, not from the code under test.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <QComboBox>
#include <QGraphicsItem>
#include <QImageReader>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <nlohmann/json.hpp>

#include "app/main_window.hpp"
#include "app/map_page.hpp"
#include "charts/map_view.hpp"
#include "data/results_reader.hpp"
#include "mapping/document_charts.hpp"
#include "mapping/map_layout.hpp"
#include "mapping/map_mapper.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"

using namespace telsim::view;
using json = nlohmann::ordered_json;

namespace {

const std::string data = TELSIM_GUI_TEST_DATA;

json load(const std::string& name) {
  std::ifstream in(data + "/" + name);
  return json::parse(in);
}

const MapEdge& edge(const MapSpec& spec, const QString& name) {
  for (const MapEdge& e : spec.edges) {
    if (e.name == name) return e;
  }
  qFatal("no edge %s", qPrintable(name));
}

const MapNode& node(const MapSpec& spec, const QString& name) {
  const int k = spec.node_index(name);
  if (k < 0) qFatal("no node %s", qPrintable(name));
  return spec.nodes[k];
}

// How telsim-view prints a number (4 significant digits), for expected tooltip texts.
QString g4(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return QString::fromLatin1(text);
}

QString percent(const json& statistic) {
  return g4(100 * statistic["mean"].get<double>()) + "% ± " +
         g4(100 * statistic["ci95"].get<double>()) + "%";
}

double redness(const QColor& c) {
  return c.red() - c.green();
}

double distance(QPointF a, QPointF b) {
  return std::hypot(a.x() - b.x(), a.y() - b.y());
}

// The national network as telsim resolves it, without its (large) results: the map
// needs only the scenario object to lay out the exchanges and filter the groups.
Run national_topology() {
  const auto registry = telsim::models::builtin_policy_registry();
  const auto scenario = telsim::scenarios::load_scenario_file(
      std::string(TELSIM_GUI_TEST_SCENARIOS) + "/national-busy-hour.yaml", {}, registry);
  Run run;
  run.scenario = telsim::scenarios::resolved_scenario_json(scenario, registry);
  run.name = run.scenario["name"].get<std::string>();
  return run;
}

}  // namespace

class MapTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  Document metro_;
  json metro_json_;
  Run national_;

 private Q_SLOTS:
  void initTestCase() {
    metro_ = read_document(data + "/metro.results.json");
    metro_json_ = load("metro.results.json");
    national_ = national_topology();
  }

  void metro_nodes_and_edges_are_the_scenarios() {
    const MapSpec spec = map_for(metro_, {});
    QVERIFY(spec.empty_reason.isEmpty());
    QCOMPARE(spec.title, QString("metro: network map, call blocking per trunk group"));
    const json& scenario = metro_json_["scenario"];
    QCOMPARE(spec.nodes.size(), qsizetype(scenario["exchanges"].size()));
    QCOMPARE(spec.edges.size(), qsizetype(scenario["trunk_groups"].size()));
    for (const json& g : scenario["trunk_groups"]) {
      const MapEdge& e = edge(spec, QString::fromStdString(g["name"]));
      QCOMPARE(spec.nodes[e.from].name, QString::fromStdString(g["between"][0]));
      QCOMPARE(spec.nodes[e.to].name, QString::fromStdString(g["between"][1]));
      QCOMPARE(e.circuits, g["circuits"].get<double>());
      QCOMPARE(e.reserve, g["reserve"].get<double>());
      QVERIFY(e.shown);  // a small network shows every group by default
    }
    // T has no population: a tandem. AB joins two local exchanges: a direct group.
    QVERIFY(node(spec, "T").tandem);
    QVERIFY(!node(spec, "A").tandem && !node(spec, "B").tandem);
    QVERIFY(edge(spec, "AB").direct);
    QVERIFY(!edge(spec, "AT").direct && !edge(spec, "TB").direct);
    QCOMPARE(spec.shown_edges(), 3);
    QCOMPARE(spec.caption, QString("showing 3 of 3 trunk groups (all groups)"));
  }

  void metro_tandem_in_the_middle_locals_beside_it() {
    const MapSpec spec = map_for(metro_, {});
    const QPointF t = node(spec, "T").position, a = node(spec, "A").position,
                  b = node(spec, "B").position;
    QCOMPARE(t, QPointF(0, 0));
    QCOMPARE(distance(a, t), 1.0);
    QCOMPARE(distance(b, t), 1.0);
    QVERIFY(std::abs(distance(a, b) - 1.0) < 1e-9);  // two locals: an equilateral triangle
    QCOMPARE(node(spec, "A").home_tandem, QString("T"));
    QCOMPARE(node(spec, "B").home_tandem, QString("T"));
    QVERIFY(node(spec, "T").home_tandem.isEmpty());
    // A small map names every exchange and labels every group.
    for (const MapNode& n : spec.nodes) QVERIFY(n.label_shown);
    QCOMPARE(
        edge(spec, "AT").label,
        "AT · 14 circuits · " +
            g4(100 * metro_json_["trunk_groups"]["AT"]["call_blocking"]["mean"].get<double>()) +
            "%");
  }

  void layout_rings_tandems_inside_locals_outside() {
    // 3 tandems (indices 0, 4, 8) and 9 locals, three beside each; one local (12) with
    // no tandem gets a sector of its own.
    std::vector<bool> tandem(13, false);
    std::vector<int> home(13, -1);
    for (int t : {0, 4, 8}) {
      tandem[t] = true;
      for (int k = 1; k <= 3; ++k) home[t + k] = t;
    }
    const std::vector<MapPlace> places = layout_exchanges(tandem, home);
    QCOMPARE(places.size(), std::size_t(13));
    for (std::size_t i = 0; i < places.size(); ++i) {
      const double r = std::hypot(places[i].position.x(), places[i].position.y());
      if (tandem[i]) {
        QVERIFY(std::abs(r - 0.45) < 1e-9);
      } else {
        QVERIFY(r >= 0.7 - 1e-9 && r <= 1 + 1e-9);
      }
      if (home[i] < 0) continue;
      for (int t : {0, 4, 8}) {
        if (t == home[i]) continue;
        QVERIFY(distance(places[i].position, places[std::size_t(home[i])].position) <
                distance(places[i].position, places[std::size_t(t)].position));
      }
    }
    QCOMPARE(layout_exchanges(tandem, home)[5].position, places[5].position);  // same input
    // No tandem: a ring; two exchanges side by side.
    const auto pair = layout_exchanges({false, false}, {-1, -1});
    QCOMPARE(pair[0].position.y(), pair[1].position.y());
    QVERIFY(pair[0].position.x() < pair[1].position.x());
  }

  void colours_follow_blocking_on_a_log_scale() {
    const MapSpec spec = map_for(metro_, {});
    // Redder with more blocking: order the groups by the file's call blocking.
    std::map<double, QString> by_blocking;
    for (const auto& [group, metrics] : metro_json_["trunk_groups"].items())
      by_blocking[metrics["call_blocking"]["mean"].get<double>()] = QString::fromStdString(group);
    QCOMPARE(by_blocking.size(), std::size_t(3));
    // (Above 10% the scale is at its end: AT and TB are both full red.)
    double previous = -1e9, previous_blocking = 0;
    for (const auto& [blocking, group] : by_blocking) {
      const MapEdge& e = edge(spec, group);
      QCOMPARE(*e.blocking, blocking);
      QCOMPARE(e.colour, map_blocking_colour(blocking));
      if (previous_blocking < spec.legend.high) {
        QVERIFY2(redness(e.colour) > previous, qPrintable(group));
      } else {
        QCOMPARE(e.colour, spec.legend.stops.back().second);
      }
      previous = redness(e.colour);
      previous_blocking = blocking;
    }
    QVERIFY(redness(edge(spec, "AB").colour) < redness(edge(spec, "TB").colour));
    // The scale's ends and what lies beyond them; zero is as green as 0.01%.
    QCOMPARE(map_blocking_colour(1e-4), spec.legend.stops.front().second);
    QCOMPARE(map_blocking_colour(0.0), spec.legend.stops.front().second);
    QCOMPARE(map_blocking_colour(1e-6), spec.legend.stops.front().second);
    QCOMPARE(map_blocking_colour(0.1), spec.legend.stops.back().second);
    QCOMPARE(map_blocking_colour(0.6), spec.legend.stops.back().second);
    QVERIFY(spec.legend.stops.front().second.green() > spec.legend.stops.front().second.red());
    QVERIFY(spec.legend.stops.back().second.red() > spec.legend.stops.back().second.green());
    double last = -1e9;
    for (double b = 1e-5; b < 1; b *= 1.5) {
      QVERIFY(redness(map_blocking_colour(b)) >= last);
      last = redness(map_blocking_colour(b));
    }
    QStringList ticks;
    for (const MapTick& t : spec.legend.ticks) ticks << t.label;
    QCOMPARE(ticks, QStringList({"≤ 0.01%", "0.1%", "1%", "≥ 10%"}));
    // No data: grey, the legend's no-data colour, and said so in the tooltip.
    QCOMPARE(map_blocking_colour(std::nullopt), QColor(0x9e, 0x9e, 0x9e));
    QCOMPARE(map_blocking_colour(std::nan("")), spec.legend.no_data);
    Run without = std::get<Run>(metro_.content);
    std::erase_if(without.metrics,
                  [](const auto& m) { return m.first.starts_with("trunk_groups.AT."); });
    const MapSpec grey = network_map(without, {});
    QVERIFY(!edge(grey, "AT").blocking);
    QCOMPARE(edge(grey, "AT").colour, spec.legend.no_data);
    QVERIFY(edge(grey, "AT").tooltip.contains("call blocking: no data"));
    QVERIFY(edge(grey, "AT").label.endsWith("no data"));
    QCOMPARE(edge(grey, "TB").colour, edge(spec, "TB").colour);
  }

  void widths_grow_with_circuits() {
    const MapSpec spec = map_for(metro_, {});
    QCOMPARE(edge(spec, "AB").width, std::sqrt(265.0) / 2);
    QCOMPARE(edge(spec, "AT").width, std::sqrt(14.0) / 2);
    QVERIFY(edge(spec, "AB").width > edge(spec, "AT").width);
    QCOMPARE(map_edge_width(1), 1.0);  // at least a pixel
    QCOMPARE(map_edge_width(0), 1.0);
    QCOMPARE(map_edge_width(100), 5.0);
    QCOMPARE(map_edge_width(5000), 12.0);  // at most 12
    double last = 0;
    for (double c = 1; c < 1000; c += 7) {
      QVERIFY(map_edge_width(c) >= last);
      last = map_edge_width(c);
    }
    QCOMPARE(spec.legend.widths.size(), 3);
    for (const auto& [circuits, width] : spec.legend.widths)
      QCOMPARE(width, map_edge_width(circuits));
  }

  void tooltips_give_the_estimates() {
    const MapSpec spec = map_for(metro_, {});
    const json& groups = metro_json_["trunk_groups"];
    const auto estimate = [](const json& s) {
      return g4(s["mean"].get<double>()) + " ± " + g4(s["ci95"].get<double>());
    };
    QCOMPARE(
        edge(spec, "AT").tooltip,
        QStringList({"AT: A – T, tandem group", "14 circuits, 2 reserved for first-choice traffic",
                     "call blocking: " + percent(groups["AT"]["call_blocking"]),
                     "carried: " + estimate(groups["AT"]["carried_erlangs"]) + " Erlang",
                     "peakedness: " + estimate(groups["AT"]["peakedness"])})
            .join('\n'));
    QVERIFY(edge(spec, "AB").tooltip.startsWith("AB: A – B, direct group\n265 circuits\n"));

    // An exchange: its kind and the end-to-end loss of its populations' relations, worst
    // first (file order among equals).
    const json& traffic = metro_json_["traffic"];
    const auto loss = [&](const char* relation) {
      return percent(traffic[relation]["first_attempt_failure"]["congestion"]);
    };
    std::vector<std::pair<double, QString>> a_lines;
    for (const auto& [relation, from, to] :
         {std::tuple{"a-to-b", "homes-a", "homes-b"}, std::tuple{"b-to-a", "homes-b", "homes-a"},
          std::tuple{"a-to-cc", "homes-a", "callcentre"},
          std::tuple{"homes-a-to-homes-a", "homes-a", "homes-a"}}) {
      a_lines.emplace_back(traffic[relation]["first_attempt_failure"]["congestion"]["mean"],
                           QString("  %1 (%2 → %3): %4").arg(relation, from, to, loss(relation)));
    }
    std::stable_sort(a_lines.begin(), a_lines.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    QStringList a_tip{"A: local exchange, beside tandem T",
                      "populations: homes-a (4000 subscribers)", "2 trunk groups, 279 circuits",
                      "end-to-end loss (first attempt met congestion), worst first:"};
    for (const auto& [mean, text] : a_lines) a_tip << text;
    QCOMPARE(node(spec, "A").tooltip, a_tip.join('\n'));
    const QString b_tip = node(spec, "B").tooltip;
    QVERIFY(
        b_tip.startsWith("B: local exchange, beside tandem T\npopulations: homes-b (3000 "
                         "subscribers), callcentre (1 subscriber, 30 lines)\n"));
    QVERIFY(b_tip.contains("a-to-cc (homes-a → callcentre): " + loss("a-to-cc")));
    QVERIFY(!b_tip.contains("homes-a-to-homes-a"));
    QCOMPARE(node(spec, "T").tooltip,
             QString("T: tandem exchange\n2 trunk groups, 28 circuits; 2 local exchanges placed "
                     "beside it"));
  }

  void filters_hide_groups() {
    QCOMPARE(map_filter_names(),
             QStringList({"all groups", "tandem groups", "groups with blocking >= 0.1%",
                          "groups with blocking >= 1%", "groups with blocking >= 10%"}));
    for (const QString& name : map_filter_names())
      QCOMPARE(map_filter_name(*map_options(name)), name);
    QVERIFY(!map_options("some groups"));
    QCOMPARE(chart_subjects(metro_, ChartKind::map), map_filter_names());
    const Run& run = std::get<Run>(metro_.content);
    QCOMPARE(default_map_options(run).filter, MapFilter::all_groups);  // 3 exchanges

    const MapSpec tandem = map_for(metro_, {"tandem groups"});
    QVERIFY(!edge(tandem, "AB").shown);
    QVERIFY(edge(tandem, "AT").shown && edge(tandem, "TB").shown);
    QCOMPARE(tandem.caption,
             QString("showing 2 of 3 trunk groups (tandem groups); 1 direct local-local groups "
                     "hidden"));
    // Blocking at least 10%: the file's groups above it, and no others.
    const MapSpec worst = map_for(metro_, {"groups with blocking >= 10%"});
    for (const auto& [group, metrics] : metro_json_["trunk_groups"].items()) {
      QCOMPARE(edge(worst, QString::fromStdString(group)).shown,
               metrics["call_blocking"]["mean"].get<double>() >= 0.1);
    }
    QCOMPARE(worst.shown_edges(), 2);
  }

  void national_network_opens_clustered_without_direct_groups() {
    const MapOptions defaults = default_map_options(national_);
    QCOMPARE(defaults.filter, MapFilter::tandem_groups);
    const MapSpec spec = network_map(national_, defaults);
    const json& scenario = national_.scenario;
    QCOMPARE(spec.nodes.size(), qsizetype(210));
    QCOMPARE(spec.edges.size(), qsizetype(scenario["trunk_groups"].size()));
    std::set<QString> tandems;
    for (const MapNode& n : spec.nodes) {
      if (n.tandem) tandems.insert(n.name);
    }
    QCOMPARE(tandems.size(), std::size_t(10));
    // Direct local-local groups hidden; every group touching a tandem shown.
    int direct = 0;
    for (const MapEdge& e : spec.edges) {
      const bool touches_tandem = spec.nodes[e.from].tandem || spec.nodes[e.to].tandem;
      QCOMPARE(e.shown, touches_tandem);
      direct += touches_tandem ? 0 : 1;
      QVERIFY(!e.blocking);        // no results here: every group is "no data"
      QVERIFY(e.label.isEmpty());  // too many groups to label them all
    }
    QVERIFY(direct > 100);
    QCOMPARE(spec.shown_edges(), int(spec.edges.size()) - direct);
    QVERIFY(spec.caption.contains(QString("%1 direct local-local groups hidden").arg(direct)));
    QVERIFY(spec.caption.endsWith("local exchange names on hover"));
    // Tandems on the inner ring, named; locals outside, named on hover, each beside the
    // tandem it has most circuits to and nearer to it than to any other.
    std::map<QString, std::map<QString, double>> circuits_to;
    for (const json& g : scenario["trunk_groups"]) {
      const QString a = QString::fromStdString(g["between"][0]);
      const QString b = QString::fromStdString(g["between"][1]);
      if (tandems.count(a) != tandems.count(b)) {
        const QString local = tandems.count(a) ? b : a;
        circuits_to[local][tandems.count(a) ? a : b] += g["circuits"].get<double>();
      }
    }
    for (const MapNode& n : spec.nodes) {
      const double r = std::hypot(n.position.x(), n.position.y());
      if (n.tandem) {
        QVERIFY(n.label_shown);
        QVERIFY(r < 0.5);
        continue;
      }
      QVERIFY(!n.label_shown);
      QVERIFY(r >= 0.7 - 1e-9);
      const auto& mine = circuits_to[n.name];
      QVERIFY2(!mine.empty(), qPrintable(n.name));
      double most = 0;
      for (const auto& [t, c] : mine) most = std::max(most, c);
      QCOMPARE(mine.at(n.home_tandem), most);
      const QPointF home = node(spec, n.home_tandem).position;
      for (const QString& t : tandems) {
        if (t != n.home_tandem)
          QVERIFY2(distance(n.position, home) < distance(n.position, node(spec, t).position),
                   qPrintable(n.name + " nearer " + t + " than " + n.home_tandem));
      }
    }
    // "all groups" draws the direct groups too.
    QCOMPARE(network_map(national_, {MapFilter::all_groups}).shown_edges(), int(spec.edges.size()));
  }

  void sweeps_and_comparisons_map_the_picked_run() {
    const Document sweep = read_document(data + "/sweep-erlang-b");
    QCOMPARE(edge(map_for(sweep, {{}, 0}), "AB").circuits, 16.0);
    QCOMPARE(edge(map_for(sweep, {{}, 3}), "AB").circuits, 22.0);
    QVERIFY(map_for(sweep, {{}, 3}).caption.startsWith("trunk_groups.AB.circuits=22: showing"));
    const Document compare = read_document(data + "/policy-comparison.compare.json");
    const json file = load("policy-comparison.compare.json");
    for (int k = 0; k < 3; ++k) {
      const MapSpec spec = map_for(compare, {{}, k});
      const json& groups = file["alternatives"][k]["trunk_groups"];
      for (const auto& [group, metrics] : groups.items()) {
        const json& mean = metrics["call_blocking"]["mean"];
        if (mean.is_number())
          QCOMPARE(*edge(spec, QString::fromStdString(group)).blocking, mean.get<double>());
      }
    }
  }

  void the_view_draws_the_spec() {
    MapView view;
    view.resize(1280, 800);
    view.show();
    const MapSpec spec = network_map(national_, default_map_options(national_));
    view.show_map(spec);
    int edges = 0, nodes = 0, shown_labels = 0;
    for (QGraphicsItem* item : view.scene()->items()) {
      const QString kind = item->data(MapView::map_item_role).toString();
      edges += kind == "edge";
      nodes += kind == "node";
      shown_labels += kind == "label" && item->isVisible();
    }
    QCOMPARE(edges, spec.shown_edges());
    QCOMPARE(nodes, int(spec.nodes.size()));
    QCOMPARE(shown_labels, 0);  // 200 locals: names on hover
    for (const MapEdge& e : spec.edges) {
      QGraphicsItem* item = view.item("edge", e.name);
      QCOMPARE(item != nullptr, e.shown);
      if (item) QCOMPARE(item->toolTip(), e.tooltip);
    }
    QCOMPARE(view.item("node", "T03")->toolTip(), node(spec, "T03").tooltip);
    // Every node within the view.
    for (const MapNode& n : spec.nodes)
      QVERIFY(view.sceneRect().contains(view.item("node", n.name)->sceneBoundingRect()));

    // A local exchange's name shows while the pointer is over it.
    QGraphicsItem* e017 = view.item("node", "E017");
    QGraphicsItem* e017_label = view.item("label", "E017");
    QVERIFY(!e017_label->isVisible());
    const QPoint over = view.mapFromScene(e017->sceneBoundingRect().center());
    QTest::mouseMove(view.viewport(), over);
    QTRY_VERIFY(e017_label->isVisible());
    QTest::mouseMove(view.viewport(), over + QPoint(0, 40));
    QTRY_VERIFY(!e017_label->isVisible());

    const QPoint centre = view.viewport()->rect().center();
    QWheelEvent wheel(centre, view.viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &wheel);
    QVERIFY(view.is_zoomed());
    QTest::keyClick(&view, Qt::Key_Home);
    QVERIFY(!view.is_zoomed());
  }

  void the_window_has_a_map_tab() {
    QSettings settings(dir_.filePath("settings.ini"), QSettings::IniFormat);
    MainWindow window(settings);
    window.resize(1200, 750);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.open(QString::fromStdString(data + "/metro.results.json"), false));
    window.show_chart(ChartKind::map);
    MapPage* page = window.map_page();
    auto* tabs = window.findChild<QTabWidget*>();
    QCOMPARE(tabs->tabText(tabs->currentIndex()), QString("Network map"));
    QCOMPARE(page->filter_picker()->currentText(), QString("all groups"));
    QVERIFY(!page->point_picker()->isVisibleTo(page));
    QCOMPARE(page->view()->spec().shown_edges(), 3);
    page->filter_picker()->setCurrentText("tandem groups");
    QCOMPARE(page->spec().shown_edges(), 2);
    QVERIFY(!page->view()->item("edge", "AB"));
    // A reload keeps the filter; another file opens with its own default.
    QVERIFY(window.reload());
    QCOMPARE(page->filter_picker()->currentText(), QString("tandem groups"));
    QVERIFY(window.open(QString::fromStdString(data + "/sweep-erlang-b"), false));
    QCOMPARE(page->filter_picker()->currentText(), QString("all groups"));
    QCOMPARE(page->point_picker()->count(), 5);
    page->point_picker()->setCurrentIndex(2);
    QCOMPARE(edge(page->spec(), "AB").circuits, 20.0);

    const QString png = dir_.filePath("map.png");
    QCOMPARE(window.export_current(png), QString());
    QCOMPARE(QImageReader(png).size(), page->view()->size());
  }
};

QTEST_MAIN(MapTest)
#include "map_test.moc"
