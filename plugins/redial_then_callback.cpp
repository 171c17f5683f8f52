// The example plug-in: one completion-policy type, `redial_then_callback`.
//
// What callers do in practice before a network offers them anything: try
// again a couple of times, and only then ask to be called back. After a
// failed attempt the caller hangs up and redials after `delay`, up to
// `attempts` attempts in all (the first included). When those are used up on
// `busy` or `no_answer` it asks for a callback (TAPI LINECALLCOMPLMODE_CALLBACK,
// with its own `expiry` and `recall_answer`); on `congestion`, which a
// callback cannot help, or when the callback is refused (max_per_address),
// the call goes to the policy's `fallback`.
//
// Its TAPI mode is callback, so an exchange whose `completion.modes` lacks
// callback refuses the whole policy (outcome `unsupported`) and the fallback
// acts from the first failure on.
//
// Built as a MODULE library linking only telsim_sim (for Distribution's
// sampler); everything else it touches is either header-only data or a
// virtual call back into the host through CallControl.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/param_decls.hpp"
#include "telsim/models/plugin_api.hpp"
#include "telsim/models/policy_registry.hpp"

namespace {

using telsim::models::CallControl;
using telsim::models::CallId;
using telsim::models::FailureCause;
using telsim::models::PolicySpec;
namespace models = telsim::models;
namespace sim = telsim::sim;

class RedialThenCallback final : public models::CompletionPolicy {
 public:
  explicit RedialThenCallback(const PolicySpec& spec)
      : attempts_(spec.params.at("attempts").count.value_or(1)),
        delay_(*spec.params.at("delay").distribution),
        expiry_(spec.params.at("expiry").expiry),
        recall_answer_(spec.params.at("recall_answer").answer) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (network.call(id).attempts < attempts_) {
      network.release_resources(id);  // the caller hangs up and tries again later
      wait(network, id);
      return;
    }
    if (cause == FailureCause::congestion) {  // a callback needs to reach the callee
      network.decline(id, cause);
      return;
    }
    const sim::Tick expiry = sim::to_ticks(expiry_[static_cast<std::size_t>(cause)]);
    if (!network.request_callback(id, cause, expiry, recall_answer_, std::nullopt).accepted()) {
      network.hand_to_fallback(id, cause);
    }
  }

  void timer_fired(CallControl& network, CallId id, std::uint32_t) override {
    // As with `redial`: a caller whose lines are all busy with other calls
    // waits another delay, and that wait is not an attempt.
    if (!network.caller_has_free_line(id)) {
      wait(network, id);
      return;
    }
    network.retry(id);
  }

 private:
  void wait(CallControl& network, CallId id) {
    network.start_timer(id, sim::to_ticks(delay_.sample(network.random())), 0);
  }

  std::uint64_t attempts_;
  sim::Distribution delay_;
  std::array<double, models::failure_cause_count> expiry_;
  models::AnswerSpec recall_answer_;
};

models::AnswerSpec recall_answer(double timeout) {
  models::AnswerSpec a;
  a.probability = 1.0;
  a.timeout = timeout;
  return a;
}

void register_types(models::PluginRegistrar& registrar) {
  models::PolicyType t;
  t.name = "redial_then_callback";
  t.description =
      "the caller redials a few times, then asks for a callback (busy, no answer) or hands the "
      "call to its fallback (congestion, callback refused)";
  t.mode = models::CompletionMode::callback;
  t.default_when = {FailureCause::congestion, FailureCause::busy, FailureCause::no_answer};
  t.params = {
      models::params::count_param("attempts", 3, 1.0, 1e9, false,
                                  "attempts before asking for a callback, the first included"),
      models::params::distribution_param("delay", sim::Distribution::exponential(30.0),
                                         "exponential 30", false,
                                         "time from a failure to the next attempt, seconds"),
      models::params::expiry_param("expiry", 1800.0,
                                   "seconds before an unserved callback request expires; a number "
                                   "or a map {congestion, busy, no_answer}"),
      models::params::answer_param("recall_answer", recall_answer(20.0),
                                   "{probability: 1, delay: 0, timeout: 20}",
                                   "how the caller answers the recall"),
  };
  t.create = [](const PolicySpec& spec) -> std::unique_ptr<models::CompletionPolicy> {
    return std::make_unique<RedialThenCallback>(spec);
  };
  registrar.add(std::move(t));
}

}  // namespace

TELSIM_PLUGIN("redial-then-callback",
              "redial a few times, then ask for a callback (policy type redial_then_callback)",
              register_types);
