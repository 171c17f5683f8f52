#pragma once
// One replication's call detail records (SPEC §4 `--calls`): a network
// observer that formats a row per measured call as it ends and writes the
// rows to the replication's part file in order of first attempt.
//
// Calls end out of order. A row is written as soon as every earlier call has
// ended; until then it is held. One long call (a callback that expires after
// 45 minutes) holds back every row after it, so in a national run the held
// rows would soon be most of the run: past a memory budget they are sorted
// and spilled to an unnamed temporary file (a "run"), and written out later
// by merging the runs and the rows in memory, smallest sequence first. Memory
// is then the budget plus a small read buffer per run, whatever the run's length.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "telsim/models/observer.hpp"
#include "telsim/scenarios/call_records.hpp"

namespace telsim::scenarios::detail {

/// Rows spilled to disk, sorted by sequence, read back one at a time.
class SpillRun {
 public:
  /// Takes `fd` (an unlinked file holding `size` bytes of records); advance()
  /// then reads the first row.
  SpillRun(int fd, std::uint64_t size);
  SpillRun(const SpillRun&) = delete;
  SpillRun& operator=(const SpillRun&) = delete;
  ~SpillRun();

  /// Appends rows as records of `sequence` (8 bytes), length (4 bytes), text.
  static void append_record(std::string& out, std::uint64_t sequence, const std::string& row);

  bool has_head() const { return has_head_; }
  std::uint64_t head_sequence() const { return head_sequence_; }
  const std::string& head_row() const { return head_row_; }
  /// Reads the next record (has_head() false at the end).
  void advance();

 private:
  /// Copies `n` bytes from the file into `to`, refilling the buffer as needed.
  void read_exact(char* to, std::size_t n);

  int fd_;
  std::uint64_t size_;
  std::uint64_t offset_ = 0;  ///< file position of buffer_'s end
  std::string buffer_;
  std::size_t buffer_pos_ = 0;
  bool has_head_ = false;
  std::uint64_t head_sequence_ = 0;
  std::string head_row_;
};

class CallRecordWriter final : public models::NetworkObserver {
 public:
  /// Takes ownership of `fd`, open for writing on `path` (the replication's
  /// part). Rows held in memory beyond `memory_budget` bytes are spilled.
  CallRecordWriter(CallRecordFile& file, const models::NetworkSpec& network,
                   std::size_t replication, int fd, std::filesystem::path path,
                   std::size_t memory_budget);
  CallRecordWriter(const CallRecordWriter&) = delete;
  CallRecordWriter& operator=(const CallRecordWriter&) = delete;
  ~CallRecordWriter() override;

  void circuit_requested(models::TrunkGroupId, bool, sim::Tick) override {}
  void circuits_changed(models::TrunkGroupId, std::uint32_t, sim::Tick) override {}
  void overflowed(models::TrunkGroupId, sim::Tick) override {}
  void caller_busy(models::RelationId, bool, sim::Tick) override {}
  /// Formats the call's row (measured calls only) and writes out every row
  /// that is now next in order: O(log held + log runs) per row, plus a sort
  /// when the budget is reached. Throws std::runtime_error on an I/O error,
  /// std::logic_error for a sequence number seen twice.
  void call_ended(const models::CallSummary& call, sim::Tick now) override;

  /// After the replication: writes the rest and closes the part. Throws
  /// std::logic_error if a measured call never ended (a gap in the sequence).
  void finish();

  /// Bytes of rows held in memory now, and the most held at once (for tests).
  std::size_t held_bytes() const { return held_bytes_; }
  std::size_t peak_held_bytes() const { return peak_held_bytes_; }
  std::size_t spill_runs() const { return spilled_runs_; }

 private:
  struct Held {
    std::uint64_t sequence;
    std::string row;
  };
  /// The heap order of held_: the smallest sequence on top.
  static bool later_held(const Held& a, const Held& b) { return a.sequence > b.sequence; }

  std::string format_row(const models::CallSummary& call, sim::Tick now) const;
  /// Appends `address` as `<population>#<index from 0>`, quoted if needed.
  void append_address(std::string& row, models::AddressId address) const;
  /// Writes out every row whose turn has come, from memory or from the runs.
  void write_ready();
  /// Sorts the held rows into a new run on disk.
  void spill();
  /// Writes the output buffer to the part (all of it).
  void write_out();

  CallRecordFile& file_;
  const models::NetworkSpec& network_;
  std::size_t replication_;
  int fd_;
  std::filesystem::path path_;
  std::size_t memory_budget_;
  /// First address of each population, in scenario order (ascending).
  std::vector<models::AddressId> population_base_;
  std::uint64_t next_ = 0;  ///< the sequence of the next row to write
  /// Rows that ended before their turn: a min-heap by sequence.
  std::vector<Held> held_;
  std::size_t held_bytes_ = 0;
  std::size_t peak_held_bytes_ = 0;
  /// Spilled runs that still hold rows: a min-heap by head sequence.
  std::vector<std::unique_ptr<SpillRun>> runs_;
  std::size_t spilled_runs_ = 0;
  std::string out_;  ///< rows in order, not yet written
};

/// Passes every announcement of one network to two observers, in order (the
/// replication's recorder, then its call records). Every NetworkObserver
/// member must be forwarded here, including those with a default body.
class ObserverPair final : public models::NetworkObserver {
 public:
  ObserverPair(models::NetworkObserver& first, models::NetworkObserver& second)
      : first_(first), second_(second) {}
  void circuit_requested(models::TrunkGroupId group, bool granted, sim::Tick now) override {
    first_.circuit_requested(group, granted, now);
    second_.circuit_requested(group, granted, now);
  }
  void refused_by_reserve(models::TrunkGroupId group, sim::Tick now) override {
    first_.refused_by_reserve(group, now);
    second_.refused_by_reserve(group, now);
  }
  void circuits_changed(models::TrunkGroupId group, std::uint32_t busy, sim::Tick now) override {
    first_.circuits_changed(group, busy, now);
    second_.circuits_changed(group, busy, now);
  }
  void overflowed(models::TrunkGroupId group, sim::Tick now) override {
    first_.overflowed(group, now);
    second_.overflowed(group, now);
  }
  void caller_busy(models::RelationId relation, bool measured, sim::Tick now) override {
    first_.caller_busy(relation, measured, now);
    second_.caller_busy(relation, measured, now);
  }
  void call_ended(const models::CallSummary& call, sim::Tick now) override {
    first_.call_ended(call, now);
    second_.call_ended(call, now);
  }
  void request_event(models::PolicyId policy, models::RequestEvent event, bool measured,
                     sim::Tick now) override {
    first_.request_event(policy, event, measured, now);
    second_.request_event(policy, event, measured, now);
  }

 private:
  models::NetworkObserver& first_;
  models::NetworkObserver& second_;
};

}  // namespace telsim::scenarios::detail
