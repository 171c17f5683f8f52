#pragma once
// SIGINT / SIGTERM: work stops within milliseconds, inside a replication too: the
// runner hands the flag to every replication's engine (sim::stop_check_interval).
#include <atomic>

namespace telsim::cli {

/// Installs the handlers (once) and returns the flag they set: 0, or the
/// signal number received. A signal handler can only reach static storage,
/// so this flag is the process's one piece of global mutable state.
const std::atomic<int>& install_stop_handlers();

}  // namespace telsim::cli
