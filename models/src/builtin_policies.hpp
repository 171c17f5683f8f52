#pragma once
// The built-in policy types, one factory function per file, and the
// helpers that declare their parameters.
#include <memory>
#include <optional>
#include <string>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/param_decls.hpp"
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

// Parameter declarations use the same public helpers as plug-ins.
using params::answer_param;
using params::count_param;
using params::distribution_param;
using params::expiry_param;
using params::number_param;

/// Seconds to ticks for a sampled delay.
inline sim::Tick sample_ticks(const sim::Distribution& d, sim::RandomStream& rng) {
  return sim::to_ticks(d.sample(rng));
}

/// `cancel_after` (SPEC §3 "Cancellation"), declared alike by every type that
/// makes requests: how long after making a request its caller cancels it by
/// its completion ID; unlimited (the default) = never.
inline ParamDecl cancel_after_param() {
  return distribution_param("cancel_after", std::nullopt, "unlimited", true,
                            "seconds from making a request to cancelling it by its completion "
                            "ID (TAPI lineUncompleteCall) if still outstanding; unlimited: never");
}

/// The cancellation delay of one request, drawn from the policy's stream.
inline std::optional<sim::Tick> sample_cancel_after(const std::optional<sim::Distribution>& d,
                                                    sim::RandomStream& rng) {
  if (!d) return std::nullopt;
  return sample_ticks(*d, rng);
}

}  // namespace detail
}  // namespace telsim::models
