#include "telsim/models/network_spec.hpp"

namespace telsim::models {

std::vector<std::vector<std::uint32_t>> route_alternatives(const NetworkSpec& net,
                                                           std::uint32_t from, std::uint32_t to) {
  std::vector<std::vector<std::uint32_t>> out;
  for (const auto& route : net.routes) {
    if (route.from == from && route.to == to) return route.via;
  }
  for (const auto& route : net.routes) {
    if (route.from == to && route.to == from) {
      for (const auto& chain : route.via) out.emplace_back(chain.rbegin(), chain.rend());
      return out;
    }
  }
  return out;
}

}  // namespace telsim::models
