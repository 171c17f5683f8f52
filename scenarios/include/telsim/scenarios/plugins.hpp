#pragma once
/// Loading plug-ins (SPEC §2 `plugins:`, §4 `--plugin`): shared objects that
/// add completion-policy types to a PolicyRegistry before a scenario is
/// validated. The ABI is in telsim/models/plugin_api.hpp.
///
/// How a command uses this:
///
///     scenarios::PluginSet plugins;        // first: it outlives the registry
///     models::PolicyRegistry registry = models::builtin_policy_registry();
///     for (const auto& p : command_line_plugins) plugins.load(p, std::filesystem::current_path(),
///     registry); scenarios::load_scenario_plugins(plugins, file, overrides, registry, trust);
///     const Scenario s = scenarios::load_scenario_file(file, overrides, registry);
///
/// **Resolving a reference.** A reference that contains '/' or ends in ".so"
/// is a path: a relative one is taken from the scenario file's folder (for
/// `plugins:`) or from the current folder (for `--plugin`). Anything else is
/// a bare name N, looked up as the one file `N.so` in each folder of
/// TELSIM_PLUGIN_PATH (colon-separated, in order, empty entries ignored) and
/// then in the build's own plug-in folder (TELSIM_PLUGIN_DIR); the first
/// folder that has it wins.
///
/// **Trust.** Loading a plug-in runs its code with the user's rights. A bare
/// name loads only from the trusted folders above, which the person running
/// telsim chose; `--plugin` is that person's own choice. A path written in a
/// scenario's `plugins:` is the scenario author's choice, so it loads only
/// when the command line allows it (PluginTrust): `--allow-plugins`, or the
/// same file given with `--plugin`. Otherwise the scenario is refused at the
/// entry, before any of its plug-in code runs.
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "telsim/models/policy_registry.hpp"

namespace telsim::scenarios {

/// A plug-in that cannot be found or loaded, or that does not fit: `what()`
/// names it and says why ("plug-in 'x': ..."). For `--plugin` the command
/// prints "--plugin: error: WHAT"; an entry of `plugins:` is reported as a
/// ScenarioError at the entry instead. Exit code 2.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One loaded shared object.
struct PluginInfo {
  std::string reference;             ///< as written: a path or a bare name
  std::filesystem::path path;        ///< the file opened (canonical); the `origin` of its types
  std::string name;                  ///< from its entry point
  std::string description;           ///< from its entry point
  std::vector<std::string> types;    ///< policy types it added, in its order
  std::vector<std::string> presets;  ///< presets it added
};

/// True if `reference` is a bare name (no '/', not ending in ".so").
bool is_bare_plugin_name(std::string_view reference);

/// The folders a bare name is searched in: TELSIM_PLUGIN_PATH's, then the
/// build's own plug-in folder.
std::vector<std::filesystem::path> plugin_search_folders();

/// The file `reference` names (see above), made absolute. Throws PluginError
/// if there is none, listing where it looked.
std::filesystem::path resolve_plugin(const std::string& reference,
                                     const std::filesystem::path& base_folder);

/// Every plug-in in the search folders, for `telsim policies`: each folder's
/// `*.so` files in name order; a name found in an earlier folder hides the
/// same name later, as it would for a bare reference.
std::vector<std::filesystem::path> discover_plugins();

/// The shared objects loaded for one registry, kept open.
///
/// Ownership: the factories of the types a plug-in adds, and every policy
/// they make, are code inside its shared object. A PluginSet closes its
/// handles when it is destroyed, so it must outlive the PolicyRegistry it
/// loaded into, every copy of it, and every models::Network (hence every
/// run) made from them: declare it before the registry. Not copyable.
///
/// Types added by a plug-in carry its path as `origin`; their factories are
/// wrapped so that an exception thrown by the plug-in's factory or by its
/// policies (attempt_failed, timer_fired) becomes a std::runtime_error whose
/// message starts "plug-in 'NAME' (PATH): ", which the run reports (exit 3).
class PluginSet {
 public:
  PluginSet();
  ~PluginSet();
  PluginSet(const PluginSet&) = delete;
  PluginSet& operator=(const PluginSet&) = delete;

  /// Resolves `reference` against `base_folder`, loads it and adds its types
  /// and presets to `registry`, all or none. Loading a file this set has
  /// already added to `registry` again (under any reference) does nothing.
  /// Throws PluginError: no such file, not a loadable shared object (with the
  /// system's reason), no entry point, another ABI version (both numbers),
  /// a type or preset name already taken, or a bad type (no name, no factory).
  PluginInfo load(const std::string& reference, const std::filesystem::path& base_folder,
                  models::PolicyRegistry& registry);

  /// The plug-ins loaded, in loading order.
  const std::vector<PluginInfo>& plugins() const { return info_; }

 private:
  struct Handle;
  std::vector<std::unique_ptr<Handle>> handles_;
  std::vector<PluginInfo> info_;
};

/// One entry of a scenario's `plugins:` list, with where it was written
/// (LINE and COLUMN from 1; `file` is "--set" for an entry given by --set).
struct PluginEntry {
  std::string reference;
  std::string file;
  int line = 1;
  int column = 1;
};

/// What the command line allows a scenario's `plugins:` to load by path (SPEC §2).
/// The default allows no path: only bare names, from the trusted folders.
struct PluginTrust {
  bool allow_paths = false;                  ///< --allow-plugins: any path the scenario names
  std::vector<std::filesystem::path> given;  ///< files loaded by --plugin (PluginInfo::path)
};

/// Reads only the `plugins:` list of a scenario file (after applying
/// `overrides`, as the loader will), so that its plug-ins can be loaded before
/// the scenario's policies are validated. A file that cannot be read or
/// parsed gives an empty list: load_scenario_file reports that. A `plugins:`
/// that is not a list of non-empty strings throws the loader's ScenarioError.
/// With `file_text`, those are the file's bytes (already read) and the file is
/// not read again: `file` then only names it and gives its folder.
std::vector<PluginEntry> read_scenario_plugins(
    const std::filesystem::path& file, const std::vector<std::string>& overrides,
    std::optional<std::string_view> file_text = std::nullopt);

/// Loads every plug-in of `file`'s `plugins:` into `registry` through `set`,
/// paths relative to the file's folder. A failure is a ScenarioError at the
/// entry ("FILE:LINE:COLUMN: error: plug-in '...': ...").
///
/// A bare name always loads (from the trusted folders). A path loads only if
/// `trust.allow_paths`, or if it is the same file as one of `trust.given`, or
/// if it was written by `--set` (the command line's own words); otherwise the
/// ScenarioError at that entry says that loading a plug-in runs its code and
/// how to allow it. Every entry is checked before any is loaded, so a refused
/// scenario runs none of its plug-ins' code.
void load_scenario_plugins(PluginSet& set, const std::filesystem::path& file,
                           const std::vector<std::string>& overrides,
                           models::PolicyRegistry& registry, const PluginTrust& trust = {},
                           std::optional<std::string_view> file_text = std::nullopt);

}  // namespace telsim::scenarios
