// The service pass (SPEC §3 "Serving at an instant"): after every event that
// freed lines, circuits or bridges, who gets what was freed. The order does
// not depend on the order in which the event freed things (which side of a
// call ended it, which hop went first): each step looks at everything freed
// by the event at once, and breaks ties by when requests were made or
// queued, and by address number, never by release order.
//
//   1. each freed line goes to the camp-on queue of its own address;
//   2. trunk camp-on queues, the earliest-queued head first among all queues
//      whose first alternative now has a usable free circuit on every hop;
//   3. callback recalls, earliest-made request first among all whose callee
//      and caller are both idle;
//   4. message returns (and reactions starting), earliest-left first among
//      all whose callee is idle;
//   5. watch_idle: policies that asked to hear of an idle address.
// Serving only seizes, except where a granted trunk camper's or a return
// call's attempt fails at once; what that frees starts the steps again from
// step 1 before the round goes on.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "completion_state.hpp"
#include "policy_port.hpp"
#include "telsim/models/network.hpp"

namespace telsim::models {

using detail::no_slot;
using detail::Request;
using detail::RequestState;

void Network::mark_address_freed(AddressId address) {
  if (completion_) completion_->freed_addresses.push_back(address);
}

void Network::mark_group_freed(TrunkGroupId group) {
  if (completion_ && !completion_->queues_of_group[group].empty()) {
    completion_->freed_groups.push_back(group);
  }
}

void Network::settle() {
  detail::CompletionState& cs = *completion_;
  // Hooks may act, and what they free is served, whose hooks may act again:
  // a policy that keeps doing so at one instant would never let time move on.
  constexpr int max_rounds = 1'000'000;
  for (int round = 0;; ++round) {
    if (cs.has_pending()) serve_pending();
    if (cs.hooks.empty()) return;
    if (round == max_rounds) [[unlikely]] {
      throw std::logic_error("completion policies keep acting at t=" + std::to_string(now()) +
                             " us: a million rounds of hooks (call_ended, request_ended, "
                             "address_idle) at one instant; a policy re-arms itself at once");
    }
    run_hooks();
  }
}

void Network::run_hooks() {
  detail::CompletionState& cs = *completion_;
  cs.running_hooks.swap(cs.hooks);
  cs.hooks.clear();
  for (const detail::DeferredHook& h : cs.running_hooks) {
    CompletionPolicy& policy = *policies_[h.policy].impl;
    switch (h.kind) {
      case detail::DeferredHook::Kind::call_ended:
        policy.call_ended(port(h.policy), h.call, h.outcome);
        take_call_event(h.call.slot);  // the slot was kept for the hook
        break;
      case detail::DeferredHook::Kind::request_ended:
        policy.request_ended(port(h.policy), h.request, h.end);
        break;
      case detail::DeferredHook::Kind::address_idle:
        // Dropped if the call ended since (its watches end with it).
        if (calls_[h.call.slot].generation == h.call.generation && !calls_[h.call.slot].ended)
          policy.address_idle(port(h.policy), h.call, h.address);
        break;
    }
  }
  cs.running_hooks.clear();
}

void Network::serve_pending() {
  detail::CompletionState& cs = *completion_;
  if (cs.serving) return;  // the pass in progress will see what this freed
  cs.serving = true;
  // Serving only seizes, except when a granted trunk camper's or a return
  // call's attempt fails at once: what that frees goes through the steps
  // from step 1 before this round goes on, and the round's own work is
  // taken up again after it (each step serves only what is eligible, so
  // looking again is harmless).
  const auto freed_meanwhile = [&cs] {
    if (cs.freed_addresses.empty() && cs.freed_groups.empty()) return false;
    cs.freed_addresses.insert(cs.freed_addresses.end(), cs.round_addresses.begin(),
                              cs.round_addresses.end());
    cs.freed_groups.insert(cs.freed_groups.end(), cs.round_groups.begin(), cs.round_groups.end());
    cs.watched.insert(cs.watched.end(), cs.round_watched.begin(), cs.round_watched.end());
    return true;
  };
  while (cs.has_pending()) {
    cs.round_addresses.swap(cs.freed_addresses);
    cs.freed_addresses.clear();
    cs.round_groups.swap(cs.freed_groups);
    cs.freed_groups.clear();
    cs.round_watched.swap(cs.watched);
    cs.watched.clear();
    // By address, not by release order: what each step schedules (and so
    // the order of later simultaneous events) must not depend on it.
    std::sort(cs.round_addresses.begin(), cs.round_addresses.end());
    cs.round_addresses.erase(std::unique(cs.round_addresses.begin(), cs.round_addresses.end()),
                             cs.round_addresses.end());
    serve_campon_queues(cs.round_addresses);
    if (!cs.round_groups.empty()) serve_trunk_queues(cs.round_groups);
    if (freed_meanwhile()) continue;
    serve_recalls(cs.round_addresses);
    serve_messages(cs.round_addresses);
    if (freed_meanwhile()) continue;
    if (!cs.watches.empty()) {
      cs.round_addresses.insert(cs.round_addresses.end(), cs.round_watched.begin(),
                                cs.round_watched.end());
      std::sort(cs.round_addresses.begin(), cs.round_addresses.end());
      cs.round_addresses.erase(std::unique(cs.round_addresses.begin(), cs.round_addresses.end()),
                               cs.round_addresses.end());
      notify_idle_watchers(cs.round_addresses);
    }
  }
  cs.serving = false;
  for (const AddressId a : cs.maybe_empty) cs.erase_if_empty(a);
  cs.maybe_empty.clear();
}

void Network::serve_campon_queues(const std::vector<AddressId>& freed) {
  detail::CompletionState& cs = *completion_;
  for (const AddressId address : freed) {
    // Performance: most freed addresses have no queue; one bit says so
    // without a hash lookup.
    if (!cs.may_have_entries(address)) continue;
    const auto it = cs.callee.find(address);
    if (it == cs.callee.end()) continue;
    // References into an unordered_map survive rehashing; iterators would not.
    detail::CalleeQueues& q = it->second;
    const std::uint32_t pop = population_of(address);
    while (!q.campon.empty() && has_free_line(pop, address)) {
      const std::uint32_t slot = q.campon.head;
      cs.pool.unlink(q.campon, slot, &Request::queue_links);
      cs.pool[slot].in_queue = false;
      cs.maybe_empty.push_back(address);
      announce(slot, RequestEvent::callee_free);
      connect_camped(cs.pool[slot].call);
    }
  }
}

void Network::serve_trunk_queues(const std::vector<TrunkGroupId>& freed) {
  detail::CompletionState& cs = *completion_;
  std::vector<std::uint32_t>& queues = cs.candidates;
  queues.clear();
  for (const TrunkGroupId g : freed) {
    for (const std::uint32_t q : cs.queues_of_group[g]) {
      if (cs.queue_marks[q] != 0) continue;
      cs.queue_marks[q] = 1;
      queues.push_back(q);
    }
  }
  for (const std::uint32_t q : queues) cs.queue_marks[q] = 0;
  for (;;) {
    // The earliest-queued head among every queue that can be served now.
    std::uint32_t best = no_slot;
    for (const std::uint32_t q : queues) {
      const detail::TrunkQueue& tq = cs.trunk_queues[q];
      if (tq.list.empty()) continue;
      if (best != no_slot && cs.pool[tq.list.head].queued_seq > cs.pool[best].queued_seq) continue;
      // The head needs its relation's bandwidth on every hop (camped calls are
      // first-choice traffic: reservation does not apply).
      const std::uint32_t bandwidth =
          relations_[calls_[cs.pool[tq.list.head].call].info.relation].bandwidth;
      const bool usable =
          std::all_of(tq.chain.begin(), tq.chain.end(), [this, bandwidth](TrunkGroupId g) {
            return std::uint64_t{groups_[g].busy} + bandwidth <= groups_[g].circuits;
          });
      if (usable) best = tq.list.head;
    }
    if (best == no_slot) return;
    grant_trunk_camper(best);
    // Its attempt failed at once and freed something: that goes first.
    if (!cs.freed_addresses.empty() || !cs.freed_groups.empty()) return;
  }
}

void Network::serve_recalls(const std::vector<AddressId>& freed) {
  detail::CompletionState& cs = *completion_;
  std::vector<std::uint32_t>& requests = cs.candidates;
  requests.clear();
  for (const AddressId address : freed) {
    if (!cs.may_have_entries(address)) continue;
    // Requests at the address as callee, and the address's own as caller.
    if (const auto it = cs.callee.find(address); it != cs.callee.end()) {
      for (std::uint32_t s = it->second.callback.head; s != no_slot;
           s = cs.pool[s].queue_links.next) {
        requests.push_back(s);
      }
    }
    if (const auto it = cs.caller_callbacks.find(address); it != cs.caller_callbacks.end()) {
      for (std::uint32_t s = it->second.head; s != no_slot; s = cs.pool[s].caller_links.next) {
        requests.push_back(s);
      }
    }
  }
  if (requests.empty()) return;
  // Earliest made first: IDs count requests in the order they were made.
  std::sort(requests.begin(), requests.end(),
            [&cs](std::uint32_t a, std::uint32_t b) { return cs.pool[a].id < cs.pool[b].id; });
  requests.erase(std::unique(requests.begin(), requests.end()), requests.end());
  for (const std::uint32_t slot : requests) {
    const Request& r = cs.pool[slot];
    // Each recall only seizes, so a request not eligible now stays so for
    // the rest of this step: one walk in order is the rule.
    if (r.state != RequestState::callback_queued || !r.armed) continue;
    const Call& c = calls_[r.call];
    if (address_idle(c.info.callee) && address_idle(c.info.caller)) start_recall(slot);
  }
}

void Network::serve_messages(const std::vector<AddressId>& freed) {
  detail::CompletionState& cs = *completion_;
  std::vector<std::uint32_t>& messages = cs.candidates;
  messages.clear();
  for (const AddressId address : freed) {
    if (!cs.may_have_entries(address)) continue;
    const auto it = cs.callee.find(address);
    if (it == cs.callee.end()) continue;
    for (std::uint32_t s = it->second.message.head; s != no_slot; s = cs.pool[s].queue_links.next) {
      messages.push_back(s);
    }
  }
  if (messages.empty()) return;
  std::sort(messages.begin(), messages.end(),
            [&cs](std::uint32_t a, std::uint32_t b) { return cs.pool[a].id < cs.pool[b].id; });
  // A return that fails at once frees what it seized and ends its request
  // (a policy may then reuse `candidates`): walk a copy.
  cs.scratch.assign(messages.begin(), messages.end());
  for (const std::uint32_t slot : cs.scratch) {
    Request& r = cs.pool[slot];
    if (r.id == 0 || !r.in_queue) continue;  // ended, or returned already
    const AddressId callee = calls_[r.call].info.callee;
    if (!address_idle(callee)) continue;
    if (r.state == RequestState::message_waiting) {
      r.state = RequestState::message_reacting;
      announce(slot, RequestEvent::callee_free);
      const double reaction = r.reaction.sample(policies_[r.policy].random);
      r.timer =
          scheduler_.schedule_cancellable_after(sim::to_ticks(reaction), ev_reaction_over, slot);
    } else if (r.state == RequestState::message_due) {
      return_message(slot);
      // The return failed at once and freed something: that goes first.
      if (!cs.freed_addresses.empty() || !cs.freed_groups.empty()) return;
    }
  }
}

void Network::watch_idle(CallSlot id, PolicyId policy, AddressId address) {
  detail::CompletionState& cs = *completion_;
  cs.watches[address].push_back({id, calls_[id].generation, policy});
  cs.watched.push_back(address);
}

void Network::notify_idle_watchers(const std::vector<AddressId>& addresses) {
  detail::CompletionState& cs = *completion_;
  for (const AddressId address : addresses) {
    const auto it = cs.watches.find(address);
    if (it == cs.watches.end() || !address_idle(address)) continue;
    for (const auto& w : it->second) {
      detail::DeferredHook hook;
      hook.kind = detail::DeferredHook::Kind::address_idle;
      hook.policy = w.policy;
      hook.call = CallId{w.call, w.call_generation};
      hook.address = address;
      cs.hooks.push_back(hook);
    }
    cs.watches.erase(it);
  }
}

}  // namespace telsim::models
