#pragma once
// The built-in policy types, one factory function per file, and the
// helpers that declare their parameters.
#include <memory>
#include <optional>
#include <string>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/policy_registry.hpp"

namespace telsim::models {

PolicyType none_policy_type();
PolicyType redial_policy_type();
PolicyType campon_policy_type();
PolicyType callback_policy_type();
PolicyType intrude_policy_type();
PolicyType message_policy_type();
void register_callback_presets(PolicyRegistry& registry);

namespace detail {

ParamDecl number_param(std::string name, double value, double min, double max, std::string help);
/// A count; nullopt default = "unlimited" (which the parameter then allows).
ParamDecl count_param(std::string name, std::optional<std::uint64_t> value, double min, double max,
                      bool allow_unlimited, std::string help);
/// A distribution; nullopt default = "unlimited" (which the parameter then allows).
ParamDecl distribution_param(std::string name, std::optional<sim::Distribution> value,
                             std::string default_text, bool allow_unlimited, std::string help);
ParamDecl answer_param(std::string name, AnswerSpec value, std::string default_text,
                       std::string help);
ParamDecl expiry_param(std::string name, double seconds, std::string help);

/// Seconds to ticks for a sampled delay.
inline sim::Tick sample_ticks(const sim::Distribution& d, sim::RandomStream& rng) {
  return sim::to_ticks(d.sample(rng));
}

}  // namespace detail
}  // namespace telsim::models
