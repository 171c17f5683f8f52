#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// LINECALLCOMPLMODE_CAMPON: wait at the busy callee (keeping caller line and
/// circuits) or for the first alternative's circuits (keeping the caller line).
class CamponPolicy final : public CompletionPolicy {
 public:
  explicit CamponPolicy(const PolicySpec& spec)
      : patience_(spec.params.at("patience").distribution),
        queue_limit_(spec.params.at("queue_limit").count),
        cancel_after_(spec.params.at("cancel_after").distribution) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (cause == FailureCause::no_answer) {  // nothing to wait for
      network.decline(id, cause);
      return;
    }
    std::optional<sim::Tick> patience;
    if (patience_) patience = detail::sample_ticks(*patience_, network.random());
    const auto cancel_after = detail::sample_cancel_after(cancel_after_, network.random());
    if (!network.camp_on(id, cause, patience, queue_limit_, cancel_after).accepted()) {
      network.hand_to_fallback(id, cause);
    }
  }

 private:
  std::optional<sim::Distribution> patience_;
  std::optional<std::uint64_t> queue_limit_;
  std::optional<sim::Distribution> cancel_after_;
};

}  // namespace

PolicyType campon_policy_type() {
  PolicyType t;
  t.name = "campon";
  t.description = "wait at the busy callee or for a circuit, connecting the moment one frees";
  t.mode = CompletionMode::campon;
  t.default_when = {FailureCause::busy, FailureCause::congestion};
  t.params = {
      detail::distribution_param("patience", std::nullopt, "unlimited", true,
                                 "how long a caller waits before abandoning, seconds"),
      detail::count_param("queue_limit", std::nullopt, 1.0, 1e9, true,
                          "calls waiting in one queue at most; one more is rejected"),
      detail::cancel_after_param(),
  };
  t.create = [](const PolicySpec& spec) { return std::make_unique<CamponPolicy>(spec); };
  return t;
}

}  // namespace telsim::models
