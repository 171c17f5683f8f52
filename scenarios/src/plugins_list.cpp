// A scenario's `plugins:` list, read before the scenario is validated (its
// policies may be of plug-in types), and loading it.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "loader_diagnostics.hpp"
#include "set_overrides.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "yaml_checks.hpp"
#include "yaml_tree.hpp"

namespace telsim::scenarios {

std::vector<PluginEntry> read_scenario_plugins(const std::filesystem::path& file,
                                               const std::vector<std::string>& overrides,
                                               std::optional<std::string_view> file_text) {
  using namespace detail;
  // Anything wrong with the file as a whole is the full loader's to report,
  // with the same words whether or not the scenario has plug-ins.
  std::string read;
  if (!file_text) {
    try {
      read = read_scenario_text(file);
    } catch (const ScenarioError&) {
      return {};
    }
    file_text = read;
  }
  // Parsing a national network's YAML takes a second: skip it when no
  // `plugins` key can be there. A key is written with its letters, or
  // escaped in a quoted scalar (hence the backslash).
  const auto names_plugins = [](std::string_view s) {
    return s.find("plugins") != std::string_view::npos || s.find('\\') != std::string_view::npos;
  };
  if (!names_plugins(*file_text) &&
      std::none_of(overrides.begin(), overrides.end(), names_plugins)) {
    return {};
  }
  const std::string text(*file_text);
  // Not a text file: the full loader says so, before any --set is looked at.
  if (text.find('\0') != std::string::npos) return {};
  if (detail::invalid_utf8_at(text) != std::string_view::npos) return {};
  Node root;
  try {
    root = parse_yaml(text, Origin::Source::file, 0);
  } catch (const YamlParseError&) {
    return {};
  }
  if (!root.is_map()) return {};
  apply_overrides(root, overrides);  // throws the ScenarioError the loader would

  const Node* list = root.find("plugins");
  if (list == nullptr) return {};
  const Diagnostics diag(file.string());
  const Scope top;
  require_sequence(*list, "plugins", top, diag);
  std::vector<PluginEntry> entries;
  for (const Node& item : list->items) {
    PluginEntry e;
    e.reference = require_string(item, "plugins", top, diag);
    if (item.origin.source == Origin::Source::set) {
      e.file = "--set";
      e.line = 1;
    } else {
      e.file = diag.file();
      e.line = item.origin.line + 1;
    }
    e.column = item.origin.column + 1;
    entries.push_back(std::move(e));
  }
  return entries;
}

namespace {

/// True if the command line allows entry `e` (a path, `file` its absolute form).
bool allowed(const PluginEntry& e, const std::filesystem::path& file, const PluginTrust& trust) {
  if (trust.allow_paths || e.file == "--set") return true;
  for (const std::filesystem::path& given : trust.given) {
    std::error_code ec;
    if (std::filesystem::equivalent(file, given, ec)) return true;
  }
  return false;
}

/// Why entry `e` is refused, and the three ways to allow it.
std::string refusal(const PluginEntry& e, const std::filesystem::path& file) {
  std::string bare;
  const std::string name = file.filename().string();
  if (name.size() > 3 && name.ends_with(".so") &&
      is_bare_plugin_name(name.substr(0, name.size() - 3))) {
    bare = fmt::format(" '{}'", name.substr(0, name.size() - 3));
  }
  return fmt::format(
      "plug-in '{}': the scenario names a plug-in by path, and loading a plug-in runs its code; "
      "telsim loads it only if you allow it: run with --allow-plugins (if you trust this "
      "scenario), or give the same file with --plugin {}, or put it in a folder on "
      "TELSIM_PLUGIN_PATH and name it bare{}",
      e.reference, file.string(), bare);
}

}  // namespace

void load_scenario_plugins(PluginSet& set, const std::filesystem::path& file,
                           const std::vector<std::string>& overrides,
                           models::PolicyRegistry& registry, const PluginTrust& trust,
                           std::optional<std::string_view> file_text) {
  const std::vector<PluginEntry> entries = read_scenario_plugins(file, overrides, file_text);
  if (entries.empty()) return;
  const std::filesystem::path folder = std::filesystem::absolute(file).parent_path();
  // Every path is judged before anything loads: a refused scenario runs none of its code.
  for (const PluginEntry& e : entries) {
    if (is_bare_plugin_name(e.reference)) continue;
    std::filesystem::path path(e.reference);
    if (path.is_relative()) path = folder / path;
    path = path.lexically_normal();
    if (!allowed(e, path, trust)) throw ScenarioError(e.file, e.line, e.column, refusal(e, path));
  }
  for (const PluginEntry& e : entries) {
    try {
      set.load(e.reference, folder, registry);
    } catch (const PluginError& error) {
      throw ScenarioError(e.file, e.line, e.column, error.what());
    }
  }
}

}  // namespace telsim::scenarios
