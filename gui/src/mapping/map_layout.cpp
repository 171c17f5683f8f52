#include "map_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>

namespace telsim::view {
namespace {

constexpr double pi = std::numbers::pi;
constexpr double tandem_ring = 0.45;
constexpr double sector_used = 0.9;  // of each tandem's sector; the rest parts the clusters
constexpr double row_step = 0.1;     // between the outer rings
constexpr int max_rows = 4;
// The least distance (map units, about 30 px on a 1280x800 picture) between neighbours
// on one ring; closer, and the fan takes another ring.
constexpr double min_gap = 0.09;
// One tandem in the middle: each local exchange gets this much of the arc, up to a circle
// (two locals and their tandem make an equilateral triangle).
constexpr double arc_per_local = pi / 3;

QPointF at(double radius, double angle) {
  return {radius * std::cos(angle), radius * std::sin(angle)};
}

QPointF direction(double angle) {
  return at(1, angle);
}

// Fans `members` over the arc of width `span` centred on `centre`, on up to max_rows
// rings; a full circle (span 2 pi) spreads them evenly from `centre`.
void fan(const std::vector<std::size_t>& members, double centre, double span,
         std::vector<MapPlace>& places) {
  const std::size_t m = members.size();
  if (m == 0) return;
  const bool circle = span >= 2 * pi - 1e-9;
  const double step = span / static_cast<double>(m);
  const int rows =
      std::clamp(static_cast<int>(std::ceil(min_gap / std::max(step, 1e-9))), 1, max_rows);
  for (std::size_t k = 0; k < m; ++k) {
    const double angle = circle ? centre + step * static_cast<double>(k)
                                : centre - span / 2 + step * (static_cast<double>(k) + 0.5);
    const double radius = 1 - row_step * static_cast<double>(static_cast<int>(k) % rows);
    places[members[k]] = {at(radius, angle), direction(angle)};
  }
}

}  // namespace

std::vector<MapPlace> layout_exchanges(const std::vector<bool>& tandem,
                                       const std::vector<int>& home) {
  const std::size_t n = tandem.size();
  std::vector<MapPlace> places(n, MapPlace{{0, 0}, {0, 1}});
  std::vector<std::size_t> tandems;
  for (std::size_t i = 0; i < n; ++i) {
    if (tandem[i]) tandems.push_back(i);
  }
  // Each tandem's locals in file order, and those with no tandem.
  std::vector<std::vector<std::size_t>> clusters(tandems.size());
  std::vector<std::size_t> unhomed;
  for (std::size_t i = 0; i < n; ++i) {
    if (tandem[i]) continue;
    const auto t = std::find(tandems.begin(), tandems.end(),
                             static_cast<std::size_t>(i < home.size() ? home[i] : -1));
    if (i < home.size() && home[i] >= 0 && t != tandems.end()) {
      clusters[static_cast<std::size_t>(t - tandems.begin())].push_back(i);
    } else {
      unhomed.push_back(i);
    }
  }
  const double top = -pi / 2;
  if (tandems.empty()) {
    // A ring of exchanges from the left (two exchanges: side by side).
    if (unhomed.size() == 1) {
      places[unhomed.front()] = {{0, 0}, {0, 1}};
    } else {
      fan(unhomed, pi, 2 * pi, places);
    }
    return places;
  }
  if (tandems.size() == 1 && unhomed.empty()) {
    places[tandems.front()] = {{0, 0}, {0, 1}};
    const double span =
        std::min(2 * pi, arc_per_local * static_cast<double>(clusters.front().size()));
    fan(clusters.front(), top, span, places);
    return places;
  }
  // Equal sectors, the first tandem's centred at the top, clockwise on screen.
  const std::size_t sectors = tandems.size() + (unhomed.empty() ? 0 : 1);
  const double sector = 2 * pi / static_cast<double>(sectors);
  for (std::size_t s = 0; s < sectors; ++s) {
    const double centre = top + sector * static_cast<double>(s);
    if (s < tandems.size()) {
      places[tandems[s]] = {at(tandem_ring, centre), direction(centre)};
      fan(clusters[s], centre, sector * sector_used, places);
    } else {
      fan(unhomed, centre, sector * sector_used, places);
    }
  }
  return places;
}

}  // namespace telsim::view
