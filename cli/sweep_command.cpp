// `telsim sweep` (SPEC §4): a scenario over a grid of values, one results file
// per point, then summaries built from the point files alone.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "progress.hpp"
#include "provenance.hpp"
#include "scenario_loading.hpp"
#include "signals.hpp"
#include "sweep_mpi.hpp"
#include "sweep_sqlite.hpp"
#include "telsim/analysis/expect.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/scenarios/sweep.hpp"

namespace telsim::cli {

bool started_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

/// One point of the grid, loaded and validated before anything runs.
struct Point {
  std::vector<std::string> values;
  scenarios::Scenario scenario;
  ordered_json resolved;
};

std::string describe(const std::vector<scenarios::VaryAxis>& axes,
                     const std::vector<std::string>& values) {
  std::string text;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    if (a > 0) text += ' ';
    text += axes[a].key + "=" + values[a];
  }
  return text;
}

std::string point_name(std::size_t p) {
  const std::string file = scenarios::point_file_name(p);
  return file.substr(0, file.size() - 5);
}

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Work shared by the sweep's worker threads.
struct Progress {
  std::mutex mutex;
  std::size_t done = 0;
  std::size_t total = 0;
  std::optional<std::string> error;   ///< the first error; stops the sweep (exit 3)
  std::vector<std::size_t> finished;  ///< points written by this process
};

class Sweep {
 public:
  explicit Sweep(const SweepArgs& args) : args_(args) {}

  /// Parses --vary, loads every point's scenario. Prints the error and returns the
  /// exit code on failure; nothing is written.
  std::optional<int> prepare() {
    try {
      for (const std::string& text : args_.vary) axes_.push_back(scenarios::parse_vary(text));
      grid_ = scenarios::expand_grid(axes_);
    } catch (const scenarios::VaryError& e) {
      fmt::print(stderr, "--vary: error: {}\n", e.what());
      return exit_bad_input;
    }
    scenarios::Scenario base;
    if (const auto failed =
            load_with_plugins(args_.study.file, args_.study.plugins, args_.study.allow_plugins,
                              args_.study.sets, plugins_, registry_, base)) {
      return failed;
    }
    points_.reserve(grid_.size());
    for (std::size_t p = 0; p < grid_.size(); ++p) {
      std::vector<std::string> overrides = args_.study.sets;
      for (std::string& o : scenarios::point_overrides(axes_, grid_[p])) overrides.push_back(o);
      Point point;
      point.values = grid_[p];
      try {
        point.scenario = scenarios::load_scenario_file(args_.study.file, overrides, registry_);
      } catch (const scenarios::ScenarioError& e) {
        fmt::print(stderr, "--vary: error: point {} ({}): {}\n", point_name(p),
                   describe(axes_, grid_[p]), e.what());
        return exit_bad_input;
      }
      point.resolved = scenarios::resolved_scenario_json(point.scenario, registry_);
      points_.push_back(std::move(point));
    }
    out_ = fs::path(args_.out);
    points_dir_ = out_ / "points";
    temp_dir_ = out_ / ".tmp";
    return std::nullopt;
  }

  /// Checks the sweep folder (rank 0 only) and finds the points still to run.
  std::optional<int> check_folder() {
    std::error_code ec;
    std::vector<bool> kept(points_.size(), false);
    if (fs::is_directory(points_dir_, ec)) {
      std::vector<fs::path> entries;
      for (const auto& entry : fs::directory_iterator(points_dir_, ec))
        entries.push_back(entry.path());
      std::sort(entries.begin(), entries.end());
      if (!entries.empty() && !args_.resume) {
        fmt::print(stderr,
                   "telsim: error: {} already holds points of a sweep; add --resume to finish it, "
                   "or choose a fresh --out folder\n",
                   out_.string());
        return exit_bad_input;
      }
      for (const fs::path& entry : entries) {
        std::optional<std::size_t> index;
        for (std::size_t p = 0; p < points_.size() && !index; ++p) {
          if (entry.filename() == scenarios::point_file_name(p)) index = p;
        }
        if (!index) {
          fmt::print(stderr,
                     "telsim: error: {} is not a point of this sweep ({} points); resume only "
                     "with the same --vary, or choose a fresh --out folder\n",
                     entry.string(), points_.size());
          return exit_bad_input;
        }
        ordered_json doc;
        try {
          doc = ordered_json::parse(read_whole(entry));
        } catch (const std::exception& e) {
          fmt::print(stderr,
                     "telsim: error: {} cannot be read as a results file ({}); choose a "
                     "fresh --out folder\n",
                     entry.string(), e.what());
          return exit_bad_input;
        }
        if (!doc.contains("scenario") ||
            doc["scenario"].dump() != points_[*index].resolved.dump()) {
          fmt::print(stderr,
                     "telsim: error: {} was made from another scenario than this sweep's point "
                     "{} ({}): the scenario file, --set or --vary changed; choose a fresh --out "
                     "folder\n",
                     entry.string(), point_name(*index), describe(axes_, grid_[*index]));
          return exit_bad_input;
        }
        kept[*index] = true;
      }
    }
    try {
      fs::create_directories(points_dir_);
      fs::create_directories(temp_dir_);
      // Temporary files left by a sweep that was killed: ours, and never complete.
      for (const auto& entry : fs::directory_iterator(temp_dir_)) fs::remove_all(entry.path());
    } catch (const fs::filesystem_error& e) {
      fmt::print(stderr, "telsim: error: cannot prepare the sweep folder {}: {}\n", out_.string(),
                 e.code().message());
      return exit_error;
    }
    todo_.clear();
    for (std::size_t p = 0; p < points_.size(); ++p) {
      if (!kept[p]) todo_.push_back(p);
    }
    kept_ = points_.size() - todo_.size();
    return std::nullopt;
  }

