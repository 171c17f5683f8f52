// Studies over MPI ranks (built only with MPI, see telsim/studies/mpi_workers.hpp).
#include "telsim/studies/mpi_workers.hpp"

#include <fcntl.h>
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

#include "telsim/scenarios/runner.hpp"

namespace telsim::studies {
namespace {

constexpr int tag_request = 1;  // worker rank -> 0: "a task, please"
constexpr int tag_task = 2;     // 0 -> worker rank: a task index, or -1 for none left
constexpr int tag_done = 3;     // worker rank -> 0: "my workers are finished"

}  // namespace

struct MpiWorkers::Impl {
  std::mutex mpi;  // every MPI call is made under it (MPI_THREAD_SERIALIZED)
  std::mutex counter_mutex;
  long long next = 0;
  long long count = 0;
  const std::atomic<int>* stop = nullptr;
  bool exhausted = false;  // this (worker) rank was told there is nothing left
  std::thread dispatcher;
  int saved_stderr = -1;  // a non-root rank's real standard error

  // Rank 0: the next task from the shared counter.
  long long take() {
    const std::lock_guard lock(counter_mutex);
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
        const std::lock_guard lock(mpi);
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

  // The next task for this rank (any thread), or -1.
  long long next_task(int rank) {
    if (rank == 0) return take();
    const std::lock_guard lock(mpi);
    if (exhausted || stop->load() != 0) return -1;
    long long task = -1;
    const long long request = 0;
    MPI_Send(&request, 1, MPI_LONG_LONG, 0, tag_request, MPI_COMM_WORLD);
    MPI_Recv(&task, 1, MPI_LONG_LONG, 0, tag_task, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (task < 0) exhausted = true;
    return task;
  }

  // Says `what` on the real standard error and ends every rank with exit code 3: the other
  // ranks cannot see an exception thrown here.
  [[noreturn]] void fatal(int rank, const std::string& what) {
    const std::string line = "telsim: error: rank " + std::to_string(rank) + ": " + what + "\n";
    const int fd = saved_stderr >= 0 ? saved_stderr : STDERR_FILENO;
    std::fflush(stdout);
    std::fflush(stderr);
    [[maybe_unused]] const auto written = ::write(fd, line.data(), line.size());
    const std::lock_guard lock(mpi);  // MPI_THREAD_SERIALIZED: not beside the dispatcher
    MPI_Abort(MPI_COMM_WORLD, 3);
    std::_Exit(3);
  }
};

MpiWorkers::MpiWorkers() : impl_(std::make_unique<Impl>()) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (provided < MPI_THREAD_SERIALIZED) {
    std::fputs("telsim: error: the MPI library does not allow calls from several threads\n",
               stderr);
    MPI_Abort(MPI_COMM_WORLD, 3);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (rank_ != 0) {
    std::fflush(stdout);
    std::fflush(stderr);
    impl_->saved_stderr = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      ::close(null);
    }
  }
}

MpiWorkers::~MpiWorkers() {
  if (impl_->dispatcher.joinable()) impl_->dispatcher.join();
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Finalize();
  if (impl_->saved_stderr >= 0) ::close(impl_->saved_stderr);
}

void MpiWorkers::for_each(std::size_t count, unsigned threads,
                          const std::function<void(std::size_t)>& work,
                          const std::atomic<int>& stop) {
  impl_->count = static_cast<long long>(count);
  impl_->next = 0;
  impl_->stop = &stop;
  impl_->exhausted = false;
  if (rank_ == 0 && size_ > 1) impl_->dispatcher = std::thread([this] { impl_->dispatch(size_); });

  std::mutex mutex;
  std::exception_ptr interrupted;
  const auto worker = [&] {
    while (true) {
      const long long task = impl_->next_task(rank_);
      if (task < 0) return;
      try {
        work(static_cast<std::size_t>(task));
      } catch (const scenarios::Interrupted&) {
        const std::lock_guard lock(mutex);
        if (!interrupted) interrupted = std::current_exception();
        return;
      } catch (const std::exception& e) {
        impl_->fatal(rank_, e.what());
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();

  // Collective end: every worker rank tells rank 0 it is done; rank 0's dispatcher ends.
  if (rank_ != 0) {
    const std::lock_guard lock(impl_->mpi);
    const long long done = 0;
    MPI_Send(&done, 1, MPI_LONG_LONG, 0, tag_done, MPI_COMM_WORLD);
  } else if (impl_->dispatcher.joinable()) {
    impl_->dispatcher.join();
  }
  if (interrupted) std::rethrow_exception(interrupted);
}

std::vector<std::string> MpiWorkers::share(std::vector<std::optional<std::string>> mine) {
  const std::lock_guard lock(impl_->mpi);
  // Which rank made each task: the largest rank + 1 that has it (0 = nobody).
  std::vector<int> have(mine.size(), 0), owner(mine.size(), 0);
  for (std::size_t i = 0; i < mine.size(); ++i) have[i] = mine[i] ? rank_ + 1 : 0;
  MPI_Allreduce(have.data(), owner.data(), static_cast<int>(have.size()), MPI_INT, MPI_MAX,
                MPI_COMM_WORLD);
  std::vector<std::string> all(mine.size());
  for (std::size_t i = 0; i < mine.size(); ++i) {
    if (owner[i] == 0) continue;
    const int root = owner[i] - 1;
    if (root == rank_) all[i] = std::move(*mine[i]);
    unsigned long long size = all[i].size();
    MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, root, MPI_COMM_WORLD);
    all[i].resize(size);
    // Large texts in pieces: MPI counts are ints.
    for (unsigned long long at = 0; at < size;) {
      const int piece = static_cast<int>(std::min<unsigned long long>(size - at, 1ull << 30));
      MPI_Bcast(all[i].data() + at, piece, MPI_CHAR, root, MPI_COMM_WORLD);
      at += static_cast<unsigned long long>(piece);
    }
  }
  return all;
}

int MpiWorkers::broadcast(int value) {
  const std::lock_guard lock(impl_->mpi);
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

int MpiWorkers::all_max(int value) {
  const std::lock_guard lock(impl_->mpi);
  int result = 0;
  MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return result;
}

void MpiWorkers::barrier() {
  const std::lock_guard lock(impl_->mpi);
  MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace telsim::studies
