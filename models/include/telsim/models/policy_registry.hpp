#pragma once
/// The registry of completion-policy types: built-ins are listed explicitly by
/// register_builtin_policies(); plug-ins register into the same registry
/// through their one extern "C" entry point. No static self-registration.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "telsim/models/network_spec.hpp"

namespace telsim::models {

class CompletionPolicy;

/// One declared parameter of a policy type: the loader checks scenario keys
/// against these (an undeclared key is an error) and fills defaults.
struct ParamDecl {
  std::string name;
  ParamKind kind = ParamKind::number;
  double min = 0.0;  ///< bounds for number and count
  double max = 1e300;
  bool allow_unlimited = false;  ///< count or distribution may be "unlimited"
  ParamValue default_value;
  std::string default_text;  ///< as shown to users, e.g. "exponential 60"
  std::string help;          ///< one line
};

using PolicyFactory = std::function<std::unique_ptr<CompletionPolicy>(const PolicySpec&)>;

struct PolicyType {
  std::string name;
  std::string description;             ///< one line, for `telsim policies`
  std::optional<CompletionMode> mode;  ///< the TAPI mode it uses; nullopt for none/redial
  std::vector<FailureCause> default_when;
  std::vector<ParamDecl> params;  ///< besides `when` and `fallback`, which every type has
  PolicyFactory create;
  std::string origin = "built-in";  ///< or the plug-in's path
};

/// `preset:` in a policy: fills a type's parameters from a standard.
struct PolicyPreset {
  std::string name;
  std::string type;
  std::map<std::string, ParamValue> params;
  std::optional<std::vector<FailureCause>> when;
  std::string source;  ///< the standard or implementation it follows
};

class PolicyRegistry {
 public:
  /// Throws std::invalid_argument if the name is taken.
  void add(PolicyType type);
  void add_preset(PolicyPreset preset);
  const PolicyType* find(const std::string& name) const;
  const PolicyPreset* find_preset(const std::string& name) const;
  /// In registration order.
  const std::vector<PolicyType>& types() const { return types_; }
  const std::vector<PolicyPreset>& presets() const { return presets_; }

 private:
  std::vector<PolicyType> types_;
  std::vector<PolicyPreset> presets_;
};

/// Lists every built-in policy type and preset, explicitly.
void register_builtin_policies(PolicyRegistry& registry);

/// A registry holding the built-ins.
PolicyRegistry builtin_policy_registry();

}  // namespace telsim::models
