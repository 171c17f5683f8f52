#pragma once
/// Where a study's runs happen: this process, or every rank of an MPI job
/// (telsim/studies/mpi_workers.hpp). Sweep, compare and dimension all hand their runs
/// out through Workers, so each of them runs under `mpirun` the way it runs on one machine.
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "telsim/studies/study_error.hpp"

namespace telsim::studies {

/// Hands out task indices 0..count-1, each once, to whoever asks. Thread-safe.
class TaskSource {
 public:
  virtual ~TaskSource() = default;
  /// The next task for the caller, or nothing when every task is handed out or the stop
  /// flag is set.
  virtual std::optional<std::size_t> next() = 0;
};

/// A shared counter: the task source of one process.
class CounterTaskSource final : public TaskSource {
 public:
  CounterTaskSource(std::size_t count, const std::atomic<int>* stop) : count_(count), stop_(stop) {}
  std::optional<std::size_t> next() override;

 private:
  std::atomic<std::size_t> next_{0};
  std::size_t count_;
  const std::atomic<int>* stop_;
};

/// One task's result from Workers::map.
struct TaskResult {
  std::string output;
  std::optional<StudyError> error;  ///< set: the task failed (or, empty output, did not run)
};

/// The outputs, or the first error in task order (thrown on every rank alike).
std::vector<std::string> outputs_or_throw(std::vector<TaskResult> results);

/// The processes a study runs on. Every call is collective: under MPI every rank makes the
/// same calls in the same order (each rank runs the same study on the same scenario, so the
/// decisions it takes from shared results are the same everywhere).
class Workers {
 public:
  virtual ~Workers() = default;
  virtual int rank() const { return 0; }
  virtual int ranks() const { return 1; }
  bool is_root() const { return rank() == 0; }

  /// Runs work(task) for every task in [0, count), each exactly once on one of the ranks,
  /// on `threads` threads per rank. No task starts once `stop` is set or a task has thrown.
  /// The first exception of this process is rethrown; an exception on another rank ends
  /// the whole job (MPI cannot carry it), after that rank printed it.
  virtual void for_each(std::size_t count, unsigned threads,
                        const std::function<void(std::size_t)>& work,
                        const std::atomic<int>& stop) = 0;

  /// Every task's text on every rank: `mine[i]` is set on the rank that made task i.
  virtual std::vector<std::string> share(std::vector<std::optional<std::string>> mine);
  /// Rank 0's value on every rank.
  virtual int broadcast(int value) { return value; }
  /// The largest value over the ranks, on every rank.
  virtual int all_max(int value) { return value; }
  /// Returns when every rank has called it.
  virtual void barrier() {}

  /// What `work` gave for tasks 0..count-1, in task order, on every rank (the tasks run
  /// one at a time on each rank): its output, or the StudyError it threw (any other
  /// std::exception becomes one with exit_failed and its what()). An error ends nothing
  /// by itself: the caller decides (dimension judges sizes it may never need), so every
  /// rank learns it with its message and exit code. With `stop_after_error`, this process
  /// starts no task after one of its tasks failed (those come back as errors with an
  /// empty message). Throws scenarios::Interrupted (on every rank) when `stop` was set on
  /// any rank before every task ended.
  std::vector<TaskResult> map(std::size_t count,
                              const std::function<std::string(std::size_t)>& work,
                              const std::atomic<int>& stop, bool stop_after_error = false);
};

/// This process alone.
class LocalWorkers final : public Workers {
 public:
  void for_each(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work,
                const std::atomic<int>& stop) override;
};

/// True when the environment shows an MPI launcher (Open MPI, MPICH/PMI, Slurm's PMIx)
/// started this process as one of several ranks. Reads only the environment.
bool started_by_mpirun();

}  // namespace telsim::studies
