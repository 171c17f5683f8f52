#pragma once
/// A study spread over the ranks of an MPI job (SPEC §4: `mpirun -n K telsim sweep ...`,
/// and compare and dimension the same way). In its own library, telsim_studies_mpi, built
/// only when CMake finds MPI; a program uses it only when started_by_mpirun(), so plain
/// runs never initialise MPI.
#include <memory>

#include "telsim/studies/workers.hpp"

namespace telsim::studies {

/// The MPI world for the length of a study: MPI_Init_thread (serialised calls) in the
/// constructor, MPI_Finalize in the destructor; one per process.
///
/// Tasks are handed out dynamically: rank 0 runs a small dispatcher thread that answers
/// other ranks' requests (polling, so it costs no core), and its own workers take tasks
/// from the same counter, so every rank, rank 0 included, runs tasks. Every MPI call is
/// serialised by one mutex.
///
/// Only rank 0 speaks: the constructor sends the other ranks' standard output and error
/// to /dev/null (they run the same study and would print everything again), keeping
/// their error stream for the one message they print before ending the job.
class MpiWorkers final : public Workers {
 public:
  MpiWorkers();
  ~MpiWorkers() override;
  MpiWorkers(const MpiWorkers&) = delete;
  MpiWorkers& operator=(const MpiWorkers&) = delete;

  int rank() const override { return rank_; }
  int ranks() const override { return size_; }

  void for_each(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work,
                const std::atomic<int>& stop) override;
  std::vector<std::string> share(std::vector<std::optional<std::string>> mine) override;
  int broadcast(int value) override;
  int all_max(int value) override;
  void barrier() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace telsim::studies
