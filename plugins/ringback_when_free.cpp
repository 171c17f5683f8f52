// The second example plug-in: `ringback_when_free`, a completion the caller's
// own terminal provides rather than the network. It shows the life-cycle
// hooks of plug-in ABI version 2.
//
// On a busy callee the caller hangs up and its terminal watches the callee's
// line (watch_idle, as Asterisk's generic CC agent watches device state). The
// moment the callee is idle the terminal redials at once (if its own line is
// busy then, it first waits for that to be idle). A redial that meets a busy
// callee again counts as one refusal; after `max_refusals` of them the caller
// gives up (`cleared`). `expiry` after the first failure it gives up too
// (`expired`). Congestion and no answer are not its business: it declines
// them (LINEERR_INVALCALLSTATE), and the policy's `fallback` takes over.
//
// It makes no network request (no TAPI mode, nothing counted against
// max_per_address): the network only tells it when an address is idle. Its
// per-call state lives in the policy, keyed by CallId, and goes when the
// network says the call ended (call_ended), however it ended; the expiry is
// a timer of the call, which the network cancels when the call ends.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/param_decls.hpp"
#include "telsim/models/plugin_api.hpp"
#include "telsim/models/policy_registry.hpp"

namespace {

namespace models = telsim::models;
namespace sim = telsim::sim;
using models::CallControl;
using models::CallId;
using models::FailureCause;

constexpr std::uint32_t expiry_tag = 0x45585052;  // "EXPR": tags come back whole

class RingbackWhenFree final : public models::CompletionPolicy {
 public:
  explicit RingbackWhenFree(const models::PolicySpec& spec)
      : max_refusals_(spec.params.at("max_refusals").count.value_or(1)),
        expiry_(spec.params.at("expiry").distribution) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (cause != FailureCause::busy) {  // only a busy line can become free
      network.decline(id, cause);
      return;
    }
    auto [it, first] = watching_.try_emplace(key(id));
    if (first) {
      if (expiry_) {
        network.start_timer(id, sim::to_ticks(expiry_->sample(network.random())), expiry_tag);
      }
    } else if (++it->second.refusals >= max_refusals_) {
      network.end_call(id, models::CallOutcome::cleared);  // call_ended forgets it
      return;
    }
    network.release_resources(id);  // the caller hangs up and waits
    network.watch_idle(id, network.call(id).callee);
  }

  void address_idle(CallControl& network, CallId id, models::AddressId) override {
    if (!network.caller_has_free_line(id)) {
      // Busy with another call of its own: redial once that is over.
      network.watch_idle(id, network.call(id).caller);
      return;
    }
    network.retry(id);
  }

  void timer_fired(CallControl& network, CallId id, std::uint32_t tag) override {
    if (tag == expiry_tag) network.end_call(id, models::CallOutcome::expired);
  }

  void call_ended(CallControl&, CallId id, models::CallOutcome) override {
    watching_.erase(key(id));
  }

 private:
  struct Watch {
    std::uint64_t refusals = 0;
  };
  static std::pair<std::uint32_t, std::uint32_t> key(CallId id) { return {id.slot, id.generation}; }

  std::uint64_t max_refusals_;
  std::optional<sim::Distribution> expiry_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Watch> watching_;
};

void register_types(models::PluginRegistrar& registrar) {
  models::PolicyType t;
  t.name = "ringback_when_free";
  t.description =
      "the caller's terminal watches the busy callee and redials the moment it is idle, giving "
      "up after max_refusals busy redials or at expiry";
  t.default_when = {FailureCause::busy};
  t.params = {
      models::params::count_param("max_refusals", 3, 1.0, 1e9, false,
                                  "busy redials before the caller gives up (cleared)"),
      models::params::distribution_param("expiry", sim::Distribution::deterministic(1800.0), "1800",
                                         true,
                                         "from the first failure to giving up (expired), seconds"),
  };
  t.create = [](const models::PolicySpec& spec) -> std::unique_ptr<models::CompletionPolicy> {
    return std::make_unique<RingbackWhenFree>(spec);
  };
  registrar.add(std::move(t));
}

}  // namespace

TELSIM_PLUGIN("ringback-when-free",
              "redial the moment a busy callee is idle (policy type ringback_when_free)",
              register_types);