  /// Runs the points that `next` hands out (indices into todo()), with `workers`
  /// threads. Returns false if an error stopped the sweep.
  bool run_points(const std::function<std::optional<std::size_t>()>& next, unsigned workers,
                  unsigned threads_per_point, const std::atomic<int>& stop, Progress& progress) {
    const std::string started_at = utc_now_iso8601();
    const std::string sha = sha256_of_file(args_.study.file);
    ProgressBar bar(!args_.study.quiet, "points");
    bar.update(progress.done, progress.total);
    const auto work = [&] {
      while (stop.load() == 0) {
        {
          std::lock_guard lock(progress.mutex);
          if (progress.error) return;
        }
        const std::optional<std::size_t> task = next();
        if (!task) return;
        const std::size_t p = todo_.at(*task);
        try {
          scenarios::RunOptions options;
          options.threads = threads_per_point;
          options.stop_signal = &stop;
          analysis::RunResults results =
              scenarios::run_scenario(points_[p].scenario, registry_, options);
          results.scenario = points_[p].resolved;
          results.run.version = TELSIM_VERSION;
          results.run.commit = build_commit();
          results.run.scenario_sha256 = sha;
          results.run.command_line = args_.study.command_line;
          results.run.started_at = started_at;
          results.run.threads = static_cast<int>(threads_per_point);
          analysis::write_file_atomically(points_dir_ / scenarios::point_file_name(p),
                                          analysis::to_json(results).dump(2) + "\n", temp_dir_);
          std::lock_guard lock(progress.mutex);
          ++progress.done;
          progress.finished.push_back(p);
          bar.update(progress.done, progress.total);
        } catch (const scenarios::Interrupted&) {
          return;  // the point is dropped; --resume runs it again
        } catch (const std::exception& e) {
          std::lock_guard lock(progress.mutex);
          if (!progress.error) {
            progress.error = fmt::format("point {} ({}): {}", point_name(p),
                                         describe(axes_, grid_[p]), e.what());
          }
          return;
        }
      }
    };
    std::vector<std::thread> pool;
    for (unsigned w = 1; w < workers; ++w) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    bar.finish();
    return !progress.error;
  }

