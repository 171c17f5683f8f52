#pragma once
// Completion requests of one replication and the FIFO queues they wait in.
//
// A request lives in a slot of a pool. Its ID (TAPI's completion ID, shown
// to users in call records) counts the replication's requests from 1 in the
// order they were made, so "earliest made" is "smallest ID", and an ID is
// never reused: a stale ID finds nothing. Queues are intrusive doubly linked
// lists through the slots: withdrawing a request from the middle of a queue
// is O(1), so a cancelled, expired or abandoned request leaves every queue at
// once.
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/ids.hpp"
#include "telsim/models/network_spec.hpp"
#include "telsim/sim/distribution.hpp"
#include "telsim/sim/event_handle.hpp"
#include "telsim/sim/time.hpp"

namespace telsim::models::detail {

inline constexpr std::uint32_t no_slot = 0xffffffffu;

enum class RequestState : std::uint8_t {
  camped_on_callee,  ///< campon: waiting for a line of the callee, holding caller line and circuits
  camped_on_trunk,   ///< campon: waiting for circuits on the first alternative, holding the caller
                     ///< line
  callback_queued,   ///< callback: waiting for callee and caller to be idle
  recalling,         ///< callback: the caller's phone rings, the callee's line is reserved
  message_waiting,   ///< message: waiting for the callee to be idle
  message_reacting,  ///< message: the callee will return the call after its reaction time
  message_due,       ///< message: reaction over while the callee was busy: return as soon as idle
  returning,         ///< message: the return call is in progress
};

/// Which list a slot is linked into (at most one queue plus the caller's callback list).
struct Links {
  std::uint32_t prev = no_slot;
  std::uint32_t next = no_slot;
};

struct FifoList {
  std::uint32_t head = no_slot;
  std::uint32_t tail = no_slot;
  std::uint32_t size = 0;
  bool empty() const { return size == 0; }
};

struct Request {
  RequestId id = 0;
  CallSlot call = 0;
  PolicyId policy = no_index;
  CompletionMode mode = CompletionMode::campon;
  RequestState state = RequestState::camped_on_callee;
  FailureCause cause = FailureCause::busy;
  std::uint32_t message_id = 0;
  sim::Tick made_at = 0;
  bool armed = true;      ///< callback on no_answer: false until a call involving the callee ends
  bool measured = false;  ///< its call is measured (for the life-cycle counts)
  std::uint32_t trunk_queue = no_slot;
  std::uint64_t queued_seq = 0;  ///< order of queueing, for "earliest-queued head goes first"
  sim::EventHandle timer;        ///< patience, expiry, recall or reaction
  sim::EventHandle cancel;       ///< cancellation by ID (cancel_after)
  AnswerSpec recall_answer;
  sim::Distribution reaction;
  Links queue_links;   ///< in its callee or trunk queue
  Links caller_links;  ///< callback: in its caller's list
  bool in_queue = false;
  bool in_caller_list = false;
};

class RequestPool {
 public:
  /// A fresh request; `id` is filled in.
  std::uint32_t allocate() {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    slots_[slot] = Request{};
    slots_[slot].id = ++last_id_;
    slot_of_.emplace(last_id_, slot);
    return slot;
  }
  void release(std::uint32_t slot) {
    slot_of_.erase(slots_[slot].id);
    slots_[slot].id = 0;
    free_.push_back(slot);
  }
  /// The slot of a live request with this ID, if any.
  std::optional<std::uint32_t> find(RequestId id) const {
    const auto it = slot_of_.find(id);
    if (it == slot_of_.end()) return std::nullopt;
    return it->second;
  }
  Request& operator[](std::uint32_t slot) { return slots_[slot]; }
  const Request& operator[](std::uint32_t slot) const { return slots_[slot]; }
  std::size_t live() const { return slot_of_.size(); }
  /// Slots ever allocated: the peak of requests live at once.
  std::size_t slots() const { return slots_.size(); }

  // Intrusive FIFO operations; `member` selects which links of the slot.
  void push_back(FifoList& list, std::uint32_t slot, Links Request::*member) {
    Links& l = slots_[slot].*member;
    l.prev = list.tail;
    l.next = no_slot;
    if (list.tail != no_slot) {
      (slots_[list.tail].*member).next = slot;
    } else {
      list.head = slot;
    }
    list.tail = slot;
    ++list.size;
  }
  void unlink(FifoList& list, std::uint32_t slot, Links Request::*member) {
    Links& l = slots_[slot].*member;
    if (l.prev != no_slot) {
      (slots_[l.prev].*member).next = l.next;
    } else {
      list.head = l.next;
    }
    if (l.next != no_slot) {
      (slots_[l.next].*member).prev = l.prev;
    } else {
      list.tail = l.prev;
    }
    l = Links{};
    --list.size;
  }
  /// Slots of a list in FIFO order, copied into `out` (serving may unlink
  /// entries while it walks them); `out` is reused, so this allocates only
  /// when a queue is longer than any seen before.
  const std::vector<std::uint32_t>& in_order(const FifoList& list, Links Request::*member,
                                             std::vector<std::uint32_t>& out) const {
    out.clear();
    for (std::uint32_t s = list.head; s != no_slot; s = (slots_[s].*member).next) out.push_back(s);
    return out;
  }

 private:
  std::vector<Request> slots_;
  std::vector<std::uint32_t> free_;
  // Only looked up, never iterated: hashing order cannot leak into results.
  std::unordered_map<RequestId, std::uint32_t> slot_of_;
  RequestId last_id_ = 0;
};

}  // namespace telsim::models::detail
