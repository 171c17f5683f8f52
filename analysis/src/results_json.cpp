// Assembles the SPEC §5 document from the flat metric table.

#include <array>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "json_number.hpp"
#include "telsim/analysis/results.hpp"

namespace telsim::analysis {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 3> sections{"trunk_groups", "traffic", "policies"};
constexpr std::string_view histogram_suffix = "_histogram";

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (parts.back().empty()) {
      throw std::invalid_argument("results: metric path '" + path + "' has an empty component");
    }
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

Json numbers_json(const std::vector<double>& numbers) {
  Json array = Json::array();
  for (double value : numbers) array.push_back(detail::json_number(value));
  return array;
}

Json histogram_json(const Histogram& histogram) {
  Json object = Json::object();
  object["edges"] = numbers_json(histogram.edges);
  object["counts"] = histogram.counts;
  return object;
}

// Builds the trunk_groups / traffic / policies trees, keeping first-seen key order and the
// placement rules documented on to_json.
class SectionBuilder {
 public:
  explicit SectionBuilder(const RunResults& results) : results_(results) {
    for (std::string_view name : sections) root_[std::string(name)] = Json::object();
  }

  void add_leaf(const std::string& path, Json value) {
    const std::vector<std::string> parts = split_path(path);
    if (parts.size() < 2 || !root_.contains(parts.front())) {
      throw std::invalid_argument("results: metric path '" + path +
                                  "' must start with trunk_groups., traffic. or policies.");
    }
    Json* node = &root_[parts.front()];
    std::string prefix = parts.front();
    for (std::size_t k = 1; k + 1 < parts.size(); ++k) {
      if (leaves_.contains(prefix + "." + parts[k])) conflict(path, prefix + "." + parts[k]);
      if (!node->contains(parts[k])) create(*node, prefix, parts[k], Json::object());
      node = &(*node)[parts[k]];  // looked up again: create() may have moved siblings
      prefix += "." + parts[k];
    }
    if (node->contains(parts.back())) conflict(path, path);
    create(*node, prefix, parts.back(), std::move(value));
    leaves_.insert(path);
  }

  void add_remaining() {
    for (const auto& [path, histogram] : results_.histograms) {
      if (!placed_histograms_.contains(path)) add_leaf(path, histogram_json(histogram));
    }
    for (const auto& [name, type] : results_.policy_types) {
      if (!root_["policies"].contains(name)) {
        create(root_["policies"], "policies", name, Json::object());
      }
    }
  }

  Json take(std::string_view section) { return std::move(root_[std::string(section)]); }

 private:
  [[noreturn]] static void conflict(const std::string& path, const std::string& existing) {
    throw std::invalid_argument("results: metric path '" + path + "' collides with '" + existing +
                                "' (a value cannot also hold other values)");
  }

  // Creates key `name` under `node` (at `prefix`) and whatever must come right after it.
  void create(Json& node, const std::string& prefix, const std::string& name, Json value) {
    const std::string path = prefix + "." + name;
    node[name] = std::move(value);
    if (prefix == "policies") {
      const auto type = results_.policy_types.find(name);
      if (type != results_.policy_types.end()) {
        node[name]["type"] = type->second;
        leaves_.insert(path + ".type");
      }
    }
    const std::string histogram_path = path + std::string(histogram_suffix);
    const auto histogram = results_.histograms.find(histogram_path);
    if (histogram != results_.histograms.end() && !placed_histograms_.contains(histogram_path) &&
        !node.contains(name + std::string(histogram_suffix))) {
      node[name + std::string(histogram_suffix)] = histogram_json(histogram->second);
      leaves_.insert(histogram_path);
      placed_histograms_.insert(histogram_path);
    }
  }

  const RunResults& results_;
  Json root_ = Json::object();
  std::set<std::string> leaves_;
  std::set<std::string> placed_histograms_;
};

}  // namespace

nlohmann::ordered_json to_json(const RunResults& results) {
  Json document = Json::object();
  document["telsim"] = 1;
  document["scenario"] = results.scenario;
  document["seed"] = results.seed;
  document["replications"] = results.replications;
  document["warmup"] =
      results.warmup_field.is_null() ? detail::json_number(results.warmup) : results.warmup_field;
  document["duration"] = detail::json_number(results.duration);

  Json run = Json::object();
  run["version"] = results.run.version;
  run["commit"] = results.run.commit;
  run["scenario_sha256"] = results.run.scenario_sha256;
  run["command_line"] = results.run.command_line;
  run["threads"] = results.run.threads;
  run["started_at"] = results.run.started_at;
  document["run"] = std::move(run);

  Json engine = Json::object();
  engine["events"] = results.engine.events;
  engine["wall_seconds"] = detail::json_number(results.engine.wall_seconds);
  engine["events_per_second"] = detail::json_number(results.engine.events_per_second);
  engine["peak_pending_events"] = results.engine.peak_pending_events;
  document["engine"] = std::move(engine);

  document["warmup_used"] = to_json(summarize(results.warmup_used));
  if (results.precision) {
    Json precision = Json::object();
    precision["metric"] = results.precision->metric;
    precision["met"] = results.precision->met;
    precision["replications"] = results.precision->replications;
    document["precision"] = std::move(precision);
  }

  Json groups = Json::object();
  for (const auto& [group, series_by_name] : results.timeseries) {
    Json group_json = Json::object();
    for (const auto& [name, series] : series_by_name) {
      Json series_json = Json::object();
      series_json["t"] = numbers_json(series.t);
      series_json["mean"] = numbers_json(series.mean);
      group_json[name] = std::move(series_json);
    }
    groups[group] = std::move(group_json);
  }
  Json timeseries = Json::object();
  timeseries["trunk_groups"] = std::move(groups);
  document["timeseries"] = std::move(timeseries);

  SectionBuilder builder(results);
  for (const std::string& path : results.metrics.paths()) {
    builder.add_leaf(path, to_json(results.metrics.statistic(path)));
  }
  builder.add_remaining();
  for (std::string_view section : sections) document[std::string(section)] = builder.take(section);
  return document;
}

}  // namespace telsim::analysis
