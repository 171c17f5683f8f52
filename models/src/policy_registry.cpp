#include "telsim/models/policy_registry.hpp"

#include <stdexcept>

#include "builtin_policies.hpp"

namespace telsim::models {

void PolicyRegistry::add(PolicyType type) {
  if (find(type.name) != nullptr) {
    throw std::invalid_argument("policy type '" + type.name + "' is already registered");
  }
  types_.push_back(std::move(type));
}

void PolicyRegistry::add_preset(PolicyPreset preset) {
  if (find_preset(preset.name) != nullptr) {
    throw std::invalid_argument("policy preset '" + preset.name + "' is already registered");
  }
  presets_.push_back(std::move(preset));
}

const PolicyType* PolicyRegistry::find(const std::string& name) const {
  for (const auto& t : types_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const PolicyPreset* PolicyRegistry::find_preset(const std::string& name) const {
  for (const auto& p : presets_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

void register_builtin_policies(PolicyRegistry& registry) {
  registry.add(none_policy_type());
  registry.add(redial_policy_type());
  registry.add(campon_policy_type());
  registry.add(callback_policy_type());
  registry.add(intrude_policy_type());
  registry.add(message_policy_type());
  register_callback_presets(registry);
}

PolicyRegistry builtin_policy_registry() {
  PolicyRegistry registry;
  register_builtin_policies(registry);
  return registry;
}

}  // namespace telsim::models
