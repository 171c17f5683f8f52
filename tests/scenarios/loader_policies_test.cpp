// Policies: parameters checked against the type's declarations, defaults,
// presets, `when`, fallbacks and fallback cycles, message_id reach.
#include <gtest/gtest.h>

#include "loader_test_util.hpp"

namespace telsim::scenarios {
namespace {

using models::FailureCause;
using models::ParamKind;
using testing::error_of;
using testing::small_scenario;

/// The built-in types and presets (callback, message and asterisk-ccss
/// among them), as every scenario sees them.
models::PolicyRegistry test_registry() {
  return models::builtin_policy_registry();
}

std::string with_policies(const std::string& policies, const std::string& completion = "") {
  std::string text = small_scenario;
  text = text.substr(0, text.find("policies:"));
  if (!completion.empty()) text += "    completion: " + completion + "\n";
  return text + "policies:\n" + policies;
}

Scenario load_with(const std::string& text) {
  return load_scenario_text(text, "test.yaml", {}, test_registry());
}

TEST(Policies, BuiltInDefaultsAreFilled) {
  const auto s = load_with(with_policies("  retry: {type: redial}\n", "retry"));
  const auto& p = s.network.policies.at(0);
  EXPECT_EQ(p.name, "retry");
  EXPECT_EQ(p.type, "redial");
  EXPECT_FALSE(p.fallback.has_value());
  EXPECT_EQ(p.when, (std::vector<FailureCause>{FailureCause::congestion, FailureCause::busy,
                                               FailureCause::no_answer}));
  ASSERT_EQ(p.params.size(), 3u);
  EXPECT_DOUBLE_EQ(p.params.at("delay").distribution->mean(), 60.0);
  EXPECT_DOUBLE_EQ(p.params.at("persistence").number, 1.0);
  EXPECT_FALSE(p.params.at("max_attempts").count.has_value());
  EXPECT_EQ(s.network.relations[0].policy, std::optional<std::uint32_t>(0));
}

// SPEC §2: `cancel_after` (campon, callback, message), default never; the
// types that make no request do not know it.
TEST(Policies, CancelAfterOnTheTypesThatMakeRequests) {
  const auto s =
      load_with(with_policies("  camp: {type: campon, cancel_after: {exponential: {mean: 600}}}\n"
                              "  cb: {type: callback, cancel_after: 900}\n"
                              "  note: {type: message}\n"));
  EXPECT_DOUBLE_EQ(s.network.policies[0].params.at("cancel_after").distribution->mean(), 600.0);
  EXPECT_TRUE(s.network.policies[1].params.at("cancel_after").distribution->is_deterministic());
  EXPECT_FALSE(s.network.policies[2].params.at("cancel_after").distribution.has_value())
      << "default: never";
  const std::string error = error_of(with_policies("  retry: {type: redial, cancel_after: 5}\n"));
  EXPECT_NE(error.find("unknown key 'cancel_after'"), std::string::npos) << error;
}

TEST(Policies, ParametersByKind) {
  const auto s = load_with(with_policies(
      "  retry: {type: redial, delay: 30, persistence: 0.5, max_attempts: 4, when: [busy]}\n"
      "  cb:\n"
      "    type: callback\n"
      "    expiry: {busy: 100}\n"
      "    recall_answer: {probability: 0.5}\n"));
  const auto& retry = s.network.policies[0];
  EXPECT_TRUE(retry.params.at("delay").distribution->is_deterministic());
  EXPECT_DOUBLE_EQ(retry.params.at("persistence").number, 0.5);
  EXPECT_EQ(retry.params.at("max_attempts").count, std::optional<std::uint64_t>(4));
  EXPECT_EQ(retry.when, std::vector<FailureCause>{FailureCause::busy});
  const auto& cb = s.network.policies[1];
  // A cause left out of a per-cause expiry gets 2700 s.
  EXPECT_EQ(cb.params.at("expiry").expiry, (std::array<double, 3>{2700, 100, 2700}));
  // Answer keys left out keep the declared default.
  EXPECT_DOUBLE_EQ(cb.params.at("recall_answer").answer.probability, 0.5);
  EXPECT_EQ(cb.params.at("recall_answer").answer.timeout, std::optional<double>(20.0));
  EXPECT_EQ(cb.when, (std::vector<FailureCause>{FailureCause::busy, FailureCause::no_answer}));
}

TEST(Policies, UnlimitedDistributionAndCount) {
  const auto s = load_with(with_policies("  retry: {type: redial, max_attempts: unlimited}\n"));
  EXPECT_FALSE(s.network.policies[0].params.at("max_attempts").count.has_value());
  // delay does not allow "unlimited".
  EXPECT_EQ(error_of(with_policies("  retry: {type: redial, delay: unlimited}\n")),
            "test.yaml:23:32: error: policy 'retry': 'delay' must be a distribution (e.g. "
            "{exponential: {mean: 180}}) or a number of seconds from 0 to 1e12, got 'unlimited'");
}

TEST(Policies, PresetFillsTypeParamsAndWhen) {
  const auto s = load_with(with_policies("  cc: {preset: asterisk-ccss}\n"));
  const auto& p = s.network.policies[0];
  EXPECT_EQ(p.type, "callback");
  EXPECT_EQ(p.preset, "asterisk-ccss");
  EXPECT_EQ(p.params.at("expiry").expiry, (std::array<double, 3>{2700, 4800, 7200}));
  EXPECT_EQ(p.params.at("recall_answer").answer.timeout, std::optional<double>(20.0));
}

TEST(Policies, KeysBesideAPresetOverrideIt) {
  const auto s = load_with(
      with_policies("  cc: {preset: asterisk-ccss, type: callback, expiry: 60, when: [busy]}\n"));
  const auto& p = s.network.policies[0];
  EXPECT_EQ(p.params.at("expiry").expiry, (std::array<double, 3>{60, 60, 60}));
  EXPECT_EQ(p.when, std::vector<FailureCause>{FailureCause::busy});
}

TEST(Policies, PresetOfAnotherType) {
  EXPECT_EQ(
      error_of(with_policies("  cc: {preset: asterisk-ccss, type: redial}\n"), {}, test_registry()),
      "test.yaml:23:37: error: policy 'cc': preset 'asterisk-ccss' is for type 'callback', "
      "not 'redial' (leave 'type' out, or drop the preset)");
  EXPECT_EQ(error_of(with_policies("  cc: {preset: asterisk}\n"), {}, test_registry()),
            "test.yaml:23:16: error: policy 'cc': unknown preset 'asterisk'; presets: "
            "ccbs-etsi, ccnr-etsi, asterisk-ccss");
  EXPECT_EQ(error_of(with_policies("  cc: {preset: asterisk-css}\n"), {}, test_registry()),
            "test.yaml:23:16: error: policy 'cc': unknown preset 'asterisk-css' (did you mean "
            "'asterisk-ccss'?); presets: ccbs-etsi, ccnr-etsi, asterisk-ccss");
}

TEST(Policies, ExpiryErrors) {
  EXPECT_EQ(
      error_of(with_policies("  cb: {type: callback, expiry: {bussy: 5}}\n"), {}, test_registry()),
      "test.yaml:23:33: error: unknown cause 'bussy' in 'expiry' of policy 'cb' (did you "
      "mean 'busy'?)");
  EXPECT_EQ(error_of(with_policies("  cb: {type: callback, expiry: 0}\n"), {}, test_registry()),
            "test.yaml:23:32: error: policy 'cb': 'expiry' must be a number of seconds > 0, got "
            "'0'");
}

TEST(Policies, FallbackChainResolves) {
  const auto s =
      load_with(with_policies("  cb: {type: callback, fallback: retry}\n"
                              "  retry: {type: redial, fallback: none}\n"));
  EXPECT_EQ(s.network.policies[0].fallback, std::optional<std::uint32_t>(1));
  EXPECT_FALSE(s.network.policies[1].fallback.has_value());
}

TEST(Policies, FallbackCycleIsReportedAtItsFirstMember) {
  // a -> b -> c -> b: the cycle is b, c; reported at b's fallback.
  EXPECT_EQ(error_of(with_policies("  a: {type: redial, fallback: b}\n"
                                   "  b: {type: redial, fallback: c}\n"
                                   "  c: {type: redial, fallback: b}\n")),
            "test.yaml:24:31: error: policy 'b': fallback cycle b -> c -> b (a chain of "
            "fallbacks must end in a policy without one)");
  EXPECT_EQ(error_of(with_policies("  a: {type: redial, fallback: b}\n"
                                   "  b: {type: redial, fallback: a}\n")),
            "test.yaml:23:31: error: policy 'a': fallback cycle a -> b -> a (a chain of "
            "fallbacks must end in a policy without one)");
}

TEST(Policies, MessageIdMustBeBelowTheCallerExchangesMessages) {
  const std::string ok = with_policies("  msg: {type: message, message_id: 3}\n", "msg");
  EXPECT_NO_THROW(load_with(ok));
  EXPECT_EQ(error_of(with_policies("  msg: {type: message, message_id: 4}\n", "msg"), {},
                     test_registry()),
            "test.yaml:24:36: error: policy 'msg': 'message_id' 4 is not below the 4 messages of "
            "exchange 'A', whose callers reach it through relation 'homes-to-shops' (raise that "
            "exchange's 'completion.messages')");
  // Also when reached only as a fallback.
  EXPECT_NE(error_of(with_policies("  r: {type: redial, fallback: msg}\n"
                                   "  msg: {type: message, message_id: 9}\n",
                                   "r"),
                     {}, test_registry()),
            "");
  // Not reached by any relation: not checked.
  EXPECT_NO_THROW(load_with(with_policies("  msg: {type: message, message_id: 9}\n")));
}

TEST(Policies, EmptyPoliciesMap) {
  std::string text = small_scenario;
  text = text.substr(0, text.find("policies:")) + "policies:\n";
  EXPECT_TRUE(load_with(text).network.policies.empty());
}

TEST(Policies, WhenErrors) {
  EXPECT_EQ(error_of(with_policies("  r: {type: redial, when: [busy, busy]}\n")),
            "test.yaml:23:34: error: policy 'r': cause 'busy' is listed twice in 'when'");
  EXPECT_EQ(error_of(with_policies("  r: {type: redial, when: busy}\n")),
            "test.yaml:23:27: error: policy 'r': 'when' must be a list, got 'busy'");
}

}  // namespace
}  // namespace telsim::scenarios
