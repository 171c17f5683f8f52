#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "telsim/analysis/csv_field.hpp"
#include "telsim/analysis/results.hpp"

namespace telsim::analysis {
namespace {

std::string field(std::string_view text) {
  return csv_field(text);
}

// "{}" is the shortest text that reads back as the same double.
std::string number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return {};
  return fmt::format("{}", *value);
}

std::string metrics_csv(const MetricTable& metrics) {
  std::string out = "path,mean,ci95,n\n";
  const auto& paths = metrics.paths();
  for (auto path = paths.begin(); path != paths.end(); ++path) {
    const Statistic statistic = metrics.statistic_at(path.index());
    out += fmt::format("{},{},{},{}\n", field(*path), number(statistic.mean),
                       number(statistic.ci95), statistic.n);
  }
  return out;
}

std::string replications_csv(const MetricTable& metrics) {
  std::string out = "replication,path,value\n";
  const auto& paths = metrics.paths();
  for (std::size_t r = 0; r < metrics.replications(); ++r) {
    for (auto path = paths.begin(); path != paths.end(); ++path) {
      out += fmt::format("{},{},{}\n", r, field(*path), number(metrics.value_at(path.index(), r)));
    }
  }
  return out;
}

std::string timeseries_csv(const RunResults& results) {
  std::string out = "group,series,t,mean\n";
  for (const auto& [group, series_by_name] : results.timeseries) {
    for (const auto& [name, series] : series_by_name) {
      const std::size_t samples = std::min(series.t.size(), series.mean.size());
      for (std::size_t k = 0; k < samples; ++k) {
        out += fmt::format("{},{},{},{}\n", field(group), field(name), number(series.t[k]),
                           number(series.mean[k]));
      }
    }
  }
  return out;
}

}  // namespace

void write_csv(const std::filesystem::path& dir, const RunResults& results) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    throw std::runtime_error(
        fmt::format("cannot create the folder '{}': {}", dir.string(), error.message()));
  }
  write_file_atomically(dir / "metrics.csv", metrics_csv(results.metrics));
  write_file_atomically(dir / "replications.csv", replications_csv(results.metrics));
  write_file_atomically(dir / "timeseries.csv", timeseries_csv(results));
}

}  // namespace telsim::analysis
