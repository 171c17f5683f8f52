#pragma once
/// `telsim run --calls FILE.csv` (SPEC §4): call detail records, one row per
/// measured call, streamed to disk so that a national run never holds them.
///
/// Each replication writes its rows to its own temporary file beside the
/// target while it runs. Calls end out of order, so a replication keeps a
/// reorder buffer keyed by the call's sequence number and writes out the
/// contiguous prefix as it completes: the buffer holds the calls still in
/// progress and those that ended after the oldest of them, never the run.
/// When the run is over, the parts of the replications that count (not those
/// past a `precision:` stopping point) are concatenated in replication order
/// into one temporary file, which is renamed over the target (atomic, like
/// every output). Every temporary file is removed when this object goes, so
/// an error, an exceeded limit or a signal leaves nothing behind.
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "telsim/models/network_spec.hpp"

namespace telsim::scenarios {

namespace detail {
class CallRecordWriter;
}

/// The CSV header of the call records (SPEC §4), without the line end.
inline constexpr const char* call_records_header =
    "replication,call,relation,caller,callee,first_attempt_s,first_failure,policy,"
    "completion_ids,attempts,outcome,latency_s,end_s";

class CallRecordFile {
 public:
  static constexpr std::size_t default_memory_budget = std::size_t{16} << 20;

  /// Creates the temporary file beside `target` now, before any simulation,
  /// so that an unwritable folder is reported at once. An existing device or
  /// pipe (/dev/stdout) is written in place by assemble(), its parts kept in
  /// the system's temporary folder. Throws std::runtime_error naming the path and
  /// the system's reason (a folder that does not exist, a target that is a folder).
  /// Each replication holds at most `memory_budget` bytes of rows waiting for
  /// an earlier call to end; beyond that it spills them to unnamed temporary files.
  explicit CallRecordFile(std::filesystem::path target,
                          std::size_t memory_budget = default_memory_budget);
  CallRecordFile(const CallRecordFile&) = delete;
  CallRecordFile& operator=(const CallRecordFile&) = delete;
  /// Removes every temporary file (the target itself only ever appears by rename).
  ~CallRecordFile();

  /// For the runner: the recorder of replication `replication`'s rows, with
  /// its own temporary file, created now. Thread-safe; one call per replication.
  std::unique_ptr<detail::CallRecordWriter> open_replication(const models::NetworkSpec& network,
                                                             std::size_t replication);
  /// For the runner: only replications [0, n) go into the file (the others
  /// ran past a `precision:` stopping point). Without it, every opened one.
  void keep_replications(std::size_t n);

  /// Writes the header and the kept replications' rows, in replication order,
  /// into the temporary file and syncs it (a device: into it directly; a pipe
  /// whose reader has gone is a write error, not SIGPIPE). The long part of
  /// the output, so it checks `stop` (if given) between blocks and throws
  /// Interrupted when set. Each part is deleted once copied.
  /// Throws std::runtime_error on an I/O error or a replication that never finished.
  void assemble(const std::atomic<int>* stop);
  /// Renames the assembled file over the target and syncs the folder (after assemble).
  void commit();

  const std::filesystem::path& target() const { return target_; }

 private:
  friend class detail::CallRecordWriter;
  struct Part {
    std::filesystem::path path;
    bool finished = false;  ///< its writer wrote every row and closed it
  };
  /// Called by a replication's writer once its part is complete.
  void part_finished(std::size_t replication);
  /// Called by a replication's writer: a new file for spilled rows, open for
  /// reading and writing and already unlinked (the system frees it with its descriptor).
  int create_spill_file(std::size_t replication);

  std::filesystem::path target_;
  std::filesystem::path temp_folder_;  ///< where the parts go
  std::string token_;                  ///< random, shared by this run's temporary names
  std::size_t memory_budget_;
  bool device_ = false;              ///< the target is an existing device or pipe
  std::filesystem::path assembled_;  ///< the temporary file renamed over the target
  int assembled_fd_ = -1;
  bool assembled_done_ = false;
  bool committed_ = false;
  std::mutex mutex_;  ///< guards parts_ (replications open theirs from several threads)
  std::vector<std::optional<Part>> parts_;  ///< by replication
  std::optional<std::size_t> kept_;
  std::size_t spill_files_ = 0;  ///< numbers the spill files' names
};

}  // namespace telsim::scenarios
