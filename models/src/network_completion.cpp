// The network's side of completion requests (SPEC §3 "Completion policies"):
// creating and closing requests, the callee and trunk queues, camp-on,
// callback recalls, message returns, intrusion, and the service pass that
// runs after every event that freed lines or circuits.
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
    case RequestEvent::refused:
      return "refused";
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

void Network::announce(std::uint32_t slot, RequestEvent e) {
  if (observer_ == nullptr) return;
  const Request& r = completion_->pool[slot];
  observer_->request_event(r.policy, e, r.measured, scheduler_.now());
}

RequestResult Network::open_request(CallId id, CompletionMode mode, FailureCause cause) {
  detail::CompletionState& cs = *completion_;
  Call& c = calls_[id];
  if (c.request != no_index)
    throw std::logic_error("a call holds one completion request at a time");
  const auto exchange = populations_[relations_[c.info.relation].from].exchange;
  const auto& limit = spec_.exchanges[exchange].completion.max_per_address;
  std::uint32_t& outstanding = cs.outstanding[c.info.caller];
  if (limit && outstanding >= *limit) {
    if (outstanding == 0) cs.outstanding.erase(c.info.caller);  // a limit of 0: keep no entry
    c.rejected = true;
    if (observer_ != nullptr)
      observer_->request_event(c.policy, RequestEvent::refused, c.measured, now());
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
  c.request = slot;
  c.made_request = true;
  if (c.measured) c.max_outstanding_requests = std::max(c.max_outstanding_requests, outstanding);
  announce(slot, RequestEvent::requested);
  return {r.id, Refusal::none};
}

void Network::withdraw(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  const Call& c = calls_[r.call];
  if (r.in_queue) {
    if (r.state == RequestState::camped_on_trunk) {
      cs.pool.unlink(cs.trunk_queues[r.trunk_queue].list, slot, &Request::queue_links);
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
  // Empty per-address entries go, so the maps stay bounded by what is outstanding.
  cs.release_entries(c.info.callee);
  cs.release_entries(c.info.caller);
}

void Network::close_request(CallId id) {
  Call& c = calls_[id];
  if (c.request == no_index) return;
  detail::CompletionState& cs = *completion_;
  withdraw(c.request);
  const auto it = cs.outstanding.find(c.info.caller);
  if (--it->second == 0) cs.outstanding.erase(it);
  cs.pool.release(c.request);
  c.request = no_index;
}

RequestId Network::request_of(CallId id) const {
  const Call& c = calls_[id];
  return c.request == no_index ? 0 : completion_->pool[c.request].id;
}

bool Network::cancel_request(RequestId request, CallOutcome outcome) {
  if (!completion_) return false;
  const auto slot = completion_->pool.find(request);
  if (!slot) return false;
  const CallId id = completion_->pool[*slot].call;
  announce(*slot, outcome == CallOutcome::abandoned       ? RequestEvent::abandoned
                  : outcome == CallOutcome::expired       ? RequestEvent::expired
                  : outcome == CallOutcome::recall_failed ? RequestEvent::recall_failed
                                                          : RequestEvent::cancelled);
  end_call(id, outcome);
  return true;
}

// ---- the four modes ---------------------------------------------------------

RequestResult Network::camp_on(CallId id, FailureCause cause, std::optional<sim::Tick> patience,
                               std::optional<std::uint64_t> queue_limit) {
  detail::CompletionState& cs = *completion_;
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  detail::FifoList* queue = nullptr;
  std::uint32_t trunk_queue = no_slot;
  if (cause == FailureCause::busy) {
    queue = &cs.callee_queues(c.info.callee).campon;
  } else if (cause == FailureCause::congestion && rel.route != nullptr) {
    const auto& chain = rel.route->alternatives.front();
    auto [it, added] = cs.trunk_queue_of_chain.try_emplace(
        chain, static_cast<std::uint32_t>(cs.trunk_queues.size()));
    if (added) {
      cs.trunk_queues.push_back(detail::TrunkQueue{chain, {}});
      for (const TrunkGroupId g : chain) cs.queues_of_group[g].push_back(it->second);
    }
    trunk_queue = it->second;
    queue = &cs.trunk_queues[trunk_queue].list;
  } else {
    throw std::logic_error("camp-on acts on busy or congestion only");
  }
  if (queue_limit && queue->size >= *queue_limit) {
    c.rejected = true;
    if (observer_ != nullptr)
      observer_->request_event(c.policy, RequestEvent::refused, c.measured, now());
    cs.release_entries(c.info.callee);  // a limit of 0 leaves an empty entry behind
    return {0, Refusal::queue_full};
  }
  const RequestResult result = open_request(id, CompletionMode::campon, cause);
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
  if (patience)
    r.timer = scheduler_.schedule_cancellable_after(*patience, ev_patience_over, c.request);
  return result;
}

RequestResult Network::request_callback(CallId id, FailureCause cause, sim::Tick expiry,
                                        const AnswerSpec& recall_answer) {
  if (cause == FailureCause::congestion)
    throw std::logic_error("callback acts on busy or no_answer only");
  detail::CompletionState& cs = *completion_;
  const RequestResult result = open_request(id, CompletionMode::callback, cause);
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
  r.timer = scheduler_.schedule_cancellable_after(expiry, ev_callback_expired, c.request);
  // The callee may have another free line already (a hunt group).
  mark_address_freed(c.info.callee);
  return result;
}

RequestResult Network::leave_message(CallId id, std::uint32_t, const sim::Distribution& reaction) {
  detail::CompletionState& cs = *completion_;
  const auto cause = static_cast<FailureCause>(std::max<std::int8_t>(0, calls_[id].first_failure));
  const RequestResult result = open_request(id, CompletionMode::message, cause);
  if (!result.accepted()) return result;
  release_resources(id);  // the caller is released once the message is left
  Call& c = calls_[id];
  c.message = true;
  Request& r = cs.pool[c.request];
  r.state = RequestState::message_waiting;
  r.reaction = reaction;
  cs.pool.push_back(cs.callee_queues(c.info.callee).message, c.request, &Request::queue_links);
  r.in_queue = true;
  mark_address_freed(c.info.callee);  // if the callee is idle now, its reaction starts now
  return result;
}

bool Network::intrude(CallId id) {
  detail::CompletionState& cs = *completion_;
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  const std::uint32_t exchange = populations_[rel.to].exchange;
  if (cs.busy_bridges[exchange] >= spec_.exchanges[exchange].completion.bridges) return false;
  ++cs.busy_bridges[exchange];
  c.bridge_exchange = exchange;
  release_callee_line(c);
  // Caller line, circuits and bridge are held for the intruder's own holding time.
  schedule_call_event(id, c.holding, ev_call_end, sim::Priority::release);
  return true;
}

// ---- timers -------------------------------------------------------------------

void Network::on_request_timer(sim::EventKind kind, std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
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
    case ev_reaction_over: {
      const AddressId callee = calls_[r.call].info.callee;
      if (address_idle(callee)) {
        return_message(slot);
      } else {
        r.state = RequestState::message_due;  // returned as soon as the callee is idle again
      }
      return;
    }
    default:
      throw std::logic_error("unknown request timer");
  }
}

// ---- service --------------------------------------------------------------------

void Network::mark_address_freed(AddressId address) {
  if (completion_) completion_->freed_addresses.push_back(address);
}

void Network::mark_group_freed(TrunkGroupId group) {
  if (completion_ && !completion_->queues_of_group[group].empty()) {
    completion_->freed_groups.push_back(group);
  }
}

void Network::serve_pending() {
  detail::CompletionState& cs = *completion_;
  if (cs.serving) return;  // the pass in progress will see what this freed
  cs.serving = true;
  // A freed callee line serves its own queues before any trunk queue (SPEC §3).
  std::size_t next_address = 0;
  std::size_t next_group = 0;
  while (next_address < cs.freed_addresses.size() || next_group < cs.freed_groups.size()) {
    if (next_address < cs.freed_addresses.size()) {
      serve_address(cs.freed_addresses[next_address++]);
    } else {
      serve_group(cs.freed_groups[next_group++]);
    }
  }
  cs.freed_addresses.clear();
  cs.freed_groups.clear();
  cs.serving = false;
  for (const AddressId a : cs.maybe_empty) cs.erase_if_empty(a);
  cs.maybe_empty.clear();
}

void Network::serve_address(AddressId address) {
  detail::CompletionState& cs = *completion_;
  // Performance: most freed addresses have no queue and no callback list;
  // one bit per address says so without two hash lookups.
  if (!cs.may_have_entries(address)) return;
  const std::uint32_t pop = population_of(address);
  if (const auto it = cs.callee.find(address); it != cs.callee.end()) {
    // References into an unordered_map survive rehashing; iterators would not.
    detail::CalleeQueues& q = it->second;
    // 1. Camp-on calls, FIFO, each taking a line the moment it is free.
    while (!q.campon.empty() && has_free_line(pop, address)) {
      const std::uint32_t slot = q.campon.head;
      cs.pool.unlink(q.campon, slot, &Request::queue_links);
      cs.pool[slot].in_queue = false;
      cs.maybe_empty.push_back(address);
      announce(slot, RequestEvent::callee_free);
      connect_camped(cs.pool[slot].call);
    }
    // 2. Callback recalls, FIFO; a request whose caller is busy keeps its place.
    if (!q.callback.empty()) {
      for (const std::uint32_t slot :
           cs.pool.in_order(q.callback, &Request::queue_links, cs.scratch)) {
        if (!has_free_line(pop, address)) break;
        const Request& r = cs.pool[slot];
        if (r.armed && address_idle(calls_[r.call].info.caller)) start_recall(slot);
      }
    }
    // 3. Message returns, FIFO.
    if (!q.message.empty()) {
      for (const std::uint32_t slot :
           cs.pool.in_order(q.message, &Request::queue_links, cs.scratch)) {
        Request& r = cs.pool[slot];
        if (r.state == RequestState::message_waiting && has_free_line(pop, address)) {
          r.state = RequestState::message_reacting;
          announce(slot, RequestEvent::callee_free);
          const double reaction = r.reaction.sample(random(r.policy));
          r.timer = scheduler_.schedule_cancellable_after(sim::to_ticks(reaction), ev_reaction_over,
                                                          slot);
        } else if (r.state == RequestState::message_due && has_free_line(pop, address)) {
          return_message(slot);
        }
      }
    }
  }
  // The freed address may also be a caller whose callbacks wait for it.
  if (const auto it = cs.caller_callbacks.find(address); it != cs.caller_callbacks.end()) {
    for (const std::uint32_t slot :
         cs.pool.in_order(it->second, &Request::caller_links, cs.scratch)) {
      if (!has_free_line(pop, address)) break;
      const Request& r = cs.pool[slot];
      if (r.armed && address_idle(calls_[r.call].info.callee)) start_recall(slot);
    }
  }
}

void Network::serve_group(TrunkGroupId group) {
  detail::CompletionState& cs = *completion_;
  for (;;) {
    // Where queues share a group, the earliest-queued head goes first.
    std::uint32_t best = no_slot;
    for (const std::uint32_t q : cs.queues_of_group[group]) {
      const detail::TrunkQueue& tq = cs.trunk_queues[q];
      if (tq.list.empty()) continue;
      const bool usable = std::all_of(tq.chain.begin(), tq.chain.end(), [this](TrunkGroupId g) {
        return groups_[g].busy < groups_[g].circuits;  // camped calls are first-choice traffic
      });
      if (!usable) continue;
      if (best == no_slot || cs.pool[tq.list.head].queued_seq < cs.pool[best].queued_seq)
        best = tq.list.head;
    }
    if (best == no_slot) return;
    grant_trunk_camper(best);
  }
}

void Network::seize_chain(const std::vector<TrunkGroupId>& chain) {
  for (const TrunkGroupId g : chain) {
    TrunkGroup& group = groups_[g];
    ++group.busy;
    if (observer_ != nullptr) observer_->circuits_changed(g, group.busy, now());
  }
}

void Network::grant_trunk_camper(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  cs.pool.unlink(cs.trunk_queues[r.trunk_queue].list, slot, &Request::queue_links);
  r.in_queue = false;
  Call& c = calls_[r.call];
  const Relation& rel = relations_[c.info.relation];
  seize_chain(rel.route->alternatives.front());
  c.alternative = 0;
  c.route_held = rel.route;
  // On to the callee, camping on there under the same request if it is busy
  // (`when` and `queue_limit` are not checked again).
  if (address_idle(c.info.callee)) {
    announce(slot, RequestEvent::callee_free);
    connect_camped(r.call);
    return;
  }
  r.state = RequestState::camped_on_callee;
  cs.pool.push_back(cs.callee_queues(c.info.callee).campon, slot, &Request::queue_links);
  r.in_queue = true;
}

void Network::connect_camped(CallId id) {
  Call& c = calls_[id];
  const Relation& rel = relations_[c.info.relation];
  if (!seize_line(rel.to, c.info.callee))
    throw std::logic_error("camp-on served without a free line");
  c.holds_callee_line = true;
  close_request(id);  // camp-on lasts while waiting
  connect(id);        // no answer model: the camped call connects at once
}

void Network::start_recall(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  Call& c = calls_[r.call];
  const Relation& rel = relations_[c.info.relation];
  // Out of the queues; expiry no longer runs once the caller is recalled.
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
  sim::RandomStream& rng = random(r.policy);
  const AnswerSpec& a = r.recall_answer;
  const bool answered = rng.bernoulli(a.probability);
  const sim::Tick delay = answered ? sim::to_ticks(a.delay.sample(rng)) : 0;
  const sim::Tick timeout = a.timeout ? sim::to_ticks(*a.timeout) : sim::never;
  if (answered && delay < timeout) {
    r.timer = scheduler_.schedule_cancellable_after(delay, ev_recall_answered, slot);
  } else {
    r.timer = scheduler_.schedule_cancellable_after(timeout == sim::never ? 0 : timeout,
                                                    ev_recall_unanswered, slot);
  }
}

void Network::recall_answered(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  const CallId id = cs.pool[slot].call;
  announce(slot, RequestEvent::recall_answered);
  Call& c = calls_[id];
  c.final_attempt = true;
  close_request(id);  // a callback lasts until its call is set up again
  // Set up again from the reserved callee line: routing and the callee's
  // answer model apply; any failure now clears the call.
  const Relation& rel = relations_[c.info.relation];
  if (rel.route != nullptr && !seize_route(id, *rel.route)) {
    fail(id, FailureCause::congestion);
    return;
  }
  ring(id);
}

void Network::return_message(std::uint32_t slot) {
  detail::CompletionState& cs = *completion_;
  Request& r = cs.pool[slot];
  Call& c = calls_[r.call];
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
    if (!seize_route(r.call, routes_[idx])) {
      fail(r.call, FailureCause::congestion);
      return;
    }
  }
  if (!seize_line(rel.from, c.info.caller)) {
    fail(r.call, FailureCause::busy);
    return;
  }
  c.holds_caller_line = true;
  ring(r.call);
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
