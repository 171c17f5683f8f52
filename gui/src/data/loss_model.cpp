#include "loss_model.hpp"

#include <cmath>
#include <stdexcept>

#include "telsim/analysis/erlang.hpp"

namespace telsim::view {
namespace {

using json = nlohmann::ordered_json;

std::optional<double> distribution_mean(const json& distribution) {
  if (!distribution.is_object() || distribution.size() != 1) return std::nullopt;
  const auto first = distribution.begin();
  const std::string& kind = first.key();
  const json& params = first.value();
  if (kind == "deterministic") return params.value("value", 0.0);
  if (kind == "exponential" || kind == "erlang" || kind == "lognormal") {
    return params.value("mean", 0.0);
  }
  if (kind == "uniform") return (params.value("min", 0.0) + params.value("max", 0.0)) / 2;
  const char* points = kind == "hyperexponential" ? "means" : "values";
  if (kind == "hyperexponential" || kind == "empirical") {
    double mean = 0;
    const json& p = params[points];
    const json& w = params["probs"];
    if (p.size() != w.size()) return std::nullopt;
    for (std::size_t k = 0; k < p.size(); ++k) mean += p[k].get<double>() * w[k].get<double>();
    return mean;
  }
  return std::nullopt;
}

const json* find_named(const json& list, const std::string& name) {
  for (const json& item : list) {
    if (item.value("name", "") == name) return &item;
  }
  return nullptr;
}

std::int64_t whole(double value, const char* what) {
  if (value < 0 || std::floor(value) != value) {
    throw std::invalid_argument(std::string("loss model: ") + what +
                                " must be a whole number, not " + std::to_string(value));
  }
  return static_cast<std::int64_t>(value);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<double> relation_mean_holding(const nlohmann::ordered_json& scenario,
                                            const std::string& relation) {
  if (!scenario.contains("traffic")) return std::nullopt;
  const json* item = find_named(scenario["traffic"], relation);
  if (item == nullptr || !item->contains("holding")) return std::nullopt;
  const json& holding = (*item)["holding"];
  if (holding.is_number()) return holding.get<double>();
  return distribution_mean(holding);
}

std::string LossModel::name() const {
  return kind == Kind::erlang_b ? "Erlang B" : "Engset";
}

std::optional<double> LossModel::predict(std::string_view metric) const {
  const std::int64_t c = whole(circuits, "circuits");
  if (kind == Kind::erlang_b) {
    if (metric == "call_blocking" || metric == "time_congestion") {
      return analysis::erlang_b(c, rate * mean_holding);
    }
    return std::nullopt;
  }
  const analysis::Engset e = analysis::engset(c, whole(sources, "sources"), rate * mean_holding);
  if (metric == "call_blocking") return e.call_congestion;
  if (metric == "time_congestion") return e.time_congestion;
  return std::nullopt;
}

std::optional<LossModel> LossModel::with_value(std::string_view key, double value) const {
  LossModel m = *this;
  const std::string group = "trunk_groups." + trunk_group + ".";
  const std::string rel = "traffic." + relation + ".";
  if (key == group + "circuits") {
    m.circuits = value;
  } else if (starts_with(key, rel + "arrivals.") && ends_with(key, ".rate")) {
    m.rate = value;
  } else if (kind == Kind::erlang_b && key == rel + "arrivals.poisson.erlangs" &&
             mean_holding > 0) {
    m.rate = value / mean_holding;
  } else if (starts_with(key, rel + "holding.") &&
             (ends_with(key, ".mean") || ends_with(key, ".value"))) {
    m.mean_holding = value;
  } else if (kind == Kind::engset && starts_with(key, "subscribers.") && ends_with(key, ".count")) {
    m.sources = value;
  } else {
    return std::nullopt;
  }
  return m;
}

std::optional<LossModel> match_loss_model(const json& scenario) {
  if (!scenario.is_object()) return std::nullopt;
  const json groups = scenario.value("trunk_groups", json::array());
  const json traffic = scenario.value("traffic", json::array());
  const json routes = scenario.value("routes", json::array());
  const json subscribers = scenario.value("subscribers", json::array());
  if (groups.size() != 1 || traffic.size() != 1 || routes.size() != 1) return std::nullopt;
  const json& group = groups[0];
  const json& relation = traffic[0];
  if (group.value("reserve", 0) != 0) return std::nullopt;
  if (relation.value("completion", std::string("none")) != "none") return std::nullopt;
  const json via = routes[0].value("via", json::array());
  if (via != json::array({json::array({group.value("name", "")})})) return std::nullopt;

  const json answer = relation.value("answer", json::object());
  if (answer.value("probability", 1.0) != 1.0) return std::nullopt;
  if (answer.contains("delay") && distribution_mean(answer["delay"]).value_or(1) != 0) {
    return std::nullopt;
  }
  const json arrivals = relation.value("arrivals", json::object());
  if (arrivals.contains("profile") && !arrivals["profile"].empty()) return std::nullopt;

  const json* from = find_named(subscribers, relation.value("from", ""));
  const json* to = find_named(subscribers, relation.value("to", ""));
  if (!from || !to || (*to)["lines"] != "unlimited") return std::nullopt;
  if ((*from)["exchange"] == (*to)["exchange"]) return std::nullopt;
  const std::optional<double> holding =
      distribution_mean(relation.value("holding", json::object()));
  if (!holding) return std::nullopt;

  LossModel m;
  m.trunk_group = group.value("name", "");
  m.relation = relation.value("name", "");
  m.circuits = group.value("circuits", 0.0);
  m.mean_holding = *holding;
  if (arrivals.contains("poisson") && (*from)["lines"] == "unlimited") {
    m.kind = LossModel::Kind::erlang_b;
    m.rate = arrivals["poisson"].value("rate", 0.0);
    return m;
  }
  if (arrivals.contains("per_idle_source") && (*from)["lines"] == 1) {
    m.kind = LossModel::Kind::engset;
    m.rate = arrivals["per_idle_source"].value("rate", 0.0);
    m.sources = (*from).value("count", 0.0);
    return m;
  }
  return std::nullopt;
}

}  // namespace telsim::view
