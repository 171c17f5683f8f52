// The scenario as resolved (SPEC §5 `scenario`): every key of SPEC §2 in its
// order, defaults filled in, names rather than indices, no file paths.
#include <algorithm>
#include <filesystem>
#include <sstream>

#include "telsim/scenarios/loader.hpp"

namespace telsim::scenarios {
namespace {

using json = nlohmann::ordered_json;
using models::ParamKind;

json distribution_json(const sim::Distribution& d) {
  using Kind = sim::Distribution::Kind;
  json params = json::object();
  switch (d.kind()) {
    case Kind::deterministic:
      params["value"] = d.param_a();
      break;
    case Kind::exponential:
      params["mean"] = d.param_a();
      break;
    case Kind::uniform:
      params["min"] = d.param_a();
      params["max"] = d.param_b();
      break;
    case Kind::erlang:
      params["k"] = d.phases();
      params["mean"] = d.param_a();
      break;
    case Kind::lognormal:
      params["mean"] = d.param_a();
      params["sd"] = d.param_b();
      break;
    case Kind::hyperexponential:
      params["means"] = d.points();
      params["probs"] = d.probabilities();
      break;
    case Kind::empirical:
      params["values"] = d.points();
      params["probs"] = d.probabilities();
      break;
  }
  json out = json::object();
  out[sim::Distribution::kind_name(d.kind())] = std::move(params);
  return out;
}

template <class T>
json count_json(const std::optional<T>& count) {
  return count ? json(*count) : json("unlimited");
}

json answer_json(const models::AnswerSpec& a) {
  json out = json::object();
  out["probability"] = a.probability;
  out["delay"] = distribution_json(a.delay);
  // No timeout means none: the key is left out rather than written as null,
  // so that the resolved scenario loads back as it is.
  if (a.timeout) out["timeout"] = *a.timeout;
  return out;
}

json expiry_json(const std::array<double, models::failure_cause_count>& expiry) {
  if (expiry[0] == expiry[1] && expiry[1] == expiry[2]) return expiry[0];
  json out = json::object();
  for (std::size_t c = 0; c < models::failure_cause_count; ++c) {
    out[models::to_string(static_cast<models::FailureCause>(c))] = expiry[c];
  }
  return out;
}

json param_json(const models::ParamValue& v) {
  switch (v.kind) {
    case ParamKind::number:
      return v.number;
    case ParamKind::count:
      return count_json(v.count);
    case ParamKind::distribution:
      return v.distribution ? distribution_json(*v.distribution) : json("unlimited");
    case ParamKind::answer:
      return answer_json(v.answer);
    case ParamKind::expiry:
      return expiry_json(v.expiry);
  }
  return nullptr;
}

json modes_json(const std::array<bool, models::completion_mode_count>& given) {
  json modes = json::array();
  for (std::size_t m = 0; m < models::completion_mode_count; ++m) {
    if (given[m]) modes.push_back(models::to_string(static_cast<models::CompletionMode>(m)));
  }
  return modes;
}

json exchange_json(const models::ExchangeSpec& ex) {
  json completion = json::object();
  completion["modes"] = modes_json(ex.completion.modes);
  completion["max_per_address"] = count_json(ex.completion.max_per_address);
  completion["messages"] = ex.completion.messages;
  completion["bridges"] = ex.completion.bridges;
  json item = json::object();
  item["name"] = ex.name;
  item["completion"] = std::move(completion);
  return item;
}

json population_json(const models::NetworkSpec& net, const models::PopulationSpec& pop) {
  json item = json::object();
  item["name"] = pop.name;
  item["exchange"] = net.exchanges[pop.exchange].name;
  item["count"] = pop.count;
  item["lines"] = count_json(pop.lines);
  // A population's own completion block only as given, key by key: its
  // effective values are the exchange's, shown there, and filling them in
  // here would hide which capabilities the scenario set per population.
  const auto& own = pop.completion;
  if (own.modes || own.has_max_per_address) {
    json completion = json::object();
    if (own.modes) completion["modes"] = modes_json(*own.modes);
    if (own.has_max_per_address) completion["max_per_address"] = count_json(own.max_per_address);
    item["completion"] = std::move(completion);
  }
  return item;
}

json arrivals_json(const models::ArrivalSpec& a) {
  json out = json::object();
  if (a.kind == models::ArrivalSpec::Kind::scripted) {
    // No profile with `at` (the loader refuses one), so none is written:
    // the resolved scenario loads back as it is.
    out["at"] = a.at;
    return out;
  }
  const char* kind = a.kind == models::ArrivalSpec::Kind::poisson ? "poisson" : "per_idle_source";
  out[kind] = json{{"rate", a.rate}};
  json profile = json::array();
  for (const auto& [t, m] : a.profile) profile.push_back(json::array({t, m}));
  out["profile"] = std::move(profile);
  return out;
}

json relation_json(const models::NetworkSpec& net, const models::RelationSpec& rel) {
  json item = json::object();
  item["name"] = rel.name;
  item["from"] = net.populations[rel.from].name;
  item["to"] = net.populations[rel.to].name;
  item["arrivals"] = arrivals_json(rel.arrivals);
  item["holding"] = distribution_json(rel.holding);
  item["bandwidth"] = rel.bandwidth;
  item["answer"] = answer_json(rel.answer);
  item["completion"] = rel.policy ? net.policies[*rel.policy].name : std::string("none");
  return item;
}

json policy_json(const models::NetworkSpec& net, const models::PolicySpec& p,
                 const models::PolicyRegistry& registry) {
  json item = json::object();
  item["type"] = p.type;
  if (!p.preset.empty()) item["preset"] = p.preset;
  // Parameters in the type's declaration order; any the registry does
  // not know (it should not happen) follow in name order.
  const auto* type = registry.find(p.type);
  std::vector<std::string> order;
  if (type != nullptr) {
    for (const auto& decl : type->params) order.push_back(decl.name);
  }
  for (const auto& [name, value] : p.params) {
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  }
  for (const auto& name : order) {
    if (const auto it = p.params.find(name); it != p.params.end()) {
      item[name] = param_json(it->second);
    }
  }
  json when = json::array();
  for (const auto c : p.when) when.push_back(models::to_string(c));
  item["when"] = std::move(when);
  item["fallback"] = p.fallback ? net.policies[*p.fallback].name : std::string("none");
  return item;
}

}  // namespace

void write_resolved_scenario(const Scenario& scenario, const models::PolicyRegistry& registry,
                             analysis::JsonWriter& out) {
  // Member by member, and the long lists element by element: a national
  // network's resolved scenario held as one tree took 50 MB.
  const auto& net = scenario.network;
  const auto member = [&out](std::string_view key, const json& value) {
    out.key(key);
    out.value(value);
  };
  const auto list = [&out](std::string_view key, const auto& items, const auto& item_json) {
    out.key(key);
    out.begin_array();
    for (const auto& item : items) out.value(item_json(item));
    out.end_array();
  };
  out.begin_object();
  member("telsim", scenario.version);
  member("name", scenario.name);
  member("seed", scenario.seed);
  member("replications", scenario.replications);
  member("warmup", scenario.warmup ? json(*scenario.warmup) : json("auto"));
  member("duration", scenario.duration);
  if (scenario.precision) {
    member("precision", json{{"metric", scenario.precision->metric},
                             {"relative", scenario.precision->relative},
                             {"max_replications", scenario.precision->max_replications}});
  }
  // `auto` stays `auto`: the resolved scenario must not depend on the machine.
  member("limits",
         json{{"max_events", scenario.limits.max_events},
              {"max_pending", scenario.limits.max_pending},
              {"max_memory", scenario.max_memory ? json(*scenario.max_memory) : json("auto")}});
  const sim::EventSetMode set = scenario.limits.event_set;
  member("engine", json{{"event_set", set == sim::EventSetMode::heap     ? "heap"
                                      : set == sim::EventSetMode::ladder ? "ladder"
                                                                         : "auto"}});
  list("exchanges", net.exchanges, exchange_json);
  list("subscribers", net.populations,
       [&net](const models::PopulationSpec& pop) { return population_json(net, pop); });
  list("trunk_groups", net.trunk_groups, [&net](const models::TrunkGroupSpec& tg) {
    return json{{"name", tg.name},
                {"between", json::array({net.exchanges[tg.between[0]].name,
                                         net.exchanges[tg.between[1]].name})},
                {"circuits", tg.circuits},
                {"reserve", tg.reserve}};
  });
  list("routes", net.routes, [&net](const models::RouteSpec& r) {
    json via = json::array();
    for (const auto& chain : r.via) {
      json names = json::array();
      for (const auto g : chain) names.push_back(net.trunk_groups[g].name);
      via.push_back(std::move(names));
    }
    return json{{"from", net.exchanges[r.from].name},
                {"to", net.exchanges[r.to].name},
                {"via", std::move(via)},
                {"strategy", models::to_string(r.strategy)}};
  });
  list("traffic", net.relations,
       [&net](const models::RelationSpec& rel) { return relation_json(net, rel); });
  out.key("policies");
  out.begin_object();
  for (const auto& p : net.policies) member(p.name, policy_json(net, p, registry));
  out.end_object();

  json plugins = json::array();
  for (const auto& p : scenario.plugins) {
    // Results never hold file paths: a plug-in is named by its file name.
    plugins.push_back(std::filesystem::path(p).filename().string());
  }
  member("plugins", plugins);

  json expect = json::array();
  for (const auto& check : scenario.expect) {
    json item = json::object();
    item["metric"] = check.metric;
    if (check.min) item["min"] = *check.min;
    if (check.max) item["max"] = *check.max;
    item["bound"] = std::string(analysis::to_string(check.bound));
    expect.push_back(std::move(item));
  }
  member("expect", expect);
  out.end_object();
}

nlohmann::ordered_json resolved_scenario_json(const Scenario& scenario,
                                              const models::PolicyRegistry& registry) {
  // The streamed text read back: one definition of the resolved scenario.
  std::ostringstream text;
  analysis::JsonWriter writer(text);
  write_resolved_scenario(scenario, registry, writer);
  return nlohmann::ordered_json::parse(text.str());
}

}  // namespace telsim::scenarios
