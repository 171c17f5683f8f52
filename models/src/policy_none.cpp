#include "builtin_policies.hpp"

namespace telsim::models {
namespace {

/// Erlang B's "lost calls cleared": the failed call simply ends.
class NonePolicy final : public CompletionPolicy {
 public:
  void attempt_failed(CallControl& network, CallId id, FailureCause) override {
    network.end_call(id, CallOutcome::cleared);
  }
};

}  // namespace

PolicyType none_policy_type() {
  PolicyType t;
  t.name = "none";
  t.description = "the failed call is cleared (Erlang B: lost calls cleared)";
  t.default_when = {FailureCause::congestion, FailureCause::busy, FailureCause::no_answer};
  t.create = [](const PolicySpec&) { return std::make_unique<NonePolicy>(); };
  return t;
}

}  // namespace telsim::models
