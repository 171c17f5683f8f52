#include "chart_spec.hpp"

#include <cmath>

namespace telsim::view {

double nice_ceiling(double top) {
  if (!(top > 0) || !std::isfinite(top)) return 1;
  const double target = top * 1.05;
  const double scale = std::pow(10.0, std::floor(std::log10(target)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * scale >= target) return m * scale;
  }
  return 10 * scale;
}

}  // namespace telsim::view

namespace telsim::view {

double nice_step(double span, int ticks) {
  if (!(span > 0) || !std::isfinite(span) || ticks < 1) return 1;
  const double raw = span / ticks;
  const double scale = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * scale >= raw) return m * scale;
  }
  return 10 * scale;
}

std::pair<double, double> log_range(double low, double high) {
  if (!(low > 0) || !std::isfinite(low)) low = 1e-4;
  if (!(high > low) || !std::isfinite(high)) high = low * 10;
  const double lo = std::pow(10.0, std::floor(std::log10(low)));
  double hi = std::pow(10.0, std::ceil(std::log10(high)));
  if (hi <= lo) hi = lo * 10;
  return {lo, hi};
}

}  // namespace telsim::view
