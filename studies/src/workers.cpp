#include "telsim/studies/workers.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

#include "telsim/scenarios/runner.hpp"

namespace telsim::studies {

std::optional<std::size_t> CounterTaskSource::next() {
  if (stop_ != nullptr && stop_->load() != 0) return std::nullopt;
  const std::size_t task = next_.fetch_add(1);
  if (task >= count_) return std::nullopt;
  return task;
}

std::vector<std::string> Workers::share(std::vector<std::optional<std::string>> mine) {
  std::vector<std::string> all;
  all.reserve(mine.size());
  for (auto& text : mine) all.push_back(text ? std::move(*text) : std::string());
  return all;
}

std::vector<std::string> Workers::map(std::size_t count,
                                      const std::function<std::string(std::size_t)>& work,
                                      const std::atomic<int>& stop) {
  std::vector<std::optional<std::string>> mine(count);
  int signal = 0;
  try {
    for_each(
        count, 1, [&](std::size_t task) { mine[task] = work(task); }, stop);
  } catch (const scenarios::Interrupted& e) {
    signal = e.signal();  // the other ranks still meet this rank in all_max
  }
  signal = all_max(std::max(signal, stop.load()));
  if (signal != 0) throw scenarios::Interrupted(signal);
  return share(std::move(mine));
}

void LocalWorkers::for_each(std::size_t count, unsigned threads,
                            const std::function<void(std::size_t)>& work,
                            const std::atomic<int>& stop) {
  CounterTaskSource tasks(count, &stop);
  std::mutex mutex;
  std::exception_ptr first_error;
  const auto worker = [&] {
    while (true) {
      {
        const std::lock_guard lock(mutex);
        if (first_error) return;
      }
      const std::optional<std::size_t> task = tasks.next();
      if (!task) return;
      try {
        work(*task);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!first_error) first_error = std::current_exception();
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

bool started_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

}  // namespace telsim::studies
