// The network's side of completion requests (SPEC §3 "Completion policies"):
// creating, cancelling and closing requests, the four modes, and what they
// do when served. The service pass that decides who is served, after every
// event that freed lines or circuits, is in network_service.cpp.
#include <algorithm>
#include <stdexcept>

#include "completion_state.hpp"
#include "telsim/models/network.hpp"

namespace telsim::models {

using detail::no_slot;
using detail::Request;
using detail::RequestState;

const char* to_string(RequestEvent e) {
  switch (e) {
    case RequestEvent::requested:
      return "requested";
    case RequestEvent::refused_overrun:
      return "refused_overrun";
    case RequestEvent::refused_queue_full:
      return "refused_queue_full";
    case RequestEvent::refused_no_bridge:
      return "refused_no_bridge";
    case RequestEvent::refused_cause:
      return "refused_cause";
    case RequestEvent::refused_unsupported:
      return "refused_unsupported";
    case RequestEvent::callee_free:
      return "callee_free";
    case RequestEvent::recalled:
      return "recalled";
    case RequestEvent::recall_answered:
      return "recall_answered";
    case RequestEvent::message_returned:
      return "message_returned";
    case RequestEvent::connected:
      return "connected";
    case RequestEvent::expired:
      return "expired";
    case RequestEvent::abandoned:
      return "abandoned";
    case RequestEvent::recall_failed:
      return "recall_failed";
    case RequestEvent::cancelled:
      return "cancelled";
    case RequestEvent::setup_failed:
      return "setup_failed";
  }
  return "?";
}

std::uint32_t Network::population_of(AddressId address) const {
  // Populations are laid out in order of their first address.
  const auto it = std::upper_bound(populations_.begin(), populations_.end(), address,
                                   [](AddressId a, const Population& p) { return a < p.base; });
  return static_cast<std::uint32_t>(std::distance(populations_.begin(), it) - 1);
}

Network::Footprint Network::footprint() const {
  Footprint f;
  f.call_slots = calls_.size();
  f.calls_in_progress = calls_in_progress();
  f.pending_events = scheduler_.pending();
  f.timer_slots = timers_.size();
  if (completion_) {
    const detail::CompletionState& cs = *completion_;
    f.request_slots = cs.pool.slots();
    f.live_requests = cs.pool.live();
    f.callee_entries = cs.callee.size();
    f.caller_entries = cs.caller_callbacks.size();
    f.outstanding_entries = cs.outstanding.size();
  }
  return f;
}

bool Network::address_idle(AddressId address) const {
  return has_free_line(population_of(address), address);
}

bool Network::has_connected_call(AddressId address) const {
  return completion_->connected.contains(address);
}

void Network::count_connected(AddressId address, int delta) {
  auto& connected = completion_->connected;
  if (delta > 0) {
    ++connected[address];
  } else if (const auto it = connected.find(address); it != connected.end() && --it->second == 0) {
    connected.erase(it);
  }
}

void Network::announce(std::uint32_t slot, RequestEvent e) {
  if (observer_ == nullptr) return;
  const Request& r = completion_->pool[slot];
  observer_->request_event(r.policy, e, r.measured, scheduler_.now());
}

void Network::announce_policy(const Call& c, RequestEvent e) {
  if (observer_ != nullptr && c.policy != no_index)
    observer_->request_event(c.policy, e, c.measured, now());
}

RequestResult Network::open_request(CallSlot id, CompletionMode mode, FailureCause cause,
                                    std::optional<sim::Tick> cancel_after) {
  detail::CompletionState& cs = *completion_;
  Call& c = calls_[id];
  if (c.request != no_index)
    throw std::logic_error("a call holds one completion request at a time");
  // The caller's own capabilities: its population's, else its exchange's.
  const auto& limit = populations_[relations_[c.info.relation].from].max_per_address;
  std::uint32_t& outstanding = cs.outstanding[c.info.caller];
  if (limit && outstanding >= *limit) {
    if (outstanding == 0) cs.outstanding.erase(c.info.caller);  // a limit of 0: keep no entry
    c.rejected = true;
    announce_policy(c, RequestEvent::refused_overrun);
    return {0, Refusal::overrun};
  }
  ++outstanding;
  const std::uint32_t slot = cs.pool.allocate();
  Request& r = cs.pool[slot];
  r.call = id;
  r.policy = c.policy;
  r.mode = mode;
  r.cause = cause;
  r.measured = c.measured;
  r.made_at = now();
  c.request = slot;
  c.made_request = true;
  c.completion_ids.push_back(r.id);
  if (c.measured) c.max_outstanding_requests = std::max(c.max_outstanding_requests, outstanding);
  // lineUncompleteCall by the caller; a cancellation frees what the request
  // holds, so it runs as a release.
  if (cancel_after) {
    r.cancel = scheduler_.schedule_cancellable_after(*cancel_after, ev_cancel_request, slot,
                                                     sim::Priority::release);
  }
  announce(slot, RequestEvent::requested);
  return {r.id, Refusal::none};
}

void Network::withdraw(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  const Call& c = calls_[r.call];
  if (r.in_queue) {
    if (r.state == RequestState::camped_on_trunk) {
      detail::TrunkQueue& queue = cs.trunk_queues[r.trunk_queue];
      const bool was_head = queue.list.head == slot;
      cs.pool.unlink(queue.list, slot, &Request::queue_links);
      // A new head may need fewer circuits than the one that left (multi-rate calls):
      // the queue is looked at again after this event, as if its circuits had freed.
      if (was_head && !queue.list.empty()) {
        for (const TrunkGroupId g : queue.chain) mark_group_freed(g);
      }
    } else {
      detail::CalleeQueues& q = cs.callee[c.info.callee];
      detail::FifoList& list = r.state == RequestState::camped_on_callee  ? q.campon
                               : r.state == RequestState::callback_queued ? q.callback
                                                                          : q.message;
      cs.pool.unlink(list, slot, &Request::queue_links);
    }
    r.in_queue = false;
  }
  if (r.in_caller_list) {
    cs.pool.unlink(cs.caller_callbacks[c.info.caller], slot, &Request::caller_links);
    r.in_caller_list = false;
  }
  scheduler_.cancel(r.timer);
  // Served or ended: a cancellation by ID no longer applies.
  scheduler_.cancel(r.cancel);
  // Empty per-address entries go, so the maps stay bounded by what is outstanding.
  cs.release_entries(c.info.callee);
  cs.release_entries(c.info.caller);
}

void Network::close_request(CallSlot id, RequestEnd end) {
  Call& c = calls_[id];
  if (c.request == no_index) return;
  detail::CompletionState& cs = *completion_;
  const std::uint32_t slot = c.request;
  withdraw(slot);
  const Request& r = cs.pool[slot];
  // The policy hears of it after the event (network_service.cpp).
  detail::DeferredHook hook;
  hook.kind = detail::DeferredHook::Kind::request_ended;
  hook.policy = r.policy;
  hook.request = RequestInfo{r.id, id_of(id), r.policy, r.mode, r.cause, r.message_id, r.made_at};
  hook.end = end;
  cs.hooks.push_back(hook);
  const auto it = cs.outstanding.find(c.info.caller);
  if (--it->second == 0) cs.outstanding.erase(it);
  cs.pool.release(slot);
  c.request = no_index;
}

RequestId Network::request_of(CallSlot id) const {
  const Call& c = calls_[id];
  return c.request == no_index ? 0 : completion_->pool[c.request].id;
}

std::optional<RequestInfo> Network::request_info(RequestId request) const {
  if (!completion_) return std::nullopt;
  const auto slot = completion_->pool.find(request);
  if (!slot) return std::nullopt;
  const Request& r = completion_->pool[*slot];
  return RequestInfo{r.id, id_of(r.call), r.policy, r.mode, r.cause, r.message_id, r.made_at};
}

bool Network::cancel_request(RequestId request) {
  if (!completion_) return false;
  const auto slot = completion_->pool.find(request);
  if (!slot) return false;
  announce(*slot, RequestEvent::cancelled);
  end_call(completion_->pool[*slot].call, CallOutcome::cancelled);
  return true;
}

// ---- the four modes ---------------------------------------------------------

RequestResult Network::camp_on(CallSlot id, FailureCause cause, std::optional<sim::Tick> patience,
                               std::optional<std::uint64_t> queue_limit,
                               std::optional<sim::Tick> cancel_after) {
  detail::CompletionState& cs = *completion_;
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  detail::FifoList* queue = nullptr;
  std::uint32_t trunk_queue = no_slot;
  if (cause == FailureCause::busy) {
    queue = &cs.callee_queues(c.info.callee).campon;
  } else if (cause == FailureCause::congestion && rel.route != nullptr) {
    const auto& chain = rel.route->alternatives.front();
    // A call wider than a hop of its first alternative could wait for ever: the queue
    // refuses it as a full one (rejected, then the fallback).
    if (std::any_of(chain.begin(), chain.end(),
                    [&](TrunkGroupId g) { return groups_[g].circuits < rel.bandwidth; })) {
      c.rejected = true;
      announce_policy(c, RequestEvent::refused_queue_full);
      return {0, Refusal::queue_full};
    }
    auto [it, added] = cs.trunk_queue_of_chain.try_emplace(
        chain, static_cast<std::uint32_t>(cs.trunk_queues.size()));
    if (added) {
      cs.trunk_queues.push_back(detail::TrunkQueue{chain, {}});
      cs.queue_marks.push_back(0);
      for (const TrunkGroupId g : chain) cs.queues_of_group[g].push_back(it->second);
    }
    trunk_queue = it->second;
    queue = &cs.trunk_queues[trunk_queue].list;
  } else {
    throw std::logic_error("camp-on acts on busy or congestion only");
  }
  if (queue_limit && queue->size >= *queue_limit) {
    c.rejected = true;
    announce_policy(c, RequestEvent::refused_queue_full);
    cs.release_entries(c.info.callee);  // a limit of 0 leaves an empty entry behind
    return {0, Refusal::queue_full};
  }
  const RequestResult result = open_request(id, CompletionMode::campon, cause, cancel_after);
  if (!result.accepted()) {
    cs.release_entries(c.info.callee);
    return result;
  }
  // The camper keeps its caller line; on busy also its circuits.
  release_callee_line(c);
  if (cause == FailureCause::congestion) release_circuits(c);
  Request& r = cs.pool[c.request];
  r.state =
      cause == FailureCause::busy ? RequestState::camped_on_callee : RequestState::camped_on_trunk;
  r.trunk_queue = trunk_queue;
  r.queued_seq = cs.next_queue_seq++;
  cs.pool.push_back(*queue, c.request, &Request::queue_links);
  r.in_queue = true;
  // Patience ends the wait and frees the caller line (and circuits): a release.
  if (patience) {
    r.timer = scheduler_.schedule_cancellable_after(*patience, ev_patience_over, c.request,
                                                    sim::Priority::release);
  }
  return result;
}

RequestResult Network::request_callback(CallSlot id, FailureCause cause, sim::Tick expiry,
                                        const AnswerSpec& recall_answer,
                                        std::optional<sim::Tick> cancel_after) {
  if (cause == FailureCause::congestion)
    throw std::logic_error("callback acts on busy or no_answer only");
  detail::CompletionState& cs = *completion_;
  const RequestResult result = open_request(id, CompletionMode::callback, cause, cancel_after);
  if (!result.accepted()) return result;
  release_resources(id);  // the caller hangs up
  Call& c = calls_[id];
  Request& r = cs.pool[c.request];
  r.state = RequestState::callback_queued;
  r.armed = cause != FailureCause::no_answer;
  r.recall_answer = recall_answer;
  r.queued_seq = cs.next_queue_seq++;
  cs.pool.push_back(cs.callee_queues(c.info.callee).callback, c.request, &Request::queue_links);
  r.in_queue = true;
  cs.pool.push_back(cs.caller_list(c.info.caller), c.request, &Request::caller_links);
  r.in_caller_list = true;
  r.timer = scheduler_.schedule_cancellable_after(expiry, ev_callback_expired, c.request,
                                                  sim::Priority::release);
  // The callee may have another free line already (a hunt group).
  mark_address_freed(c.info.callee);
  return result;
}

RequestResult Network::leave_message(CallSlot id, FailureCause cause, std::uint32_t message_id,
                                     const sim::Distribution& reaction,
                                     std::optional<sim::Tick> cancel_after) {
  detail::CompletionState& cs = *completion_;
  const RequestResult result = open_request(id, CompletionMode::message, cause, cancel_after);
  if (!result.accepted()) return result;
  release_resources(id);  // the caller is released once the message is left
  Call& c = calls_[id];
  c.message = true;
  Request& r = cs.pool[c.request];
  r.state = RequestState::message_waiting;
  r.message_id = message_id;
  r.reaction = reaction;
  cs.pool.push_back(cs.callee_queues(c.info.callee).message, c.request, &Request::queue_links);
  r.in_queue = true;
  mark_address_freed(c.info.callee);  // if the callee is idle now, its reaction starts now
  return result;
}

RequestResult Network::intrude(CallSlot id) {
  detail::CompletionState& cs = *completion_;
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  const std::uint32_t exchange = populations_[rel.to].exchange;
  if (!cs.track_connected) {
    throw std::logic_error(
        "intrude() from a policy type that does not declare the intrude mode: declare "
        "PolicyType::mode = CompletionMode::intrude, so that the network keeps track of the "
        "connected calls an intrusion can join");
  }
  // A line that rings or is reserved for a recall is no call to join.
  if (!has_connected_call(c.info.callee) ||
      cs.busy_bridges[exchange] >= spec_.exchanges[exchange].completion.bridges) {
    announce_policy(c, RequestEvent::refused_no_bridge);
    return {0, Refusal::no_bridge};
  }
  ++cs.busy_bridges[exchange];
  c.bridge_exchange = exchange;
  release_callee_line(c);
  // Caller line, circuits and bridge are held for the intruder's own holding time.
  schedule_call_event(id, c.holding, ev_call_end, sim::Priority::release);
  return {0, Refusal::none};
}

// ---- timers -------------------------------------------------------------------

void Network::on_request_timer(sim::EventKind kind, std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  if (kind == ev_cancel_request) {
    r.cancel = sim::EventHandle{};
    announce(slot, RequestEvent::cancelled);
    end_call(r.call, CallOutcome::cancelled);
    return;
  }
  r.timer = sim::EventHandle{};
  switch (kind) {
    case ev_patience_over:
      announce(slot, RequestEvent::abandoned);
      end_call(r.call, CallOutcome::abandoned);
      return;
    case ev_callback_expired:
      announce(slot, RequestEvent::expired);
      end_call(r.call, CallOutcome::expired);
      return;
    case ev_recall_unanswered:
      announce(slot, RequestEvent::recall_failed);
      end_call(r.call, CallOutcome::recall_failed);
      return;
    case ev_recall_answered:
      recall_answered(slot);
      return;
    case ev_reaction_over:
      // Returned by the service pass, with the other messages due at this
      // instant, earliest left first (as soon as the callee is idle).
      r.state = RequestState::message_due;
      mark_address_freed(calls_[r.call].info.callee);
      return;
    default:
      throw std::logic_error("unknown request timer");
  }
}

// ---- what serving does ------------------------------------------------------------

void Network::seize_chain(const std::vector<TrunkGroupId>& chain, std::uint32_t bandwidth) {
  for (const TrunkGroupId g : chain) {
    TrunkGroup& group = groups_[g];
    group.busy += bandwidth;
    if (observer_ != nullptr) observer_->circuits_changed(g, group.busy, now());
  }
}

void Network::grant_trunk_camper(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  cs.pool.unlink(cs.trunk_queues[r.trunk_queue].list, slot, &Request::queue_links);
  r.in_queue = false;
  const CallSlot id = r.call;
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  seize_chain(rel.route->alternatives.front(), rel.bandwidth);
  c.alternative = 0;
  c.route_held = rel.route;
  // On to the callee as any attempt goes: a free line rings under the
  // relation's answer model; a busy callee makes it camp on there under the
  // same request (`when` and `queue_limit` are not checked again).
  if (seize_line(rel.to, c.info.callee)) {
    c.holds_callee_line = true;
    announce(slot, RequestEvent::callee_free);
    close_request(id, RequestEnd::served);  // camp-on lasts while waiting
    ring(id);
    return;
  }
  r.state = RequestState::camped_on_callee;
  cs.pool.push_back(cs.callee_queues(c.info.callee).campon, slot, &Request::queue_links);
  r.in_queue = true;
}

void Network::connect_camped(CallSlot id) {
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  if (!seize_line(rel.to, c.info.callee))
    throw std::logic_error("camp-on served without a free line");
  c.holds_callee_line = true;
  close_request(id, RequestEnd::served);  // camp-on lasts while waiting
  connect(id);                            // no answer model: the camped call connects at once
}

void Network::start_recall(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  Call& c = calls_[r.call];
  const Relation& rel = relations_[c.info.relation];
  // Out of the queues; expiry and cancellation no longer run once the caller is recalled.
  withdraw(slot);
  r.state = RequestState::recalling;
  // The callee's line is reserved while the caller's phone rings.
  seize_line(rel.to, c.info.callee);
  c.holds_callee_line = true;
  seize_line(rel.from, c.info.caller);
  c.holds_caller_line = true;
  ++c.info.attempts;
  announce(slot, RequestEvent::callee_free);
  announce(slot, RequestEvent::recalled);
  sim::RandomStream& rng = policies_[r.policy].random;
  const AnswerSpec& a = r.recall_answer;
  const bool answered = rng.bernoulli(a.probability);
  const sim::Tick delay = answered ? sim::to_ticks(a.delay.sample(rng)) : 0;
  const sim::Tick timeout = a.timeout ? sim::to_ticks(*a.timeout) : sim::never;
  if (answered && delay < timeout) {
    r.timer = scheduler_.schedule_cancellable_after(delay, ev_recall_answered, slot);
  } else {
    // An unanswered recall frees both reserved lines: a release.
    r.timer = scheduler_.schedule_cancellable_after(
        timeout == sim::never ? 0 : timeout, ev_recall_unanswered, slot, sim::Priority::release);
  }
}

void Network::recall_answered(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  const CallSlot id = cs.pool[slot].call;
  announce(slot, RequestEvent::recall_answered);
  Call& c = calls_[id];
  c.final_attempt = true;
  close_request(id, RequestEnd::served);  // a callback lasts until its call is set up again
  // Set up again from the reserved callee line: routing and the callee's
  // answer model apply; any failure now clears the call.
  const Relation& rel = relations_[c.info.relation];
  if (rel.route != nullptr && !seize_route(id, *rel.route, rel.bandwidth)) {
    fail(id, FailureCause::congestion);
    return;
  }
  ring(id);
}

void Network::return_message(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  const CallSlot id = r.call;
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  withdraw(slot);
  r.state = RequestState::returning;
  announce(slot, RequestEvent::message_returned);
  c.final_attempt = true;
  ++c.info.attempts;
  // The callee calls back: its line, the route from its exchange to the
  // caller's, then the caller's line and the caller's answer.
  seize_line(rel.to, c.info.callee);
  c.holds_callee_line = true;
  const std::uint32_t from_ex = populations_[rel.to].exchange;
  const std::uint32_t to_ex = populations_[rel.from].exchange;
  if (from_ex != to_ex) {
    const std::uint32_t idx = route_index_[from_ex * spec_.exchanges.size() + to_ex];
    if (!seize_route(id, routes_[idx], rel.bandwidth)) {
      fail(id, FailureCause::congestion);
      return;
    }
  }
  if (!seize_line(rel.from, c.info.caller)) {
    fail(id, FailureCause::busy);
    return;
  }
  c.holds_caller_line = true;
  ring(id);
}

void Network::arm_callbacks_for(AddressId callee) {
  detail::CompletionState& cs = *completion_;
  if (!cs.may_have_entries(callee)) return;
  const auto it = cs.callee.find(callee);
  if (it == cs.callee.end() || it->second.callback.empty()) return;
  bool any = false;
  for (std::uint32_t s = it->second.callback.head; s != no_slot; s = cs.pool[s].queue_links.next) {
    if (!cs.pool[s].armed) {
      cs.pool[s].armed = true;
      any = true;
    }
  }
  if (any) mark_address_freed(callee);
}

}  // namespace telsim::models