  /// Reads every point file, writes the summaries and the JUnit report, prints the
  /// per-point lines. Returns the exit code.
  int finish() {
    std::vector<ordered_json> documents;
    std::vector<std::vector<analysis::CheckResult>> checks;
    try {
      for (std::size_t p = 0; p < points_.size(); ++p) {
        documents.push_back(
            ordered_json::parse(read_whole(points_dir_ / scenarios::point_file_name(p))));
        checks.push_back(analysis::evaluate(points_[p].scenario.expect,
                                            scenarios::metric_table_of(documents.back())));
      }
      const scenarios::SweepSummary summary = scenarios::summarise(axes_, documents);
      analysis::write_file_atomically(out_ / "summary.csv", scenarios::summary_csv(summary),
                                      temp_dir_);
      analysis::write_file_atomically(out_ / "summary.json", scenarios::summary_json(summary),
                                      temp_dir_);
      write_sweep_sqlite(out_ / "results.sqlite", temp_dir_, summary);
      if (args_.junit) {
        analysis::write_file_atomically(*args_.junit, junit(documents, checks));
      }
    } catch (const std::exception& e) {
      fmt::print(stderr, "telsim: error: {}\n", e.what());
      return exit_error;
    }

    std::error_code ignored;
    fs::remove(temp_dir_, ignored);  // only if empty: nothing else of ours is left there
    bool failed = false;
    for (std::size_t p = 0; p < points_.size(); ++p) {
      std::size_t passed = 0;
      for (const auto& c : checks[p]) passed += c.passed ? 1 : 0;
      failed = failed || passed != checks[p].size();
      if (args_.study.quiet) {
        for (const auto& c : checks[p]) {
          if (!c.passed) {
            fmt::print(stderr, "telsim: expect failed: point {} ({}): {}\n", point_name(p),
                       describe(axes_, grid_[p]), c.message);
          }
        }
        continue;
      }
      const ordered_json& wall = documents[p]["engine"]["wall_seconds"];
      std::string verdict = checks[p].empty()
                                ? std::string("done")
                                : fmt::format("checks {}/{} passed", passed, checks[p].size());
      fmt::print("{}  {}  {}  ({:.1f} s)\n", point_name(p), describe(axes_, grid_[p]), verdict,
                 wall.is_number() ? wall.get<double>() : 0.0);
      for (const auto& c : checks[p]) {
        if (!c.passed) fmt::print("      FAILED {}\n", c.message);
      }
    }
    if (!args_.study.quiet) {
      fmt::print("\n{} points: {}/points/NNNN.json\nsummaries: {}, {}, {}\n", points_.size(),
                 out_.string(), (out_ / "summary.csv").string(), (out_ / "summary.json").string(),
                 (out_ / "results.sqlite").string());
      if (args_.junit) fmt::print("JUnit report: {}\n", *args_.junit);
    }
    return failed ? exit_expect_failed : exit_ok;
  }

  int interrupted(int signal, std::size_t finished) const {
    fmt::print(stderr,
               "telsim: interrupted (signal {}); {} of {} points are finished in {}/points\n"
               "to resume: {} --resume\n",
               signal, finished, points_.size(), out_.string(), resume_command());
    return signal == 15 ? exit_sigterm : exit_sigint;
  }

  int failed(const std::string& error, std::size_t finished) const {
    fmt::print(
        stderr,
        "telsim: error: {}\n{} of {} points are finished in {}/points; to resume: {} --resume\n",
        error, finished, points_.size(), out_.string(), resume_command());
    return exit_error;
  }

  std::string resume_command() const {
    const std::string& cl = args_.study.command_line;
    if (cl.find(" --resume") != std::string::npos)
      return cl.substr(0, cl.find(" --resume")) + cl.substr(cl.find(" --resume") + 9);
    return cl;
  }

  const std::vector<std::size_t>& todo() const { return todo_; }
  void set_todo(std::vector<std::size_t> todo) { todo_ = std::move(todo); }
  std::size_t size() const { return points_.size(); }
  std::size_t kept() const { return kept_; }

 private:
  std::string junit(const std::vector<ordered_json>& documents,
                    const std::vector<std::vector<analysis::CheckResult>>& checks) const {
    // One <testsuite> per point, each case named with the point and its values.
    std::string suites;
    std::size_t tests = 0, failures = 0;
    double seconds = 0;
    for (std::size_t p = 0; p < points_.size(); ++p) {
      std::vector<analysis::CheckResult> named = checks[p];
      for (auto& c : named) {
        c.check.metric = fmt::format("point {} ({}): {}", point_name(p), describe(axes_, grid_[p]),
                                     c.check.metric);
        ++tests;
        failures += c.passed ? 0 : 1;
      }
      const ordered_json& wall = documents[p]["engine"]["wall_seconds"];
      const double point_seconds = wall.is_number() ? wall.get<double>() : 0.0;
      seconds += point_seconds;
      const std::string xml =
          analysis::junit_xml(fmt::format("{} point {} ({})", points_[p].scenario.name,
                                          point_name(p), describe(axes_, grid_[p])),
                              named, point_seconds);
      const auto begin = xml.find("  <testsuite ");
      const auto end = xml.rfind("</testsuites>");
      if (begin != std::string::npos && end != std::string::npos)
        suites += xml.substr(begin, end - begin);
    }
    return fmt::format(
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"telsim\" "
               "tests=\"{}\" "
               "failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
               tests, failures, seconds) +
           suites + "</testsuites>\n";
  }

