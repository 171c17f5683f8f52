#include "map_mapper.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "map_layout.hpp"

namespace telsim::view {
namespace {

using json = nlohmann::ordered_json;

constexpr double scale_low = 1e-4;
constexpr double scale_high = 1e-1;
// ColorBrewer's RdYlGn, reversed, with a darker yellow: every colour stands out on white.
// red() - green() grows from stop to stop, so it grows with blocking between them too.
constexpr std::array<std::pair<double, QRgb>, 5> scale_stops{{{0.0, 0xff1a9850},
                                                              {0.25, 0xff66bd63},
                                                              {0.5, 0xffe6b800},
                                                              {0.75, 0xfff46d43},
                                                              {1.0, 0xffd73027}}};
constexpr QRgb no_data_colour = 0xff9e9e9e;
constexpr std::array<double, 3> blocking_thresholds{0.001, 0.01, 0.1};
// Relations listed in an exchange's tooltip; the rest are counted.
constexpr std::size_t tooltip_relations = 10;

QString q(const std::string& text) {
  return QString::fromStdString(text);
}

QString percent_text(double fraction) {
  return q(format_number(100 * fraction)) + QStringLiteral("%");
}

// "1.044% ± 1.343%", "0% ± 0%", "no data".
QString percent_estimate(const Estimate* estimate) {
  if (!estimate || !estimate->mean) return QStringLiteral("no data");
  QString text = percent_text(*estimate->mean);
  if (estimate->ci95) text += QStringLiteral(" ± ") + percent_text(*estimate->ci95);
  return text;
}

QString plain_estimate(const Estimate* estimate) {
  if (!estimate || !estimate->mean) return QStringLiteral("no data");
  return q(format_estimate(*estimate));
}

// "0.1%", "1%", "10%" (and "0.01%").
QString threshold_text(double fraction) {
  return QString::number(100 * fraction, 'g', 3) + QStringLiteral("%");
}

// Metric lookups by path, once per map: a results file of a national network holds some
// 100 000 paths, and Run::metric is a linear search.
class MetricIndex {
 public:
  explicit MetricIndex(const Run& run) {
    index_.reserve(run.metrics.size());
    for (const auto& [path, estimate] : run.metrics) index_.emplace(path, &estimate);
  }
  const Estimate* find(const std::string& path) const {
    const auto found = index_.find(path);
    return found == index_.end() ? nullptr : found->second;
  }

