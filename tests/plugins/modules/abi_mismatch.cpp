// A plug-in built for another ABI version: telsim must refuse it before it
// reads anything past `abi_version`, and never call register_types.
#include <stdexcept>

#include "telsim/models/plugin_api.hpp"

namespace {

void register_types(telsim::models::PluginRegistrar&) {
  throw std::logic_error("register_types of a plug-in with another ABI version was called");
}

}  // namespace

extern "C" TELSIM_PLUGIN_EXPORT const telsim_plugin* telsim_plugin_entry(void) {
  static const telsim_plugin plugin{TELSIM_PLUGIN_ABI_VERSION + 1000, "abi-mismatch",
                                    "built for a future telsim", register_types};
  return &plugin;
}
