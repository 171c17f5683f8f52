#include "view_data.hpp"

#include <cstdio>

namespace telsim::view {

std::optional<Estimate> Run::metric(std::string_view path) const {
  for (const auto& [p, estimate] : metrics) {
    if (p == path) return estimate;
  }
  return std::nullopt;
}

std::optional<double> Run::circuits(std::string_view trunk_group) const {
  if (!scenario.is_object() || !scenario.contains("trunk_groups")) return std::nullopt;
  for (const nlohmann::ordered_json& group : scenario["trunk_groups"]) {
    if (group.value("name", "") == trunk_group && group.contains("circuits") &&
        group["circuits"].is_number()) {
      return group["circuits"].get<double>();
    }
  }
  return std::nullopt;
}

std::vector<std::filesystem::path> Document::watched_files() const {
  if (is_sweep()) return {source / "summary.json"};
  return {source};
}

std::string format_number(const std::optional<double>& value) {
  if (!value) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", *value);
  return text;
}

std::string format_estimate(const Estimate& estimate) {
  if (!estimate.ci95) return format_number(estimate.mean);
  return format_number(estimate.mean) + " ± " + format_number(estimate.ci95);
}

}  // namespace telsim::view
