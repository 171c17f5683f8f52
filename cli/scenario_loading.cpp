#include "scenario_loading.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "telsim/scenarios/loader.hpp"

namespace telsim::cli {

std::optional<int> load_with_plugins(const std::string& file,
                                     const std::vector<std::string>& command_line_plugins,
                                     bool allow_plugins, const std::vector<std::string>& overrides,
                                     scenarios::PluginSet& plugins,
                                     models::PolicyRegistry& registry,
                                     scenarios::Scenario& scenario) {
  registry = models::builtin_policy_registry();
  scenarios::PluginTrust trust;
  trust.allow_paths = allow_plugins;
  try {
    for (const auto& p : command_line_plugins) {
      trust.given.push_back(plugins.load(p, std::filesystem::current_path(), registry).path);
    }
  } catch (const scenarios::PluginError& e) {
    fmt::print(stderr, "--plugin: error: {}\n", e.what());
    return exit_bad_input;
  }
  try {
    scenarios::load_scenario_plugins(plugins, file, overrides, registry, trust);
    scenario = scenarios::load_scenario_file(file, overrides, registry);
  } catch (const scenarios::ScenarioError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  return std::nullopt;
}

}  // namespace telsim::cli
