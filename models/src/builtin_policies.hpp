#pragma once
// The built-in policy types, one factory function per file.
#include <memory>

#include "telsim/models/completion_policy.hpp"
#include "telsim/models/policy_registry.hpp"

namespace telsim::models {

PolicyType none_policy_type();
PolicyType redial_policy_type();

}  // namespace telsim::models
