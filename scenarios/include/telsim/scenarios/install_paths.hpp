#pragma once
/// Where a telsim finds its own files: an installed telsim finds them relative to its
/// executable (PREFIX/bin/telsim -> PREFIX/lib/telsim/plugins, PREFIX/share/telsim/
/// scenarios), and a telsim run from its build tree finds the build's plug-ins and the
/// repository's scenario library. An installed telsim never reads the build tree.
#include <filesystem>
#include <optional>

namespace telsim::scenarios {

/// The folder of the running executable (from /proc/self/exe); empty if unknown.
std::filesystem::path executable_folder();

/// Whether the running executable lies inside the build tree it was built in.
bool running_from_build_tree();

/// PREFIX/lib/telsim/plugins of an installed telsim, if that folder exists.
std::optional<std::filesystem::path> installed_plugin_folder();

/// The build's own plug-in folder, when running from the build tree.
std::optional<std::filesystem::path> build_plugin_folder();

/// The bundled scenario library: PREFIX/share/telsim/scenarios when installed, the
/// repository's scenarios/library when running from the build tree; nullopt if neither.
std::optional<std::filesystem::path> scenario_library_folder();

}  // namespace telsim::scenarios
