#include <array>

#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// LINECALLCOMPLMODE_CALLBACK (ETSI CCBS/CCNR): the caller hangs up and is
/// recalled when caller and callee are both idle.
class CallbackPolicy final : public CompletionPolicy {
 public:
  explicit CallbackPolicy(const PolicySpec& spec)
      : expiry_(spec.params.at("expiry").expiry),
        recall_answer_(spec.params.at("recall_answer").answer),
        cancel_after_(spec.params.at("cancel_after").distribution) {}

  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (cause == FailureCause::congestion) {  // a callback needs to reach the callee
      network.decline(id, cause);
      return;
    }
    const sim::Tick expiry = sim::to_ticks(expiry_[static_cast<std::size_t>(cause)]);
    const auto cancel_after = detail::sample_cancel_after(cancel_after_, network.random());
    if (!network.request_callback(id, cause, expiry, recall_answer_, cancel_after).accepted()) {
      network.hand_to_fallback(id, cause);
    }
  }

 private:
  std::array<double, failure_cause_count> expiry_;
  AnswerSpec recall_answer_;
  std::optional<sim::Distribution> cancel_after_;
};

AnswerSpec recall_answer(double timeout) {
  AnswerSpec a;
  a.probability = 1.0;
  a.timeout = timeout;
  return a;
}

ParamValue expiry_value(double busy, double no_answer) {
  ParamValue v;
  v.kind = ParamKind::expiry;
  v.expiry = {2700.0, busy, no_answer};
  return v;
}

ParamValue answer_value(const AnswerSpec& a) {
  ParamValue v;
  v.kind = ParamKind::answer;
  v.answer = a;
  return v;
}

}  // namespace

PolicyType callback_policy_type() {
  PolicyType t;
  t.name = "callback";
  t.description =
      "the caller hangs up and is recalled when caller and callee are both idle (CCBS/CCNR)";
  t.mode = CompletionMode::callback;
  t.default_when = {FailureCause::busy, FailureCause::no_answer};
  t.params = {
      detail::expiry_param("expiry", 2700.0,
                           "seconds before an unserved request expires; a number or a map "
                           "{congestion, busy, no_answer}"),
      detail::answer_param("recall_answer", recall_answer(20.0),
                           "{probability: 1, delay: 0, timeout: 20}",
                           "how the caller answers the recall"),
      detail::cancel_after_param(),
  };
  t.create = [](const PolicySpec& spec) { return std::make_unique<CallbackPolicy>(spec); };
  return t;
}

void register_callback_presets(PolicyRegistry& registry) {
  const ParamValue recall20 = answer_value(recall_answer(20.0));
  registry.add_preset(PolicyPreset{
      "ccbs-etsi",
      "callback",
      {{"expiry", expiry_value(2700.0, 2700.0)}, {"recall_answer", recall20}},
      std::vector<FailureCause>{FailureCause::busy},
      "ETSI CCBS (EN 300 359-1): T-CCBS2 service duration 45 min, T-CCBS3 recall timer 20 s"});
  registry.add_preset(PolicyPreset{
      "ccnr-etsi",
      "callback",
      {{"expiry", expiry_value(10800.0, 10800.0)}, {"recall_answer", recall20}},
      std::vector<FailureCause>{FailureCause::no_answer},
      "ETSI CCNR (EN 301 134-1): T-CCNR2 service duration 180 min, recall timer 20 s"});
  registry.add_preset(PolicyPreset{
      "asterisk-ccss",
      "callback",
      {{"expiry", expiry_value(4800.0, 7200.0)}, {"recall_answer", recall20}},
      std::vector<FailureCause>{FailureCause::busy, FailureCause::no_answer},
      "Asterisk ccss.conf defaults: ccbs_available_timer 4800 s, ccnr_available_timer 7200 s, "
      "cc_recall_timer 20 s"});
}

}  // namespace telsim::models
