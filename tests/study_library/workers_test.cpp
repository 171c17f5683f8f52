// studies::LocalWorkers, Workers::map and CounterTaskSource: every task once, the stop flag,
// the first exception, and outputs in task order.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::study_library_test {
namespace {

using namespace std::chrono_literals;
using studies::CounterTaskSource;
using studies::exit_bad_input;
using studies::exit_failed;
using studies::LocalWorkers;
using studies::outputs_or_throw;
using studies::StudyError;
using studies::TaskResult;

/// Spins until `ready()` or a few seconds have passed, so that a wrong implementation fails
/// the test instead of hanging it. Returns ready().
template <typename Ready>
bool wait_until(Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

class ForEach : public ::testing::TestWithParam<unsigned> {};

TEST_P(ForEach, RunsEveryTaskExactlyOnce) {
  const unsigned threads = GetParam();
  constexpr std::size_t count = 1000;
  std::vector<std::atomic<int>> runs(count);
  std::atomic<int> stop{0};
  LocalWorkers workers;
  workers.for_each(
      count, threads, [&](std::size_t task) { runs.at(task)++; }, stop);
  for (std::size_t t = 0; t < count; ++t) ASSERT_EQ(runs[t].load(), 1) << "task " << t;

  // No task at all is fine too.
  bool any = false;
  workers.for_each(
      0, threads, [&](std::size_t) { any = true; }, stop);
  EXPECT_FALSE(any);
}

TEST_P(ForEach, StopsHandingOutTasksOnceTheStopFlagIsSet) {
  const unsigned threads = GetParam();
  constexpr std::size_t count = 1000;
  std::atomic<int> stop{0};
  std::atomic<std::size_t> started{0};
  std::atomic<std::size_t> started_after_stop{0};
  LocalWorkers workers;
  workers.for_each(
      count, threads,
      [&](std::size_t task) {
        if (stop.load() != 0) started_after_stop++;
        started++;
        if (task == 10) {
          stop = 2;
        } else {
          // Slow enough that the other threads cannot finish the list before task 10 runs.
          std::this_thread::sleep_for(1ms);
        }
      },
      stop);
  // A thread may have been handed a task just before the flag was set; none after that.
  EXPECT_LE(started_after_stop.load(), threads - 1);
  EXPECT_GE(started.load(), 11u);
  EXPECT_LT(started.load(), count);
  if (threads == 1) {
    EXPECT_EQ(started.load(), 11u);
  }

  // Set before the call: nothing runs.
  started = 0;
  workers.for_each(
      count, threads, [&](std::size_t) { started++; }, stop);
  EXPECT_EQ(started.load(), 0u);
}

TEST_P(ForEach, UsesTheThreadsItIsGiven) {
  const unsigned threads = GetParam();
  std::atomic<int> stop{0};
  std::atomic<unsigned> running{0};
  std::mutex mutex;
  std::set<std::thread::id> ids;
  LocalWorkers workers;
  // The first `threads` tasks wait for each other: they can only all start if the tasks
  // really run side by side.
  std::atomic<bool> all_met{true};
  workers.for_each(
      4 * threads, threads,
      [&](std::size_t task) {
        {
          const std::lock_guard lock(mutex);
          ids.insert(std::this_thread::get_id());
        }
        if (task < threads) {
          running++;
          if (!wait_until([&] { return running.load() >= threads; })) all_met = false;
        }
      },
      stop);
  EXPECT_TRUE(all_met.load());
  EXPECT_EQ(ids.size(), threads);
}

TEST_P(ForEach, RethrowsTheFirstExceptionAndStartsNoTaskAfterIt) {
  const unsigned threads = GetParam();
  std::atomic<int> stop{0};
  std::atomic<bool> thrown{false};
  std::mutex mutex;
  std::set<std::size_t> started;
  LocalWorkers workers;
  // Task `threads - 1` throws. The tasks before it, one on each other thread, wait until it
  // has, then a little longer so that its error is recorded, and throw too: theirs are not
  // the first, and no thread may ask for more, so exactly tasks 0..threads-1 start.
  const std::size_t thrower = threads - 1;
  try {
    workers.for_each(
        1000, threads,
        [&](std::size_t task) {
          {
            const std::lock_guard lock(mutex);
            started.insert(task);
          }
          if (task == thrower) {
            thrown = true;
            throw std::runtime_error("task " + std::to_string(task));
          }
          if (task < thrower) {
            wait_until([&] { return thrown.load(); });
            std::this_thread::sleep_for(200ms);
            throw std::runtime_error("a later error");
          }
        },
        stop);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "task " + std::to_string(thrower));
  }
  std::set<std::size_t> expected;
  for (std::size_t t = 0; t < threads; ++t) expected.insert(t);
  EXPECT_EQ(started, expected);
}

TEST_P(ForEach, AThreadWhoseTaskThrewTakesNoOtherTask) {
  const unsigned threads = GetParam();
  std::atomic<int> stop{0};
  std::atomic<int> throws{0};
  LocalWorkers workers;
  try {
    workers.for_each(
        100, threads,
        [&](std::size_t task) {
          throws++;
          throw std::out_of_range("task " + std::to_string(task));
        },
        stop);
    FAIL() << "no exception";
  } catch (const std::out_of_range& e) {
    EXPECT_TRUE(std::string(e.what()).rfind("task ", 0) == 0) << e.what();
  }
  EXPECT_GE(throws.load(), 1);
  EXPECT_LE(throws.load(), static_cast<int>(threads));
}

INSTANTIATE_TEST_SUITE_P(Threads, ForEach, ::testing::Values(1u, 4u),
                         [](const auto& info) { return std::to_string(info.param) + "threads"; });

TEST(Map, ReturnsTheOutputsInTaskOrder) {
  std::atomic<int> stop{0};
  LocalWorkers workers;
  const std::vector<std::string> out = outputs_or_throw(workers.map(
      5, [](std::size_t task) { return std::string(task + 1, 'a' + task); }, stop));
  EXPECT_EQ(out, (std::vector<std::string>{"a", "bb", "ccc", "dddd", "eeeee"}));
  EXPECT_TRUE(workers
                  .map(
                      0, [](std::size_t) { return std::string("x"); }, stop)
                  .empty());
}

TEST(Map, ThrowsInterruptedWhenTheStopFlagIsSet) {
  LocalWorkers workers;
  {
    // Set before: no task runs, and the signal is the flag's.
    std::atomic<int> stop{15};
    bool ran = false;
    try {
      (void)workers.map(
          3,
          [&](std::size_t) {
            ran = true;
            return std::string();
          },
          stop);
      ADD_FAILURE() << "no interruption";
    } catch (const scenarios::Interrupted& e) {
      EXPECT_EQ(e.signal(), 15);
    }
    EXPECT_FALSE(ran);
  }
  {
    // Set by the second task: the third never runs, and nothing partial is returned.
    std::atomic<int> stop{0};
    std::vector<std::size_t> ran;
    try {
      (void)workers.map(
          3,
          [&](std::size_t task) {
            ran.push_back(task);
            if (task == 1) stop = 2;
            return std::string("done");
          },
          stop);
      ADD_FAILURE() << "no interruption";
    } catch (const scenarios::Interrupted& e) {
      EXPECT_EQ(e.signal(), 2);
    }
    EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1}));
  }
  {
    // A task that was itself interrupted (a run that saw the flag) reports its signal
    // even if the flag is clear again by the time map looks.
    std::atomic<int> stop{0};
    try {
      (void)workers.map(
          3,
          [&](std::size_t task) -> std::string {
            if (task == 0) throw scenarios::Interrupted(2);
            return "x";
          },
          stop);
      ADD_FAILURE() << "no interruption";
    } catch (const scenarios::Interrupted& e) {
      EXPECT_EQ(e.signal(), 2);
    }
  }
}

