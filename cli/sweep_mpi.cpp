// MPI distribution of a sweep's points (built only with MPI, see sweep_mpi.hpp).
#include "sweep_mpi.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

namespace telsim::cli {
namespace {

constexpr int tag_request = 1;  // worker rank -> 0: "a task, please"
constexpr int tag_task = 2;     // 0 -> worker rank: a task index, or -1 for none left
constexpr int tag_done = 3;     // worker rank -> 0: "my workers are finished"

}  // namespace

struct MpiWorld::Impl {
  std::mutex mpi;  // every MPI call is made under it (MPI_THREAD_SERIALIZED)
  std::mutex counter_mutex;
  long long next = 0;
  long long count = 0;
  const std::atomic<int>* stop = nullptr;
  bool exhausted = false;  // a worker rank was told there is nothing left
  std::thread dispatcher;

  // Rank 0: the next task from the shared counter.
  long long take() {
    std::lock_guard lock(counter_mutex);
    if ((stop != nullptr && stop->load() != 0) || next >= count) return -1;
    return next++;
  }

  // Rank 0: answers requests until every other rank said it is done. Polls with
  // MPI_Iprobe and a short sleep, so it does not busy-wait a core away from the
  // simulation running on the same rank.
  void dispatch(int ranks) {
    int done = 0;
    while (done < ranks - 1) {
      int flag = 0;
      MPI_Status status;
      {
        std::lock_guard lock(mpi);
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
        if (flag != 0) {
          long long dummy = 0;
          MPI_Recv(&dummy, 1, MPI_LONG_LONG, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE);
          if (status.MPI_TAG == tag_request) {
            const long long task = take();
            MPI_Send(&task, 1, MPI_LONG_LONG, status.MPI_SOURCE, tag_task, MPI_COMM_WORLD);
          } else if (status.MPI_TAG == tag_done) {
            ++done;
          }
        }
      }
      if (flag == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
};

MpiWorld::MpiWorld() : impl_(std::make_unique<Impl>()) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    std::fputs("telsim: error: the MPI library does not allow calls from several threads\n",
               stderr);
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiWorld::~MpiWorld() {
  if (impl_->dispatcher.joinable()) impl_->dispatcher.join();
  MPI_Finalize();
}

int MpiWorld::broadcast(int value) {
  std::lock_guard lock(impl_->mpi);
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

int MpiWorld::all_max(int value) {
  std::lock_guard lock(impl_->mpi);
  int result = 0;
  MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return result;
}

void MpiWorld::barrier() {
  std::lock_guard lock(impl_->mpi);
  MPI_Barrier(MPI_COMM_WORLD);
}

void MpiWorld::abort(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

void MpiWorld::start_tasks(std::size_t count, const std::atomic<int>* stop) {
  impl_->count = static_cast<long long>(count);
  impl_->next = 0;
  impl_->stop = stop;
  impl_->exhausted = false;
  if (rank_ == 0 && size_ > 1) {
    impl_->dispatcher = std::thread([this] { impl_->dispatch(size_); });
  }
}

std::optional<std::size_t> MpiWorld::next_task() {
  long long task = -1;
  if (rank_ == 0) {
    task = impl_->take();
  } else {
    std::lock_guard lock(impl_->mpi);
    if (impl_->exhausted || impl_->stop->load() != 0) return std::nullopt;
    const long long request = 0;
    MPI_Send(&request, 1, MPI_LONG_LONG, 0, tag_request, MPI_COMM_WORLD);
    MPI_Recv(&task, 1, MPI_LONG_LONG, 0, tag_task, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (task < 0) impl_->exhausted = true;
  }
  if (task < 0) return std::nullopt;
  return static_cast<std::size_t>(task);
}

void MpiWorld::finish_tasks() {
  if (rank_ != 0) {
    std::lock_guard lock(impl_->mpi);
    const long long done = 0;
    MPI_Send(&done, 1, MPI_LONG_LONG, 0, tag_done, MPI_COMM_WORLD);
  } else if (impl_->dispatcher.joinable()) {
    impl_->dispatcher.join();
  }
}

}  // namespace telsim::cli