  const SweepArgs& args_;
  scenarios::PluginSet plugins_;  // outlives the registry and every run made from it
  models::PolicyRegistry registry_;
  std::vector<scenarios::VaryAxis> axes_;
  std::vector<std::vector<std::string>> grid_;
  std::vector<Point> points_;
  std::vector<std::size_t> todo_;
  std::size_t kept_ = 0;
  fs::path out_, points_dir_, temp_dir_;
};

/// Workers over points and threads per point: a pool of T workers over the points,
/// each run on one thread, unless there are fewer points than threads.
std::pair<unsigned, unsigned> split_threads(unsigned threads, std::size_t points) {
  threads = std::max(1u, threads);
  const unsigned workers =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, points)));
  return {workers, std::max(1u, threads / workers)};
}

int sweep_single(const SweepArgs& args) {
  // Installed first: a signal while the points load must not kill the process.
  const std::atomic<int>& stop = install_stop_handlers();
  Sweep sweep(args);
  if (const auto failed = sweep.prepare()) return *failed;
  if (const auto failed = sweep.check_folder()) return *failed;
  Progress progress;
  progress.total = sweep.size();
  progress.done = sweep.kept();
  std::atomic<std::size_t> next{0};
  const std::size_t count = sweep.todo().size();
  const auto [workers, per_point] = split_threads(args.study.threads, count);
  const bool ok = sweep.run_points(
      [&]() -> std::optional<std::size_t> {
        const std::size_t task = next.fetch_add(1);
        if (task >= count) return std::nullopt;
        return task;
      },
      workers, per_point, stop, progress);
  if (stop.load() != 0) return sweep.interrupted(stop.load(), progress.done);
  if (!ok) return sweep.failed(*progress.error, progress.done);
  return sweep.finish();
}

#ifdef TELSIM_HAVE_MPI
int sweep_mpi(const SweepArgs& args) {
  MpiWorld world;
  const bool root = world.rank() == 0;
  Sweep sweep(args);
  // Every rank loads and checks the scenario (the same way); only rank 0 prints.
  std::optional<int> failed;
  if (root) {
    failed = sweep.prepare();
    if (!failed) failed = sweep.check_folder();
  } else {
    // The other ranks would print the same messages again: silence them meanwhile.
    std::fflush(stderr);
    const int saved = ::dup(STDERR_FILENO);
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) ::dup2(null, STDERR_FILENO);
    failed = sweep.prepare();
    std::fflush(stderr);
    if (saved >= 0) ::dup2(saved, STDERR_FILENO);
    if (saved >= 0) ::close(saved);
    if (null >= 0) ::close(null);
  }
  const int status = world.broadcast(failed.value_or(0));
  if (status != 0) return status;
  // The points still to run, as rank 0 found them.
  std::vector<std::size_t> todo = sweep.todo();
  int count = world.broadcast(static_cast<int>(todo.size()));
  todo.resize(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < todo.size(); ++i) {
    todo[i] = static_cast<std::size_t>(world.broadcast(static_cast<int>(todo[i])));
  }
  sweep.set_todo(todo);

  const std::atomic<int>& stop = install_stop_handlers();
  Progress progress;
  progress.total = sweep.size();
  progress.done = root ? sweep.kept() : 0;
  world.start_tasks(todo.size(), &stop);
  const auto [workers, per_point] = split_threads(args.study.threads, todo.size());
  const bool ok =
      sweep.run_points([&] { return world.next_task(); }, workers, per_point, stop, progress);
  world.finish_tasks();
  if (!ok) {
    fmt::print(stderr, "telsim: error: rank {}: {}\n", world.rank(), *progress.error);
    world.abort(exit_error);
  }
  const int signal = world.all_max(stop.load());
  if (signal != 0) {
    std::error_code ec;
    std::size_t finished = 0;
    if (root) {
      for (std::size_t p = 0; p < sweep.size(); ++p) {
        finished +=
            fs::exists(fs::path(args.out) / "points" / scenarios::point_file_name(p), ec) ? 1 : 0;
      }
      return sweep.interrupted(signal, finished);
    }
    return signal == 15 ? exit_sigterm : exit_sigint;
  }
  world.barrier();  // every point file is written
  return root ? sweep.finish() : exit_ok;
}
#endif

}  // namespace

int sweep_command(const SweepArgs& args) {
#ifdef TELSIM_HAVE_MPI
  if (started_by_mpirun()) return sweep_mpi(args);
#endif
  return sweep_single(args);
}

}  // namespace telsim::cli
