#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// LINECALLCOMPLMODE_MESSAGE: leave a predefined message; the callee returns
/// the call once idle, after its reaction time.
class MessagePolicy final : public CompletionPolicy {
 public:
  explicit MessagePolicy(const PolicySpec& spec)
      : message_id_(static_cast<std::uint32_t>(spec.params.at("message_id").count.value_or(0))),
        reaction_(*spec.params.at("reaction").distribution),
        cancel_after_(spec.params.at("cancel_after").distribution) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (cause == FailureCause::congestion) {  // the message cannot reach the callee's exchange
      network.decline(id, cause);
      return;
    }
    const auto cancel_after = detail::sample_cancel_after(cancel_after_, network.random());
    if (!network.leave_message(id, cause, message_id_, reaction_, cancel_after).accepted()) {
      network.hand_to_fallback(id, cause);
    }
  }

 private:
  std::uint32_t message_id_;
  sim::Distribution reaction_;
  std::optional<sim::Distribution> cancel_after_;
};

}  // namespace

PolicyType message_policy_type() {
  PolicyType t;
  t.name = "message";
  t.description = "leave a predefined message; the callee returns the call once idle";
  t.mode = CompletionMode::message;
  t.default_when = {FailureCause::busy, FailureCause::no_answer};
  t.params = {
      detail::count_param("message_id", 0, 0.0, 1e9, false,
                          "predefined message left (below the caller exchange's `messages`)"),
      detail::distribution_param("reaction", sim::Distribution::exponential(300.0),
                                 "exponential 300", false,
                                 "from the callee being idle to its return call, seconds"),
      detail::cancel_after_param(),
  };
  t.create = [](const PolicySpec& spec) { return std::make_unique<MessagePolicy>(spec); };
  return t;
}

}  // namespace telsim::models