 private:
  std::unordered_map<std::string_view, const Estimate*> index_;
};

std::string text_of(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

double number_of(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto found = object.find(key);
  return found != object.end() && found->is_number() ? found->get<double>() : 0;
}

const json& list_of(const json& scenario, const char* key) {
  static const json empty = json::array();
  if (!scenario.is_object()) return empty;
  const auto found = scenario.find(key);
  return found != scenario.end() && found->is_array() ? *found : empty;
}

struct Population {
  std::string name;
  double count = 0;
  double lines = 0;  // 0: unlimited or not said
};

struct Relation {
  std::string name, from, to;  // from and to are populations
  const Estimate* loss = nullptr;
};

QString relation_line(const Relation& r) {
  return QStringLiteral("  %1 (%2 → %3): %4")
      .arg(q(r.name), q(r.from), q(r.to), percent_estimate(r.loss));
}

bool worse(const Relation& a, const Relation& b) {
  const bool a_has = a.loss && a.loss->mean;
  const bool b_has = b.loss && b.loss->mean;
  if (a_has != b_has) return a_has;
  if (a_has && *a.loss->mean != *b.loss->mean) return *a.loss->mean > *b.loss->mean;
  return false;  // stable: file order
}

// "homes-b (3000 subscribers)", "callcentre (1 subscriber, 30 lines)".
QString population_text(const Population& p) {
  const bool one = p.count == 1;
  QString text = QStringLiteral("%1 (%2 %3")
                     .arg(q(p.name), q(format_number(p.count)),
                          one ? QStringLiteral("subscriber") : QStringLiteral("subscribers"));
  if (p.lines > 1)
    text += QStringLiteral(", %1 lines%2")
                .arg(q(format_number(p.lines)), one ? QString() : QStringLiteral(" each"));
  return text + QStringLiteral(")");
}

// The metrics a group's tooltip gives (each may be missing).
struct GroupMetrics {
  const Estimate* blocking = nullptr;
  const Estimate* carried = nullptr;
  const Estimate* peakedness = nullptr;
};

QString group_tooltip(const MapEdge& edge, const std::string& from, const std::string& to,
                      const GroupMetrics& m) {
  QStringList tip;
  tip << QStringLiteral("%1: %2 – %3, %4")
             .arg(edge.name, q(from), q(to),
                  edge.direct ? QStringLiteral("direct group") : QStringLiteral("tandem group"));
  QString size = QStringLiteral("%1 circuits").arg(q(format_number(edge.circuits)));
  if (edge.reserve > 0)
    size += QStringLiteral(", %1 reserved for first-choice traffic")
                .arg(q(format_number(edge.reserve)));
  tip << size;
  tip << QStringLiteral("call blocking: ") + percent_estimate(m.blocking);
  tip << QStringLiteral("carried: ") + plain_estimate(m.carried) +
             (m.carried && m.carried->mean ? QStringLiteral(" Erlang") : QString());
  if (m.peakedness && m.peakedness->mean)
    tip << QStringLiteral("peakedness: ") + plain_estimate(m.peakedness);
  return tip.join('\n');
}

// What a node's tooltip says besides the populations and relations.
struct ExchangeTotals {
  int groups = 0;
  double circuits = 0;
  int placed_beside = 0;  // for a tandem: the locals placed in its sector
};

QString tandem_tooltip(const MapNode& node, const ExchangeTotals& totals) {
  return QStringLiteral(
             "%1: tandem exchange\n%2 trunk groups, %3 circuits; %4 local exchanges "
             "placed beside it")
      .arg(node.name)
      .arg(totals.groups)
      .arg(q(format_number(totals.circuits)))
      .arg(totals.placed_beside);
}

// Sorts `relations` worst first.
QString local_tooltip(const MapNode& node, const std::vector<Population>& populations,
                      const ExchangeTotals& totals, std::vector<Relation>& relations) {
  QStringList tip;
  tip << QStringLiteral("%1: local exchange%2")
             .arg(node.name, node.home_tandem.isEmpty()
                                 ? QString()
                                 : QStringLiteral(", beside tandem ") + node.home_tandem);
  QStringList lives;
  for (const Population& p : populations) lives << population_text(p);
  tip << QStringLiteral("populations: ") + lives.join(QStringLiteral(", "));
  tip << QStringLiteral("%1 trunk groups, %2 circuits")
             .arg(totals.groups)
             .arg(q(format_number(totals.circuits)));
  if (relations.empty()) {
    tip << QStringLiteral("no traffic relation from or to its populations");
    return tip.join('\n');
  }
  std::stable_sort(relations.begin(), relations.end(), worse);
  tip << QStringLiteral("end-to-end loss (first attempt met congestion), worst first:");
  for (std::size_t k = 0; k < std::min(relations.size(), tooltip_relations); ++k)
    tip << relation_line(relations[k]);
  if (relations.size() > tooltip_relations)
    tip << QStringLiteral("  and %1 more relations").arg(relations.size() - tooltip_relations);
  return tip.join('\n');
}

// Each local exchange's home: the tandem it has most circuits to, the first in file order
// on a tie (std::map holds the tandems by index); -1 without any.
std::vector<int> home_tandems(const std::vector<std::map<int, double>>& tandem_circuits) {
  std::vector<int> home(tandem_circuits.size(), -1);
  for (std::size_t i = 0; i < home.size(); ++i) {
    double most = 0;
    for (const auto& [t, circuits] : tandem_circuits[i]) {
      if (home[i] < 0 || circuits > most) {
        home[i] = t;
        most = circuits;
      }
    }
  }
  return home;
}

MapLegend legend() {
  MapLegend legend;
  legend.title = QStringLiteral("call blocking");
  legend.low = scale_low;
  legend.high = scale_high;
  for (const auto& [at, rgb] : scale_stops) legend.stops.append({at, QColor::fromRgb(rgb)});
  for (double b : {1e-4, 1e-3, 1e-2, 1e-1}) legend.ticks.append({b, threshold_text(b)});
  legend.ticks.front().label = QStringLiteral("≤ ") + legend.ticks.front().label;
  legend.ticks.back().label = QStringLiteral("≥ ") + legend.ticks.back().label;
  legend.no_data = QColor::fromRgb(no_data_colour);
  legend.no_data_label = QStringLiteral("no data (dashed)");
  for (double c : {10.0, 100.0, 500.0}) legend.widths.append({c, map_edge_width(c)});
  legend.width_rule = QStringLiteral("line width: √circuits / 2 px");
  legend.tandem_label = QStringLiteral("tandem exchange");
  legend.local_label = QStringLiteral("local exchange");
  return legend;
}

bool passes(const MapEdge& edge, const MapOptions& options) {
  switch (options.filter) {
    case MapFilter::all_groups:
      return true;
    case MapFilter::tandem_groups:
      return !edge.direct;
    case MapFilter::blocking_at_least:
      return edge.blocking && *edge.blocking >= options.min_blocking;
  }
  return true;
}

}  // namespace

int MapSpec::node_index(const QString& name) const {
  for (qsizetype k = 0; k < nodes.size(); ++k) {
    if (nodes[k].name == name) return static_cast<int>(k);
  }
  return -1;
}

int MapSpec::shown_edges() const {
  return static_cast<int>(
      std::count_if(edges.begin(), edges.end(), [](const MapEdge& e) { return e.shown; }));
}

QStringList map_filter_names() {
  QStringList names{QStringLiteral("all groups"), QStringLiteral("tandem groups")};
  for (double b : blocking_thresholds) names << map_filter_name({MapFilter::blocking_at_least, b});
  return names;
}

std::optional<MapOptions> map_options(const QString& name) {
  if (name == QLatin1String("all groups")) return MapOptions{MapFilter::all_groups};
  if (name == QLatin1String("tandem groups")) return MapOptions{MapFilter::tandem_groups};
  for (double b : blocking_thresholds) {
    if (name == map_filter_name({MapFilter::blocking_at_least, b}))
      return MapOptions{MapFilter::blocking_at_least, b};
  }
  return std::nullopt;
}

QString map_filter_name(const MapOptions& options) {
  switch (options.filter) {
    case MapFilter::all_groups:
      return QStringLiteral("all groups");
    case MapFilter::tandem_groups:
      return QStringLiteral("tandem groups");
    case MapFilter::blocking_at_least:
      return QStringLiteral("groups with blocking >= ") + threshold_text(options.min_blocking);
  }
  return {};
}

MapOptions default_map_options(const Run& run) {
  const json& exchanges = list_of(run.scenario, "exchanges");
  std::vector<std::string> homes;
  for (const json& p : list_of(run.scenario, "subscribers"))
    homes.push_back(text_of(p, "exchange"));
  bool has_tandem = false;
  for (const json& e : exchanges) {
    has_tandem |= std::find(homes.begin(), homes.end(), text_of(e, "name")) == homes.end();
  }
  if (has_tandem && static_cast<int>(exchanges.size()) > map_busy_exchanges)
    return {MapFilter::tandem_groups};
  return {MapFilter::all_groups};
}

QColor map_blocking_colour(std::optional<double> blocking) {
  if (!blocking || std::isnan(*blocking)) return QColor::fromRgb(no_data_colour);
  double t = 0;
  if (*blocking > 0) {
    t = (std::log10(*blocking) - std::log10(scale_low)) /
        (std::log10(scale_high) - std::log10(scale_low));
  }
  t = std::clamp(t, 0.0, 1.0);
  for (std::size_t k = 1; k < scale_stops.size(); ++k) {
    const auto& [t0, c0] = scale_stops[k - 1];
    const auto& [t1, c1] = scale_stops[k];
    if (t > t1 && k + 1 < scale_stops.size()) continue;
    const double u = (t - t0) / (t1 - t0);
    const auto mix = [u](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * u)); };
    return QColor(mix(qRed(c0), qRed(c1)), mix(qGreen(c0), qGreen(c1)), mix(qBlue(c0), qBlue(c1)));
  }
  return QColor::fromRgb(scale_stops.back().second);
}

