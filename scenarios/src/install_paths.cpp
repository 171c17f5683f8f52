// Where telsim finds its plug-ins and scenario library (install_paths.hpp). The build
// passes TELSIM_BUILD_DIR, TELSIM_PLUGIN_DIR and TELSIM_SCENARIO_DIR (absolute, used only
// from the build tree) and the install layout relative to the prefix.
#include "telsim/scenarios/install_paths.hpp"

#include <algorithm>
#include <string>
#include <system_error>

namespace telsim::scenarios {
namespace fs = std::filesystem;

fs::path executable_folder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

namespace {

/// PREFIX, taking the executable to be PREFIX/bin/<name>.
std::optional<fs::path> install_prefix() {
  const fs::path folder = executable_folder();
  if (folder.empty() || folder.filename() != "bin") return std::nullopt;
  return folder.parent_path();
}

std::optional<fs::path> existing(const fs::path& folder) {
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return folder;
  return std::nullopt;
}

}  // namespace

bool running_from_build_tree() {
  std::error_code ec;
  const fs::path build = fs::weakly_canonical(fs::path(TELSIM_BUILD_DIR), ec);
  if (ec) return false;
  const fs::path exe = fs::weakly_canonical(executable_folder(), ec);
  if (ec || exe.empty()) return false;
  const auto [end, _] = std::mismatch(build.begin(), build.end(), exe.begin(), exe.end());
  return end == build.end();
}

std::optional<fs::path> installed_plugin_folder() {
  const auto prefix = install_prefix();
  if (!prefix || running_from_build_tree()) return std::nullopt;
  return existing(*prefix / TELSIM_INSTALL_PLUGINDIR);
}

std::optional<fs::path> build_plugin_folder() {
  if (!running_from_build_tree()) return std::nullopt;
  return fs::path(TELSIM_PLUGIN_DIR);
}

std::optional<fs::path> scenario_library_folder() {
  if (running_from_build_tree()) return existing(fs::path(TELSIM_SCENARIO_DIR));
  const auto prefix = install_prefix();
  if (!prefix) return std::nullopt;
  return existing(*prefix / TELSIM_INSTALL_SCENARIODIR);
}

}  // namespace telsim::scenarios
