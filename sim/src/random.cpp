#include "telsim/sim/random.hpp"

namespace telsim::sim {

std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

RandomStream RandomStream::derive(std::uint64_t seed, std::uint64_t replication,
                                  std::string_view purpose) {
  // Chain the three inputs through SplitMix64 so that nearby seeds,
  // replications or names give unrelated streams.
  std::uint64_t state = seed;
  std::uint64_t material = splitmix64(state);
  state = material ^ replication;
  material = splitmix64(state);
  state = material ^ hash_name(purpose);
  return RandomStream(splitmix64(state));
}

RandomStream::RandomStream(std::uint64_t seed_material) {
  std::uint64_t state = seed_material;
  for (auto& word : s_) word = splitmix64(state);
}

}  // namespace telsim::sim