double map_edge_width(double circuits) {
  if (!(circuits > 0)) return 1;
  return std::clamp(std::sqrt(circuits) / 2, 1.0, 12.0);
}

MapSpec network_map(const Run& run, const MapOptions& options) {
  MapSpec spec;
  spec.options = options;
  spec.legend = legend();
  spec.title = q(run.name) + QStringLiteral(": network map, call blocking per trunk group");
  const json& scenario = run.scenario;
  const MetricIndex metrics(run);

  // Exchanges, and the populations living at each: none makes a tandem.
  std::vector<std::string> names;
  std::map<std::string, int> index;
  for (const json& e : list_of(scenario, "exchanges")) {
    const std::string name = text_of(e, "name");
    if (name.empty() || index.count(name)) continue;
    index[name] = static_cast<int>(names.size());
    names.push_back(name);
  }
  if (names.empty()) {
    spec.empty_reason = QStringLiteral("the results file's scenario has no exchanges");
    return spec;
  }
  const std::size_t n = names.size();
  std::vector<std::vector<Population>> populations(n);
  std::map<std::string, int> population_exchange;
  for (const json& p : list_of(scenario, "subscribers")) {
    const auto at = index.find(text_of(p, "exchange"));
    if (at == index.end()) continue;
    const auto lines = p.is_object() ? p.find("lines") : p.end();
    populations[static_cast<std::size_t>(at->second)].push_back(
        {text_of(p, "name"), number_of(p, "count"),
         lines != p.end() && lines->is_number() ? lines->get<double>() : 0});
    population_exchange[text_of(p, "name")] = at->second;
  }
  std::vector<bool> tandem(n);
  for (std::size_t i = 0; i < n; ++i) tandem[i] = populations[i].empty();

  // Trunk groups between known exchanges, and the circuits from each local to each tandem.
  std::vector<std::map<int, double>> tandem_circuits(n);
  for (const json& g : list_of(scenario, "trunk_groups")) {
    const auto between = g.is_object() ? g.find("between") : g.end();
    if (between == g.end() || !between->is_array() || between->size() != 2) continue;
    const auto a = index.find((*between)[0].is_string() ? (*between)[0].get<std::string>() : "");
    const auto b = index.find((*between)[1].is_string() ? (*between)[1].get<std::string>() : "");
    if (a == index.end() || b == index.end() || a->second == b->second) continue;
    MapEdge edge;
    const std::string name = text_of(g, "name");
    edge.name = q(name);
    edge.from = a->second;
    edge.to = b->second;
    edge.circuits = number_of(g, "circuits");
    edge.reserve = number_of(g, "reserve");
    const auto ia = static_cast<std::size_t>(edge.from), ib = static_cast<std::size_t>(edge.to);
    edge.direct = !tandem[ia] && !tandem[ib];
    if (tandem[ia] != tandem[ib]) {
      const std::size_t local = tandem[ia] ? ib : ia;
      tandem_circuits[local][tandem[ia] ? edge.from : edge.to] += edge.circuits;
    }
    const std::string prefix = "trunk_groups." + name + ".";
    const GroupMetrics m{metrics.find(prefix + "call_blocking"),
                         metrics.find(prefix + "carried_erlangs"),
                         metrics.find(prefix + "peakedness")};
    if (m.blocking && m.blocking->mean && std::isfinite(*m.blocking->mean))
      edge.blocking = m.blocking->mean;
    edge.width = map_edge_width(edge.circuits);
    edge.colour = map_blocking_colour(edge.blocking);
    edge.tooltip = group_tooltip(edge, names[ia], names[ib], m);
    spec.edges << edge;
  }
  const std::vector<int> home = home_tandems(tandem_circuits);

  // Relations from or to each exchange's populations, with their end-to-end loss.
  std::vector<std::vector<Relation>> relations(n);
  for (const json& r : list_of(scenario, "traffic")) {
    Relation relation{text_of(r, "name"), text_of(r, "from"), text_of(r, "to"), nullptr};
    relation.loss = metrics.find("traffic." + relation.name + ".first_attempt_failure.congestion");
    std::vector<int> ends;
    for (const std::string& p : {relation.from, relation.to}) {
      const auto at = population_exchange.find(p);
      if (at != population_exchange.end() &&
          std::find(ends.begin(), ends.end(), at->second) == ends.end())
        ends.push_back(at->second);
    }
    for (int e : ends) relations[static_cast<std::size_t>(e)].push_back(relation);
  }

  const std::vector<MapPlace> places = layout_exchanges(tandem, home);
  const bool busy = static_cast<int>(n) > map_busy_exchanges;
  std::vector<ExchangeTotals> totals(n);
  for (const MapEdge& e : spec.edges) {
    for (int end : {e.from, e.to}) {
      ++totals[static_cast<std::size_t>(end)].groups;
      totals[static_cast<std::size_t>(end)].circuits += e.circuits;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!tandem[i] && home[i] >= 0) ++totals[static_cast<std::size_t>(home[i])].placed_beside;
  }
  for (std::size_t i = 0; i < n; ++i) {
    MapNode node;
    node.name = q(names[i]);
    node.tandem = tandem[i];
    node.position = places[i].position;
    node.label_direction = places[i].label_direction;
    node.label_shown = tandem[i] || !busy;
    if (!tandem[i] && home[i] >= 0) node.home_tandem = q(names[static_cast<std::size_t>(home[i])]);
    node.tooltip = tandem[i] ? tandem_tooltip(node, totals[i])
                             : local_tooltip(node, populations[i], totals[i], relations[i]);
    spec.nodes << node;
  }

  int direct = 0;
  std::size_t shown = 0;
  for (MapEdge& e : spec.edges) {
    e.shown = passes(e, options);
    direct += e.direct ? 1 : 0;
    shown += e.shown ? 1 : 0;
  }
  // Few groups on show (a small network, or a filter such as blocking >= 1%): each is
  // labelled, and so are the local exchanges at their ends.
  const bool labelled = shown <= static_cast<std::size_t>(map_labelled_groups);
  for (MapEdge& e : spec.edges) {
    if (labelled && e.shown) {
      spec.nodes[e.from].label_shown = true;
      spec.nodes[e.to].label_shown = true;
    }
    if (labelled && e.shown) {
      e.label = QStringLiteral("%1 · %2 circuits · %3")
                    .arg(e.name, q(format_number(e.circuits)),
                         e.blocking ? percent_text(*e.blocking) : QStringLiteral("no data"));
    }
  }
  QString caption = QStringLiteral("showing %1 of %2 trunk groups (%3)")
                        .arg(spec.shown_edges())
                        .arg(spec.edges.size())
                        .arg(map_filter_name(options));
  if (options.filter == MapFilter::tandem_groups && direct > 0)
    caption += QStringLiteral("; %1 direct local-local groups hidden").arg(direct);
  if (busy) caption += QStringLiteral("; local exchange names on hover");
  spec.caption = caption;
  return spec;
}

}  // namespace telsim::view
