#pragma once
/// Random streams: one independent generator per named purpose.
///
/// A stream is derived from (scenario seed, replication, purpose name), e.g.
/// (42, 3, "traffic/homes-to-cc/arrivals"), so each purpose draws the same
/// numbers whatever else the model does (common random numbers), and
/// replications never share a stream.
#include <cstdint>
#include <string_view>

namespace telsim::sim {

// 128-bit products for unbiased bounded draws; `__extension__` marks the
// GCC/Clang builtin type as intended under -Wpedantic.
__extension__ typedef unsigned __int128 uint128;

/// SplitMix64 step: used to expand seeds; good avalanche on every input bit.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// xoshiro256** (Blackman & Vigna): fast, 256-bit state, passes BigCrush.
/// Implemented here so that every platform draws the same sequence.
class RandomStream {
 public:
  /// Derives the stream for `purpose` in `replication` of a run seeded `seed`.
  static RandomStream derive(std::uint64_t seed, std::uint64_t replication,
                             std::string_view purpose);

  explicit RandomStream(std::uint64_t seed_material);

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_open0() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }

  /// Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n > 0.
  std::uint64_t uniform_index(std::uint64_t n) {
    uint128 m = static_cast<uint128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<uint128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  /// True with probability p (p <= 0 never, p >= 1 always, without a draw
  /// in either case so that certain outcomes consume no randomness).
  bool bernoulli(double p) {
    if (p >= 1.0) return true;
    if (p <= 0.0) return false;
    return uniform01() < p;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// 64-bit FNV-1a of a name; stable across platforms and runs.
std::uint64_t hash_name(std::string_view name);

}  // namespace telsim::sim
