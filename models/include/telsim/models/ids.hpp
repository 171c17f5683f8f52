#pragma once
/// Index types of the model. Plain integers: they index flat arrays.
#include <cstddef>
#include <cstdint>

namespace telsim::models {

using AddressId = std::uint32_t;  ///< global address index over all populations
using CallSlot = std::uint32_t;   ///< slot in the network's call pool (inside the network only)
using TrunkGroupId = std::uint32_t;
using RelationId = std::uint32_t;
using PolicyId = std::uint32_t;  ///< index into NetworkSpec::policies

inline constexpr std::uint32_t no_index = 0xffffffffu;

/// A call as a policy names it: its slot and the slot's generation. A slot
/// is reused once its call has ended and every event of it has fired; the
/// generation then moves on, so an ID kept past its call's end is detected
/// as stale (the network throws) instead of reaching another call.
struct CallId {
  CallSlot slot = no_index;
  std::uint32_t generation = 0;
  friend bool operator==(const CallId&, const CallId&) = default;
};

/// A completion request's ID (TAPI's completion ID): 1, 2, 3, ... in the
/// order the replication's requests were made; 0 is never an ID.
using RequestId = std::uint64_t;

/// How a call ended (SPEC §5 `outcome`, the final ones): each call ends in exactly one.
enum class CallOutcome : std::uint8_t {
  connected,  ///< first attempt answered, no policy acted
  completed,  ///< connected later through its policy
  intruded,
  abandoned,
  expired,
  recall_failed,
  cancelled,  ///< its completion request was cancelled by ID (TAPI lineUncompleteCall)
  cleared,
};
inline constexpr std::size_t call_outcome_count = 8;
const char* to_string(CallOutcome o);

}  // namespace telsim::models
