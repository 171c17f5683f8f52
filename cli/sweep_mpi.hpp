#pragma once
// Spreading a sweep's points over MPI ranks (SPEC §4). Compiled only when the
// build found MPI (TELSIM_HAVE_MPI); sweep_command.cpp uses it only when the
// process was started by mpirun, so plain runs never initialise MPI.
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace telsim::cli {

/// True when the environment shows an MPI launcher (Open MPI, MPICH/PMI, Slurm's
/// PMIx) started this process as one of several ranks. Reads only the environment.
bool started_by_mpirun();

#ifdef TELSIM_HAVE_MPI
/// One MPI world for the length of a sweep: MPI_Init_thread (serialised calls)
/// in the constructor, MPI_Finalize in the destructor.
///
/// Work distribution is dynamic: rank 0 runs a small dispatcher thread that hands out
/// task indices 0..count-1 on request (polling, so it costs no core), and its own
/// workers take indices from the same counter, so every rank, rank 0 included, runs
/// points. All MPI calls are serialised by one mutex.
class MpiWorld {
 public:
  MpiWorld();
  ~MpiWorld();
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  /// Rank 0's `value` on every rank.
  int broadcast(int value);
  /// The largest `value` over the ranks, on every rank.
  int all_max(int value);
  void barrier();
  /// Ends every rank with `code` (after an error that the others cannot see).
  [[noreturn]] void abort(int code);

  /// Starts handing out `count` tasks; on rank 0 also starts the dispatcher. Once
  /// `stop` is non-zero no new task is handed out. Call on every rank.
  void start_tasks(std::size_t count, const std::atomic<int>* stop);
  /// The next task for this rank, or nothing when all are handed out. Thread-safe.
  std::optional<std::size_t> next_task();
  /// Call on every rank once this rank's workers are done (collective).
  void finish_tasks();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0;
  int size_ = 1;
};
#endif

}  // namespace telsim::cli
