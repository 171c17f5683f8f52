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
