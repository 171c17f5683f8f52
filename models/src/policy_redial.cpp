#include <cmath>

#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// Repeated attempts (ITU-T E.500 series): the retrial queue. The caller
/// hangs up, waits `delay` and tries again with probability `persistence`.
class RedialPolicy final : public CompletionPolicy {
 public:
  explicit RedialPolicy(const PolicySpec& spec)
      : delay_(*spec.params.at("delay").distribution),
        persistence_(spec.params.at("persistence").number),
        max_attempts_(spec.params.at("max_attempts").count) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause) override {
    network.release_resources(id);
    if (max_attempts_ && network.call(id).attempts >= *max_attempts_) {
      network.end_call(id, CallOutcome::cleared);
      return;
    }
    if (!network.random(this->id()).bernoulli(persistence_)) {
      network.end_call(id, CallOutcome::cleared);
      return;
    }
    wait(network, id);
  }

  void timer_fired(CallControl& network, CallId id, std::uint8_t) override {
    // A caller whose lines are all busy (with other calls) waits another
    // delay; that wait is not an attempt.
    if (!network.caller_has_free_line(id)) {
      wait(network, id);
      return;
    }
    network.retry(id);
  }

 private:
  void wait(CallControl& network, CallId id) {
    const double seconds = delay_.sample(network.random(this->id()));
    network.start_timer(id, sim::to_ticks(seconds), 0);
  }

  sim::Distribution delay_;
  double persistence_;
  std::optional<std::uint64_t> max_attempts_;
};

}  // namespace

PolicyType redial_policy_type() {
  PolicyType t;
  t.name = "redial";
  t.description = "the caller tries again after a delay (ITU-T E.500 repeated attempts)";
  t.default_when = {FailureCause::congestion, FailureCause::busy, FailureCause::no_answer};

  ParamDecl delay;
  delay.name = "delay";
  delay.kind = ParamKind::distribution;
  delay.default_value.kind = ParamKind::distribution;
  delay.default_value.distribution = sim::Distribution::exponential(60.0);
  delay.default_text = "exponential 60";
  delay.help = "time from a failure to the next attempt, seconds";

  ParamDecl persistence;
  persistence.name = "persistence";
  persistence.kind = ParamKind::number;
  persistence.min = 0.0;
  persistence.max = 1.0;
  persistence.default_value.kind = ParamKind::number;
  persistence.default_value.number = 1.0;
  persistence.default_text = "1.0";
  persistence.help = "probability of trying again after each failure";

  ParamDecl max_attempts;
  max_attempts.name = "max_attempts";
  max_attempts.kind = ParamKind::count;
  max_attempts.min = 1.0;
  max_attempts.max = 1e9;
  max_attempts.allow_unlimited = true;
  max_attempts.default_value.kind = ParamKind::count;
  max_attempts.default_value.count = std::nullopt;
  max_attempts.default_text = "unlimited";
  max_attempts.help = "attempts in all, the first included";

  t.params = {delay, persistence, max_attempts};
  t.create = [](const PolicySpec& spec) { return std::make_unique<RedialPolicy>(spec); };
  return t;
}

}  // namespace telsim::models
