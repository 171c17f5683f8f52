#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// LINECALLCOMPLMODE_INTRUDE: join the busy callee's call through a bridge.
class IntrudePolicy final : public CompletionPolicy {
 public:
  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (cause != FailureCause::busy || !network.intrude(id)) network.hand_to_fallback(id, cause);
  }
  void timer_fired(CallControl&, CallId, std::uint8_t) override {}
};

}  // namespace

PolicyType intrude_policy_type() {
  PolicyType t;
  t.name = "intrude";
  t.description = "join the busy callee's call through a conference bridge at its exchange";
  t.mode = CompletionMode::intrude;
  t.default_when = {FailureCause::busy};
  t.create = [](const PolicySpec&) { return std::make_unique<IntrudePolicy>(); };
  return t;
}

}  // namespace telsim::models
