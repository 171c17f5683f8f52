#include "telsim/studies/workers.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

#include "telsim/scenarios/runner.hpp"

namespace telsim::studies {
namespace {

std::string error_text(int code, const char* what) {
  std::string text = "e";
  text += std::to_string(code);
  text += '\n';
  text += what;
  return text;
}

}  // namespace

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

std::vector<TaskResult> Workers::map(std::size_t count,
                                     const std::function<std::string(std::size_t)>& work,
                                     const std::atomic<int>& stop, bool stop_after_error) {
  // Each task's text travels between ranks as 'o' + output, or 'e' + code + '\n' + message.
  std::vector<std::optional<std::string>> mine(count);
  std::atomic<bool> failed{false};
  int signal = 0;
  try {
    for_each(
        count, 1,
        [&](std::size_t task) {
          if (stop_after_error && failed.load()) return;
          try {
            std::string text = "o";
            text += work(task);
            mine[task] = std::move(text);
          } catch (const scenarios::Interrupted&) {
            throw;
          } catch (const StudyError& e) {
            mine[task] = error_text(e.exit_code(), e.what());
            failed = true;
          } catch (const std::exception& e) {
            mine[task] = error_text(exit_failed, e.what());
            failed = true;
          }
        },
        stop);
  } catch (const scenarios::Interrupted& e) {
    signal = e.signal();  // the other ranks still meet this rank in all_max
  }
  signal = all_max(std::max(signal, stop.load()));
  if (signal != 0) throw scenarios::Interrupted(signal);
  std::vector<TaskResult> results;
  for (std::string& text : share(std::move(mine))) {
    TaskResult r;
    if (text.empty()) {
      r.error = StudyError(exit_failed, "");  // not run: a task before it failed
    } else if (text.front() == 'o') {
      r.output = text.substr(1);
    } else {
      const auto newline = text.find('\n');
      r.error = StudyError(std::stoi(text.substr(1, newline - 1)), text.substr(newline + 1));
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<std::string> outputs_or_throw(std::vector<TaskResult> results) {
  std::vector<std::string> outputs;
  for (TaskResult& r : results) {
    if (r.error) throw *r.error;
    outputs.push_back(std::move(r.output));
  }
  return outputs;
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
