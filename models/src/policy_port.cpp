#include "policy_port.hpp"

#include <stdexcept>
#include <string>

#include "completion_state.hpp"

namespace telsim::models {

const Network::Call& Network::known_call(CallId id) const {
  if (id.slot >= calls_.size() || calls_[id.slot].generation != id.generation) [[unlikely]] {
    throw std::logic_error("stale call ID (slot " + std::to_string(id.slot) + ", generation " +
                           std::to_string(id.generation) +
                           "): the call ended and its slot was reused; a policy must forget a "
                           "call's ID when its call ends (call_ended)");
  }
  return calls_[id.slot];
}

Network::Call& Network::live_call(CallId id) {
  const Call& c = known_call(id);
  if (c.ended) [[unlikely]] {
    throw std::logic_error("call (slot " + std::to_string(id.slot) + ", generation " +
                           std::to_string(id.generation) +
                           ") has ended: a policy may read it in call_ended, not act on it");
  }
  return calls_[id.slot];
}

namespace detail {

CallSlot PolicyPort::live(CallId id) const {
  net_.live_call(id);
  return id.slot;
}

sim::Tick PolicyPort::now() const {
  return net_.now();
}
const CallInfo& PolicyPort::call(CallId id) const {
  return net_.known_call(id).info;
}
bool PolicyPort::is_live(CallId id) const {
  return id.slot < net_.calls_.size() && net_.calls_[id.slot].generation == id.generation &&
         !net_.calls_[id.slot].ended;
}
sim::RandomStream& PolicyPort::random() {
  return net_.policies_[policy_].random;
}
void PolicyPort::end_call(CallId id, CallOutcome outcome) {
  net_.end_call(live(id), outcome);
}
void PolicyPort::release_resources(CallId id) {
  net_.release_resources(live(id));
}
void PolicyPort::retry(CallId id) {
  net_.attempt(live(id));
}
bool PolicyPort::caller_has_free_line(CallId id) const {
  return net_.caller_has_free_line(live(id));
}
bool PolicyPort::address_idle(AddressId address) const {
  if (address >= net_.busy_lines_.size())
    throw std::logic_error("address " + std::to_string(address) + " does not exist");
  return net_.address_idle(address);
}
TimerId PolicyPort::start_timer(CallId id, sim::Tick delay, std::uint32_t tag) {
  return net_.start_timer(live(id), policy_, delay, tag);
}
bool PolicyPort::cancel_timer(TimerId timer) {
  return net_.cancel_timer(timer);
}
void PolicyPort::hand_to_fallback(CallId id, FailureCause cause) {
  net_.hand_to_fallback(live(id), cause);
}
void PolicyPort::decline(CallId id, FailureCause cause) {
  const CallSlot slot = live(id);
  net_.refuse(slot, RequestEvent::refused_cause);
  net_.hand_to_fallback(slot, cause);
}
void PolicyPort::watch_idle(CallId id, AddressId address) {
  const CallSlot slot = live(id);
  if (address >= net_.busy_lines_.size())
    throw std::logic_error("address " + std::to_string(address) + " does not exist");
  net_.watch_idle(slot, policy_, address);
}
RequestResult PolicyPort::camp_on(CallId id, FailureCause cause, std::optional<sim::Tick> patience,
                                  std::optional<std::uint64_t> queue_limit,
                                  std::optional<sim::Tick> cancel_after) {
  return net_.camp_on(live(id), cause, patience, queue_limit, cancel_after);
}
RequestResult PolicyPort::request_callback(CallId id, FailureCause cause, sim::Tick expiry,
                                           const AnswerSpec& recall_answer,
                                           std::optional<sim::Tick> cancel_after) {
  return net_.request_callback(live(id), cause, expiry, recall_answer, cancel_after);
}
RequestResult PolicyPort::leave_message(CallId id, FailureCause cause, std::uint32_t message_id,
                                        const sim::Distribution& reaction,
                                        std::optional<sim::Tick> cancel_after) {
  return net_.leave_message(live(id), cause, message_id, reaction, cancel_after);
}
RequestResult PolicyPort::intrude(CallId id) {
  return net_.intrude(live(id));
}
bool PolicyPort::cancel_request(RequestId request) {
  return net_.cancel_request(request);
}
RequestId PolicyPort::request_of(CallId id) const {
  return net_.request_of(live(id));
}
std::optional<RequestInfo> PolicyPort::request(RequestId request) const {
  return net_.request_info(request);
}

}  // namespace detail
}  // namespace telsim::models
