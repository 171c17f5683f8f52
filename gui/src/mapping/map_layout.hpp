#pragma once
// Where the network map puts each exchange: a deterministic layout from the topology
// alone (no physics, no randomness), so the same results file always gives the same map.
//
// - No tandem: the exchanges on one circle, in file order.
// - One tandem: the tandem in the middle, its local exchanges on an arc around it.
// - Several: the tandems evenly on an inner ring (radius 0.45), in file order; each
//   local exchange in the sector of the tandem it has most circuits to, fanned out on the
//   outer rings (radius 1, then 0.9, 0.8, 0.7 when a sector is crowded). Every tandem
//   gets an equal sector (90% of it used, the rest a gap between clusters), so a local
//   exchange is always nearer its own tandem than any other. Locals with no group to a
//   tandem share one more sector.
#include <vector>

#include <QPointF>

namespace telsim::view {

struct MapPlace {
  QPointF position;         ///< map units; the outermost ring has radius 1
  QPointF label_direction;  ///< unit vector, outwards from the middle
};

/// The places of n exchanges: `tandem[i]` says whether exchange i is a tandem, `home[i]`
/// is the index of the tandem a local exchange is placed beside (-1: none; ignored for a
/// tandem). Returns one place per exchange, in the same order. O(n).
std::vector<MapPlace> layout_exchanges(const std::vector<bool>& tandem,
                                       const std::vector<int>& home);

}  // namespace telsim::view
