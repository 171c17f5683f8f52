#pragma once
/// Index types of the model. Plain integers: they index flat arrays.
#include <cstdint>

namespace telsim::models {

using AddressId = std::uint32_t;  ///< global address index over all populations
using CallId = std::uint32_t;     ///< slot in the network's call pool
using TrunkGroupId = std::uint32_t;
using RelationId = std::uint32_t;
using PolicyId = std::uint32_t;  ///< index into NetworkSpec::policies

inline constexpr std::uint32_t no_index = 0xffffffffu;

/// How a call ended (SPEC §5 `outcome`, the final ones): each call ends in exactly one.
enum class CallOutcome : std::uint8_t {
  connected,  ///< first attempt answered, no policy acted
  completed,  ///< connected later through its policy
  intruded,
  abandoned,
  expired,
  recall_failed,
  cleared,
};
inline constexpr std::size_t call_outcome_count = 7;
const char* to_string(CallOutcome o);

}  // namespace telsim::models
