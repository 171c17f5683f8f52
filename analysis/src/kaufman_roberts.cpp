#include "telsim/analysis/kaufman_roberts.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace telsim::analysis {

KaufmanRoberts kaufman_roberts(std::int64_t circuits, const std::vector<TrafficClass>& classes) {
  if (circuits < 0) {
    throw std::invalid_argument("circuits must be at least 0, got " + std::to_string(circuits));
  }
  // The distribution is held whole: 16 bytes a state.
  constexpr std::int64_t max_circuits = 100'000'000;
  if (circuits > max_circuits) {
    throw std::invalid_argument("circuits must be at most " + std::to_string(max_circuits) +
                                ", got " + std::to_string(circuits));
  }
  if (classes.empty()) throw std::invalid_argument("give at least one class");
  for (std::size_t k = 0; k < classes.size(); ++k) {
    const TrafficClass& c = classes[k];
    const std::string name = "class " + std::to_string(k + 1);
    if (c.bandwidth < 1) {
      throw std::invalid_argument(name + ": bandwidth must be at least 1, got " +
                                  std::to_string(c.bandwidth));
    }
    if (!std::isfinite(c.erlangs) || c.erlangs < 0.0) {
      throw std::invalid_argument(name + ": load must be a finite number of Erlangs >= 0");
    }
  }
  const auto size = static_cast<std::size_t>(circuits) + 1;
  std::vector<long double> q(size, 0.0L);
  q[0] = 1.0L;
  // The unnormalised q(j) grow like A^j / j! before they fall: scale everything so far
  // down whenever one gets large, which leaves the ratios (all that matters) alone.
  constexpr long double large = 1e300L;
  for (std::size_t j = 1; j < size; ++j) {
    long double sum = 0.0L;
    for (const TrafficClass& c : classes) {
      const auto b = static_cast<std::size_t>(c.bandwidth);
      if (b <= j)
        sum += static_cast<long double>(c.erlangs) * static_cast<long double>(b) * q[j - b];
    }
    q[j] = sum / static_cast<long double>(j);
    if (q[j] > large) {
      for (std::size_t i = 0; i <= j; ++i) q[i] /= large;
    }
  }
  long double total = 0.0L;
  for (const long double v : q) total += v;
  KaufmanRoberts out;
  out.occupancy.resize(size);
  for (std::size_t j = 0; j < size; ++j) out.occupancy[j] = static_cast<double>(q[j] / total);
  for (const TrafficClass& c : classes) {
    // Blocked with fewer than b free: j > C - b busy. Summed from the top, smallest first.
    long double blocked = 0.0L;
    const std::int64_t first = circuits - c.bandwidth + 1;
    for (std::int64_t j = circuits; j >= 0 && j >= first; --j)
      blocked += q[static_cast<std::size_t>(j)];
    out.class_blocking.push_back(static_cast<double>(blocked / total));
  }
  return out;
}

}  // namespace telsim::analysis
