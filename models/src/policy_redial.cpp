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
    if (!network.random().bernoulli(persistence_)) {
      network.end_call(id, CallOutcome::cleared);
      return;
    }
    wait(network, id);
  }

  void timer_fired(CallControl& network, CallId id, std::uint32_t) override {
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
    const double seconds = delay_.sample(network.random());
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

  t.params = {
      detail::distribution_param("delay", sim::Distribution::exponential(60.0), "exponential 60",
                                 false, "time from a failure to the next attempt, seconds"),
      detail::number_param("persistence", 1.0, 0.0, 1.0,
                           "probability of trying again after each failure"),
      detail::count_param("max_attempts", std::nullopt, 1.0, 1e9, true,
                          "attempts in all, the first included"),
  };
  t.create = [](const PolicySpec& spec) { return std::make_unique<RedialPolicy>(spec); };
  return t;
}

}  // namespace telsim::models
