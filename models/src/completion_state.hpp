#pragma once
// Everything the network keeps for completion requests: the pool, the
// callee and trunk queues, per-address counts, bridges, and the addresses
// and groups freed since the last service pass.
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "request_pool.hpp"

namespace telsim::models::detail {

/// The three queues at a callee address, served in this order when a line frees.
struct CalleeQueues {
  FifoList campon;
  FifoList callback;
  FifoList message;
};

/// Camp-on on congestion: one FIFO per distinct first-alternative chain.
struct TrunkQueue {
  std::vector<TrunkGroupId> chain;
  FifoList list;
};

struct CompletionState {
  RequestPool pool;
  // Only looked up, never iterated: hashing order cannot leak into results.
  std::unordered_map<AddressId, CalleeQueues> callee;
  std::unordered_map<AddressId, FifoList> caller_callbacks;
  std::unordered_map<AddressId, std::uint32_t> outstanding;
  std::vector<TrunkQueue> trunk_queues;
  std::map<std::vector<TrunkGroupId>, std::uint32_t> trunk_queue_of_chain;
  std::vector<std::vector<std::uint32_t>> queues_of_group;  // per trunk group
  std::vector<std::uint32_t> busy_bridges;                  // per exchange
  std::uint64_t next_queue_seq = 0;

  // Freed since the last service pass, in the order they were freed.
  std::vector<AddressId> freed_addresses;
  std::vector<TrunkGroupId> freed_groups;
  bool serving = false;
  std::vector<std::uint32_t> scratch;  // a queue's slots while the (non-reentrant) pass serves it
  bool has_pending() const { return !freed_addresses.empty() || !freed_groups.empty(); }
};

}  // namespace telsim::models::detail
