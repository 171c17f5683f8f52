// A plug-in as version 1 of the ABI built it (telsim before the CallId
// generation and the life-cycle hooks): telsim must refuse it, naming both
// versions, and never call register_types.
#include <stdexcept>

#include "telsim/models/plugin_api.hpp"

namespace {

void register_types(telsim::models::PluginRegistrar&) {
  throw std::logic_error("register_types of a version-1 plug-in was called");
}

}  // namespace

extern "C" TELSIM_PLUGIN_EXPORT const telsim_plugin* telsim_plugin_entry(void) {
  static const telsim_plugin plugin{1, "abi-v1", "built for plug-in ABI version 1", register_types};
  return &plugin;
}
