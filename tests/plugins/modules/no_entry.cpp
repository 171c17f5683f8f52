// A shared object that is not a telsim plug-in: it has no telsim_plugin_entry.
#include "telsim/models/plugin_api.hpp"

extern "C" TELSIM_PLUGIN_EXPORT int not_a_telsim_plugin(void) {
  return 42;
}
