#include "telsim/analysis/statistic.hpp"

#include <cmath>

#include "json_number.hpp"

namespace telsim::analysis {

Statistic summarize(std::span<const std::optional<double>> per_replication) {
  Statistic result;
  result.values.reserve(per_replication.size());
  long double sum = 0.0L;
  for (const auto& value : per_replication) {
    if (value && std::isfinite(*value)) {
      result.values.push_back(*value);
      sum += *value;
      ++result.n;
    } else {
      result.values.push_back(std::nullopt);
    }
  }
  if (result.n == 0) return result;

  const long double mean = sum / static_cast<long double>(result.n);
  result.mean = static_cast<double>(mean);
  if (result.n < 2) return result;

  long double squares = 0.0L;
  for (const auto& value : result.values) {
    if (!value) continue;
    const long double deviation = *value - mean;
    squares += deviation * deviation;
  }
  const auto n = static_cast<long double>(result.n);
  const long double standard_error = std::sqrt(squares / (n - 1.0L) / n);
  const double t = student_t_quantile(0.975, static_cast<int>(result.n - 1));
  result.ci95 = static_cast<double>(t * standard_error);
  return result;
}

nlohmann::ordered_json to_json(const Statistic& statistic) {
  nlohmann::ordered_json values = nlohmann::ordered_json::array();
  for (const auto& value : statistic.values) values.push_back(detail::json_number(value));
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  object["mean"] = detail::json_number(statistic.mean);
  object["ci95"] = detail::json_number(statistic.ci95);
  object["n"] = statistic.n;
  object["values"] = std::move(values);
  return object;
}

}  // namespace telsim::analysis
