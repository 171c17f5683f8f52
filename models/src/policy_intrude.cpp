#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// LINECALLCOMPLMODE_INTRUDE: join the busy callee's call through a bridge.
class IntrudePolicy final : public CompletionPolicy {
 public:
  void attempt_failed(CallControl& network, CallId id, FailureCause cause) override {
    if (cause != FailureCause::busy) {  // only a busy callee has a call to join
      network.decline(id, cause);
    } else if (!network.intrude(id).accepted()) {
      network.hand_to_fallback(id, cause);
    }
  }
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