TEST(Map, ErrorsComeBackWithTheirTaskAndExitCode) {
  std::atomic<int> stop{0};
  LocalWorkers workers;
  std::vector<std::size_t> ran;
  const std::vector<TaskResult> results = workers.map(
      4,
      [&](std::size_t task) -> std::string {
        ran.push_back(task);
        if (task == 1) throw StudyError(exit_bad_input, "task one");
        if (task == 2) throw std::logic_error("task two");
        return "x";
      },
      stop);
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1, 2, 3})) << "an error ends nothing by itself";
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].output, "x");
  EXPECT_FALSE(results[0].error);
  ASSERT_TRUE(results[1].error);
  EXPECT_EQ(results[1].error->exit_code(), exit_bad_input);
  EXPECT_STREQ(results[1].error->what(), "task one");
  ASSERT_TRUE(results[2].error);
  EXPECT_EQ(results[2].error->exit_code(), exit_failed);
  EXPECT_STREQ(results[2].error->what(), "task two");
  try {
    (void)outputs_or_throw(results);
    ADD_FAILURE() << "no error";
  } catch (const StudyError& e) {
    EXPECT_STREQ(e.what(), "task one") << "the first in task order";
  }
}

TEST(Map, StopAfterErrorStartsNoFurtherTask) {
  std::atomic<int> stop{0};
  LocalWorkers workers;
  std::vector<std::size_t> ran;
  const std::vector<TaskResult> results = workers.map(
      4,
      [&](std::size_t task) -> std::string {
        ran.push_back(task);
        if (task == 1) throw StudyError(exit_failed, "boom");
        return "x";
      },
      stop, /*stop_after_error=*/true);
  EXPECT_EQ(ran, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(results[2].error && results[3].error) << "not run";
}

TEST(Workers, TheDefaultsAreThoseOfOneProcess) {
  LocalWorkers workers;
  EXPECT_EQ(workers.rank(), 0);
  EXPECT_EQ(workers.ranks(), 1);
  EXPECT_TRUE(workers.is_root());
  EXPECT_EQ(workers.broadcast(7), 7);
  EXPECT_EQ(workers.all_max(-3), -3);
  EXPECT_EQ(workers.share({std::string("a"), std::nullopt, std::string("c")}),
            (std::vector<std::string>{"a", "", "c"}));
}

TEST(CounterTaskSource, HandsOutEachTaskOnceInOrderThenNothing) {
  CounterTaskSource tasks(3, nullptr);
  EXPECT_EQ(tasks.next(), std::optional<std::size_t>(0));
  EXPECT_EQ(tasks.next(), std::optional<std::size_t>(1));
  EXPECT_EQ(tasks.next(), std::optional<std::size_t>(2));
  EXPECT_EQ(tasks.next(), std::nullopt);
  EXPECT_EQ(tasks.next(), std::nullopt);

  CounterTaskSource none(0, nullptr);
  EXPECT_EQ(none.next(), std::nullopt);
}

TEST(CounterTaskSource, GivesNothingWhileTheStopFlagIsSet) {
  std::atomic<int> stop{0};
  CounterTaskSource tasks(5, &stop);
  EXPECT_EQ(tasks.next(), std::optional<std::size_t>(0));
  stop = 2;
  EXPECT_EQ(tasks.next(), std::nullopt);
  EXPECT_EQ(tasks.next(), std::nullopt);
}

TEST(CounterTaskSource, ThreadsAskingTogetherGetEveryTaskOnce) {
  constexpr std::size_t count = 20000;
  CounterTaskSource tasks(count, nullptr);
  std::vector<std::atomic<int>> handed(count);
  std::vector<std::thread> pool;
  for (int t = 0; t < 4; ++t) {
    pool.emplace_back([&] {
      while (const auto task = tasks.next()) handed.at(*task)++;
    });
  }
  for (auto& t : pool) t.join();
  for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(handed[i].load(), 1) << i;
}

// started_by_mpirun reads these variables only; save and restore them around the test.
class StartedByMpirun : public ::testing::Test {
 protected:
  static constexpr const char* kNames[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE",
                                           "MPI_LOCALNRANKS"};
  void SetUp() override {
    for (const char* name : kNames) {
      const char* value = std::getenv(name);
      saved_.push_back(value ? std::optional<std::string>(value) : std::nullopt);
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    for (std::size_t i = 0; i < saved_.size(); ++i) {
      if (saved_[i]) {
        ::setenv(kNames[i], saved_[i]->c_str(), 1);
      } else {
        ::unsetenv(kNames[i]);
      }
    }
  }
  std::vector<std::optional<std::string>> saved_;
};

TEST_F(StartedByMpirun, ReadsTheLaunchersVariables) {
  EXPECT_FALSE(studies::started_by_mpirun());
  for (const char* name : kNames) {
    ::setenv(name, "", 1);
    EXPECT_FALSE(studies::started_by_mpirun()) << name << " empty";
    ::setenv(name, "3", 1);
    EXPECT_TRUE(studies::started_by_mpirun()) << name;
    ::unsetenv(name);
  }
}

}  // namespace
}  // namespace telsim::study_library_test
