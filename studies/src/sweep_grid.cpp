#include "telsim/studies/sweep_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "telsim/analysis/csv_field.hpp"

namespace telsim::studies {
namespace {

using analysis::csv_field;
using nlohmann::ordered_json;

std::optional<double> parse_number(std::string_view text) {
  // Strips surrounding blanks; from_chars does not take a leading '+'.
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// Splits on commas outside [] and {}; nullopt when the brackets do not balance.
std::optional<std::vector<std::string>> split_top_level(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  int depth = 0;
  for (const char c : text) {
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') {
      if (depth == 0) return std::nullopt;
      --depth;
    }
    if (c == ',' && depth == 0) {
      items.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (depth != 0) return std::nullopt;
  items.push_back(current);
  return items;
}

std::string number_text(const ordered_json& j) {
  return j.is_null() ? std::string() : j.dump();
}

}  // namespace

VaryAxis parse_vary(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    throw VaryError(fmt::format("'{}': expected KEY=V1,V2,... or KEY=START:STOP:POINTS", text));
  }
  VaryAxis axis;
  axis.key = std::string(text.substr(0, eq));
  const std::string_view rest = text.substr(eq + 1);
  if (axis.key.empty()) throw VaryError(fmt::format("'{}': the key is empty", text));
  if (rest.empty()) throw VaryError(fmt::format("'{}': the list of values is empty", text));

  // START:STOP:POINTS when there is no comma and exactly two colons.
  if (rest.find(',') == std::string_view::npos && std::count(rest.begin(), rest.end(), ':') == 2) {
    const auto c1 = rest.find(':');
    const auto c2 = rest.find(':', c1 + 1);
    const std::string_view start_text = rest.substr(0, c1);
    const std::string_view stop_text = rest.substr(c1 + 1, c2 - c1 - 1);
    const std::string_view points_text = rest.substr(c2 + 1);
    const auto start = parse_number(start_text);
    const auto stop = parse_number(stop_text);
    if (!start || !stop) {
      throw VaryError(
          fmt::format("'{}': START and STOP of START:STOP:POINTS must be numbers", text));
    }
    long long points = 0;
    const auto [end, ec] =
        std::from_chars(points_text.data(), points_text.data() + points_text.size(), points);
    if (ec != std::errc{} || end != points_text.data() + points_text.size() || points < 2 ||
        points > 1000000) {
      throw VaryError(
          fmt::format("'{}': POINTS of START:STOP:POINTS must be a whole number from 2 (got '{}')",
                      text, points_text));
    }
    for (long long i = 0; i < points; ++i) {
      const double value = i == points - 1 ? *stop
                                           : *start + (*stop - *start) * static_cast<double>(i) /
                                                          static_cast<double>(points - 1);
      axis.values.push_back(format_grid_number(value));
    }
    return axis;
  }

  std::optional<std::vector<std::string>> items = split_top_level(rest);
  if (!items) throw VaryError(fmt::format("'{}': unbalanced brackets", text));
  for (std::string& item : *items) {
    if (item.empty()) {
      throw VaryError(fmt::format("'{}': an empty value in the list", text));
    }
    axis.values.push_back(std::move(item));
  }
  return axis;
}

std::string format_grid_number(double value) {
  if (value == 0) return "0";  // also -0
  if (std::floor(value) == value && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<long long>(value));
  }
  return fmt::format("{}", value);
}

std::vector<std::vector<std::string>> expand_grid(const std::vector<VaryAxis>& axes) {
  if (axes.empty()) throw VaryError("at least one --vary is needed");
  std::set<std::string> keys;
  std::size_t total = 1;
  for (const VaryAxis& axis : axes) {
    if (!keys.insert(axis.key).second) {
      throw VaryError(
          fmt::format("'{}' is varied twice; give all its values in one --vary", axis.key));
    }
    if (axis.values.empty()) throw VaryError(fmt::format("'{}' has no values", axis.key));
    total *= axis.values.size();
  }
  std::vector<std::vector<std::string>> grid;
  grid.reserve(total);
  for (std::size_t i = 0; i < total; ++i) {
    std::vector<std::string> point(axes.size());
    std::size_t rest = i;
    for (std::size_t a = axes.size(); a-- > 0;) {  // the last axis varies fastest
      point[a] = axes[a].values[rest % axes[a].values.size()];
      rest /= axes[a].values.size();
    }
    grid.push_back(std::move(point));
  }
  return grid;
}

std::string point_file_name(std::size_t point) {
  return fmt::format("{:04}.json", point);
}

std::vector<std::string> point_overrides(const std::vector<VaryAxis>& axes,
                                         const std::vector<std::string>& values) {
  std::vector<std::string> overrides;
  for (std::size_t a = 0; a < axes.size() && a < values.size(); ++a) {
    overrides.push_back(fmt::format("{}={}", axes[a].key, values[a]));
  }
  return overrides;
}

std::vector<StatisticEntry> statistics_of(const analysis::RunResults& results) {
  std::vector<StatisticEntry> out;
  const analysis::MetricPaths& paths = results.metrics.paths();
  for (auto path = paths.begin(); path != paths.end(); ++path) {
    const ordered_json s = analysis::to_json(results.metrics.statistic_at(path.index()));
    out.push_back({*path, s["mean"], s["ci95"], s["n"]});
  }
  return out;
}

SweepSummary summarise(const std::vector<VaryAxis>& axes,
                       const std::vector<analysis::RunResults>& points) {
  SweepSummary summary;
  summary.axes = axes;
  summary.points = expand_grid(axes);
  std::set<std::string> seen;
  for (const analysis::RunResults& point : points) {
    summary.statistics.push_back(statistics_of(point));
    for (const StatisticEntry& e : summary.statistics.back()) {
      if (seen.insert(e.path).second) summary.metrics.push_back(e.path);
    }
  }
  return summary;
}

std::string summary_csv(const SweepSummary& summary) {
  std::string csv = "point";
  for (const VaryAxis& axis : summary.axes) csv += fmt::format(",{}", csv_field(axis.key));
  for (const std::string& m : summary.metrics) {
    csv += fmt::format(",{},{}", csv_field(fmt::format("{}.mean", m)),
                       csv_field(fmt::format("{}.ci95", m)));
  }
  csv += "\r\n";
  for (std::size_t p = 0; p < summary.statistics.size(); ++p) {
    csv += std::to_string(p);
    for (const std::string& v : summary.points[p]) csv += fmt::format(",{}", csv_field(v));
    std::map<std::string, const StatisticEntry*> by_path;
    for (const StatisticEntry& e : summary.statistics[p]) by_path.emplace(e.path, &e);
    for (const std::string& m : summary.metrics) {
      const auto it = by_path.find(m);
      if (it == by_path.end()) {
        csv += ",,";
      } else {
        csv += fmt::format(",{},{}", number_text(it->second->mean), number_text(it->second->ci95));
      }
    }
    csv += "\r\n";
  }
  return csv;
}

ordered_json grid_value_json(const std::string& text) {
  const ordered_json parsed = ordered_json::parse(text, nullptr, false);
  if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean())) return parsed;
  return text;
}

std::string summary_json(const SweepSummary& summary) {
  ordered_json doc;
  doc["telsim"] = 1;
  doc["vary"] = ordered_json::array();
  for (const VaryAxis& axis : summary.axes) {
    ordered_json values = ordered_json::array();
    for (const std::string& v : axis.values) values.push_back(grid_value_json(v));
    doc["vary"].push_back({{"key", axis.key}, {"values", values}});
  }
  doc["metrics"] = summary.metrics;
  doc["points"] = ordered_json::array();
  for (std::size_t p = 0; p < summary.statistics.size(); ++p) {
    ordered_json row;
    row["point"] = p;
    row["file"] = fmt::format("points/{}", point_file_name(p));
    row["values"] = ordered_json::object();
    for (std::size_t a = 0; a < summary.axes.size(); ++a) {
      row["values"][summary.axes[a].key] = grid_value_json(summary.points[p][a]);
    }
    row["metrics"] = ordered_json::object();
    for (const StatisticEntry& e : summary.statistics[p]) {
      row["metrics"][e.path] = {{"mean", e.mean}, {"ci95", e.ci95}, {"n", e.n}};
    }
    doc["points"].push_back(std::move(row));
  }
  return doc.dump(2) + "\n";
}

}  // namespace telsim::studies
