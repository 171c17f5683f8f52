#pragma once
// Loading a scenario for a command: built-in policies, plug-ins, --set.
#include <optional>
#include <string>
#include <vector>

#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::cli {

/// The built-ins, then the --plugin plug-ins (paths from the current folder),
/// then the scenario's `plugins:` (paths from its folder), then the scenario
/// itself, validated against all of them. A path in `plugins:` loads only with
/// `allow_plugins` (--allow-plugins) or when the same file is a --plugin;
/// otherwise the scenario is refused at that entry (exit 2; SPEC §2). `plugins` must outlive
/// `registry` and everything made from it. On failure prints the error and returns the exit code.
std::optional<int> load_with_plugins(const std::string& file,
                                     const std::vector<std::string>& command_line_plugins,
                                     bool allow_plugins, const std::vector<std::string>& overrides,
                                     scenarios::PluginSet& plugins,
                                     models::PolicyRegistry& registry,
                                     scenarios::Scenario& scenario);

}  // namespace telsim::cli
