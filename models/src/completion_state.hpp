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

/// A life-cycle hook of a policy (CompletionPolicy::call_ended,
/// request_ended, address_idle), run once the event's own work and its
/// service pass are done, so that a policy acting in it never finds the
/// network half-way through an operation.
struct DeferredHook {
  enum class Kind : std::uint8_t { call_ended, request_ended, address_idle };
  Kind kind = Kind::call_ended;
  PolicyId policy = no_index;
  CallId call;
  CallOutcome outcome = CallOutcome::cleared;
  RequestInfo request;
  RequestEnd end = RequestEnd::served;
  AddressId address = 0;
};

struct CompletionState {
  RequestPool pool;
  // Only looked up, never iterated: hashing order cannot leak into results.
  // An entry exists only while it holds something: an address whose queues
  // (or count) empty is erased, so these maps are bounded by the requests
  // outstanding, not by the addresses that ever had one.
  std::unordered_map<AddressId, CalleeQueues> callee;
  std::unordered_map<AddressId, FifoList> caller_callbacks;
  std::unordered_map<AddressId, std::uint32_t> outstanding;
  std::vector<TrunkQueue> trunk_queues;
  std::map<std::vector<TrunkGroupId>, std::uint32_t> trunk_queue_of_chain;
  std::vector<std::vector<std::uint32_t>> queues_of_group;  // per trunk group
  std::vector<std::uint32_t> busy_bridges;                  // per exchange
  std::uint64_t next_queue_seq = 0;
  // Connected calls per address, kept only when a policy can intrude (it
  // needs a connected call to join, SPEC §3 `intrude`).
  bool track_connected = false;
  std::unordered_map<AddressId, std::uint32_t> connected;
  // watch_idle: per address, the calls whose policy waits for it to be idle.
  struct IdleWatch {
    CallSlot call;
    std::uint32_t call_generation;
    PolicyId policy;
  };
  std::unordered_map<AddressId, std::vector<IdleWatch>> watches;
  std::vector<DeferredHook> hooks;
  std::vector<DeferredHook> running_hooks;

  // Freed since the last service pass (in any order: the pass does not
  // depend on it), and addresses newly watched.
  std::vector<AddressId> freed_addresses;
  std::vector<TrunkGroupId> freed_groups;
  std::vector<AddressId> watched;
  // The pass's own copies of those lists, reused (a pass may free more).
  std::vector<AddressId> round_addresses;
  std::vector<TrunkGroupId> round_groups;
  std::vector<AddressId> round_watched;
  bool serving = false;
  std::vector<std::uint32_t> scratch;     // a queue's slots while the pass serves it
  std::vector<std::uint32_t> candidates;  // requests or trunk queues the pass considers
  std::vector<std::uint8_t> queue_marks;  // per trunk queue: already a candidate
  // Addresses whose entries may have emptied while the pass held references
  // into the maps; erased (if empty) when the pass ends.
  std::vector<AddressId> maybe_empty;
  bool has_pending() const {
    return !freed_addresses.empty() || !freed_groups.empty() || !watched.empty();
  }

  // One bit per address: set while the address may have an entry in `callee`
  // or `caller_callbacks` (1/8 byte per subscriber). Performance: lets the
  // service pass skip the hash lookups for the many freed addresses nobody
  // waits for.
  std::vector<std::uint64_t> entry_bits;
  bool may_have_entries(AddressId a) const { return (entry_bits[a >> 6] >> (a & 63)) & 1u; }

  /// The address's callee queues, created if needed.
  CalleeQueues& callee_queues(AddressId a) {
    entry_bits[a >> 6] |= std::uint64_t{1} << (a & 63);
    return callee[a];
  }
  /// The address's list of callbacks as a caller, created if needed.
  FifoList& caller_list(AddressId a) {
    entry_bits[a >> 6] |= std::uint64_t{1} << (a & 63);
    return caller_callbacks[a];
  }

  /// Erases the address's callee-queue and caller-list entries if they hold
  /// nothing. Must not run while a reference to either entry is in use.
  void erase_if_empty(AddressId address) {
    if (!may_have_entries(address)) return;
    bool kept = false;
    if (const auto it = callee.find(address); it != callee.end()) {
      const CalleeQueues& q = it->second;
      if (q.campon.empty() && q.callback.empty() && q.message.empty()) {
        callee.erase(it);
      } else {
        kept = true;
      }
    }
    if (const auto it = caller_callbacks.find(address); it != caller_callbacks.end()) {
      if (it->second.empty()) {
        caller_callbacks.erase(it);
      } else {
        kept = true;
      }
    }
    if (!kept) entry_bits[address >> 6] &= ~(std::uint64_t{1} << (address & 63));
  }
  /// After an unlink: erase now, or at the end of the pass if one is running.
  void release_entries(AddressId address) {
    if (serving) {
      maybe_empty.push_back(address);
    } else {
      erase_if_empty(address);
    }
  }
};

}  // namespace telsim::models::detail
