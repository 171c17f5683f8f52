// The sweep runner (telsim/studies/sweep.hpp): load every point, check the folder, hand
// the missing points out to the workers, then summarise from the point files.
#include "telsim/studies/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

#include "sweep_sqlite.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/analysis/results_reader.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::studies {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

/// One point of the grid, loaded and validated before anything runs.
struct Point {
  std::vector<std::string> values;
  scenarios::Scenario scenario;
  ordered_json resolved;
};

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string point_name(std::size_t p) {
  const std::string file = point_file_name(p);
  return file.substr(0, file.size() - 5);
}

/// Workers over points and threads per point: a pool of T workers over the points,
/// each run on one thread, unless there are fewer points than threads.
std::pair<unsigned, unsigned> split_threads(unsigned threads, std::size_t points) {
  threads = std::max(1u, threads);
  const unsigned workers =
      static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, points)));
  return {workers, std::max(1u, threads / workers)};
}

class SweepRun {
 public:
  SweepRun(Session& session, const SweepOptions& options)
      : session_(session),
        options_(options),
        points_dir_(options.out / "points"),
        temp_dir_(options.out / ".tmp") {}

  /// Parses --vary and loads every point's scenario.
  void prepare() {
    try {
      for (const std::string& text : options_.vary) axes_.push_back(parse_vary(text));
      grid_ = expand_grid(axes_);
    } catch (const VaryError& e) {
      throw StudyError(exit_bad_input, fmt::format("--vary: error: {}", e.what()));
    }
    points_.reserve(grid_.size());
    for (std::size_t p = 0; p < grid_.size(); ++p) {
      Point point;
      point.values = grid_[p];
      try {
        point.scenario = session_.variant(point_overrides(axes_, grid_[p]));
      } catch (const scenarios::ScenarioError& e) {
        throw StudyError(exit_bad_input, fmt::format("--vary: error: point {} ({}): {}",
                                                     point_name(p), describe(p), e.what()));
      }
      point.resolved = session_.resolved(point.scenario);
      points_.push_back(std::move(point));
    }
  }

  /// Checks the sweep folder (rank 0 only) and finds the points still to run.
  void check_folder() {
    std::error_code ec;
    std::vector<bool> kept(points_.size(), false);
    if (fs::is_directory(points_dir_, ec)) {
      std::vector<fs::path> entries;
      for (const auto& entry : fs::directory_iterator(points_dir_, ec))
        entries.push_back(entry.path());
      std::sort(entries.begin(), entries.end());
      if (!entries.empty() && !options_.resume) {
        throw StudyError(exit_bad_input,
                         fmt::format("telsim: error: {} already holds points of a sweep; add "
                                     "--resume to finish it, or choose a fresh --out folder",
                                     options_.out.string()));
      }
      for (const fs::path& entry : entries) kept[check_kept(entry)] = true;
    }
    try {
      fs::create_directories(points_dir_);
      fs::create_directories(temp_dir_);
      // Temporary files left by a sweep that was killed: ours, and never complete.
      for (const auto& entry : fs::directory_iterator(temp_dir_)) fs::remove_all(entry.path());
    } catch (const fs::filesystem_error& e) {
      throw StudyError(exit_failed,
                       fmt::format("telsim: error: cannot prepare the sweep folder {}: {}",
                                   options_.out.string(), e.code().message()));
    }
    todo_.clear();
    for (std::size_t p = 0; p < points_.size(); ++p) {
      if (!kept[p]) todo_.push_back(p);
    }
  }

  /// Runs the points of todo() that `workers` hands to this process.
  void run_points(Workers& workers, const std::atomic<int>& stop) {
    const auto [per_rank, per_point] = split_threads(session_.options().threads, todo_.size());
    const analysis::RunInfo info = session_.provenance(per_point);
    std::mutex mutex;
    std::size_t done = workers.is_root() ? points_.size() - todo_.size() : 0;
    if (options_.progress) options_.progress(done, points_.size());
    workers.for_each(
        todo_.size(), per_rank,
        [&](std::size_t task) {
          const std::size_t p = todo_.at(task);
          try {
            scenarios::RunOptions run;
            run.threads = per_point;
            run.stop_signal = &stop;
            analysis::RunResults results =
                scenarios::run_scenario(points_[p].scenario, session_.registry(), run);
            results.scenario = points_[p].resolved;
            results.run = info;
            analysis::write_file_atomically(
                points_dir_ / point_file_name(p),
                [&](std::ostream& out) { analysis::write_results(out, results); }, temp_dir_);
          } catch (const scenarios::Interrupted&) {
            return;  // the point is dropped; --resume runs it again
          } catch (const std::exception& e) {
            throw std::runtime_error(
                fmt::format("point {} ({}): {}", point_name(p), describe(p), e.what()));
          }
          const std::lock_guard lock(mutex);
          ++done;
          if (options_.progress) options_.progress(done, points_.size());
        },
        stop);
  }

  /// Reads every point file, writes the summaries and the JUnit report.
  SweepReport finish() {
    SweepReport report;
    report.out = options_.out;
    std::vector<analysis::RunResults> results;
    try {
      for (std::size_t p = 0; p < points_.size(); ++p) {
        const fs::path file = points_dir_ / point_file_name(p);
        try {
          results.push_back(analysis::read_results(ordered_json::parse(read_whole(file))));
        } catch (const analysis::ResultsFormatError& e) {
          throw std::runtime_error(fmt::format("{}: {}", file.string(), e.what()));
        }
        SweepReport::Point point;
        point.name = point_name(p);
        point.values = describe(p);
        point.wall_seconds = results.back().engine.wall_seconds;
        point.checks = analysis::evaluate(points_[p].scenario.expect, results.back().metrics);
        report.points.push_back(std::move(point));
      }
      const SweepSummary summary = summarise(axes_, results);
      analysis::write_file_atomically(options_.out / "summary.csv", summary_csv(summary),
                                      temp_dir_);
      analysis::write_file_atomically(options_.out / "summary.json", summary_json(summary),
                                      temp_dir_);
      write_sweep_sqlite(options_.out / "results.sqlite", temp_dir_, summary);
      if (options_.junit) analysis::write_file_atomically(*options_.junit, junit(report));
    } catch (const std::exception& e) {
      throw StudyError(exit_failed, fmt::format("telsim: error: {}", e.what()));
    }
    std::error_code ignored;
    fs::remove(temp_dir_, ignored);  // only if empty: nothing else of ours is left there
    return report;
  }

  std::size_t finished_on_disk() const {
    std::error_code ec;
    std::size_t finished = 0;
    for (std::size_t p = 0; p < points_.size(); ++p) {
      finished += fs::exists(points_dir_ / point_file_name(p), ec) ? 1 : 0;
    }
    return finished;
  }

  [[noreturn]] void interrupted(int signal) const {
    throw StudyError(
        exit_code_of_signal(signal),
        fmt::format("telsim: interrupted (signal {}); {} of {} points are finished "
                    "in {}/points\nto resume: {}",
                    signal, finished_on_disk(), points_.size(), options_.out.string(), resume()));
  }

  [[noreturn]] void failed(const std::string& error) const {
    throw StudyError(
        exit_failed,
        fmt::format("telsim: error: {}\n{} of {} points are finished in {}/points; "
                    "to resume: {}",
                    error, finished_on_disk(), points_.size(), options_.out.string(), resume()));
  }

  const std::vector<std::size_t>& todo() const { return todo_; }
  void set_todo(std::vector<std::size_t> todo) { todo_ = std::move(todo); }

 private:
  std::string describe(std::size_t p) const {
    std::string text;
    for (std::size_t a = 0; a < axes_.size(); ++a) {
      if (a > 0) text += ' ';
      text += axes_[a].key + "=" + grid_[p][a];
    }
    return text;
  }

  std::string resume() const { return resume_command(session_.options().command_line); }

  /// The point a file of points/ holds, if it is one of this sweep's, made from the same
  /// resolved scenario; else the sweep cannot resume into this folder.
  std::size_t check_kept(const fs::path& entry) const {
    std::optional<std::size_t> index;
    for (std::size_t p = 0; p < points_.size() && !index; ++p) {
      if (entry.filename() == point_file_name(p)) index = p;
    }
    if (!index) {
      throw StudyError(exit_bad_input,
                       fmt::format("telsim: error: {} is not a point of this sweep ({} points); "
                                   "resume only with the same --vary, or choose a fresh --out "
                                   "folder",
                                   entry.string(), points_.size()));
    }
    ordered_json doc;
    try {
      doc = ordered_json::parse(read_whole(entry));
    } catch (const std::exception& e) {
      throw StudyError(exit_bad_input,
                       fmt::format("telsim: error: {} cannot be read as a results file ({}); "
                                   "choose a fresh --out folder",
                                   entry.string(), e.what()));
    }
    if (!doc.contains("scenario") || doc["scenario"].dump() != points_[*index].resolved.dump()) {
      throw StudyError(exit_bad_input,
                       fmt::format("telsim: error: {} was made from another scenario than this "
                                   "sweep's point {} ({}): the scenario file, --set or --vary "
                                   "changed; choose a fresh --out folder",
                                   entry.string(), point_name(*index), describe(*index)));
    }
    return *index;
  }

  std::string junit(const SweepReport& report) const {
    // One <testsuite> per point, each case named with the point and its values.
    std::string suites;
    std::size_t tests = 0, failures = 0;
    double seconds = 0;
    for (std::size_t p = 0; p < points_.size(); ++p) {
      const SweepReport::Point& point = report.points[p];
      std::vector<analysis::CheckResult> named = point.checks;
      for (auto& c : named) {
        c.check.metric = fmt::format("point {} ({}): {}", point.name, point.values, c.check.metric);
        ++tests;
        failures += c.passed ? 0 : 1;
      }
      seconds += point.wall_seconds;
      const std::string xml = analysis::junit_xml(
          fmt::format("{} point {} ({})", points_[p].scenario.name, point.name, point.values),
          named, point.wall_seconds);
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

  Session& session_;
  const SweepOptions& options_;
  fs::path points_dir_, temp_dir_;
  std::vector<VaryAxis> axes_;
  std::vector<std::vector<std::string>> grid_;
  std::vector<Point> points_;
  std::vector<std::size_t> todo_;
};

}  // namespace

bool SweepReport::any_check_failed() const {
  for (const Point& p : points) {
    for (const auto& c : p.checks) {
      if (!c.passed) return true;
    }
  }
  return false;
}

std::string resume_command(const std::string& command_line) {
  const auto at = command_line.find(" --resume");
  if (at == std::string::npos) return command_line + " --resume";
  return command_line.substr(0, at) + command_line.substr(at + 9) + " --resume";
}

SweepReport run_sweep(Session& session, const SweepOptions& options, Workers& workers,
                      const std::atomic<int>& stop) {
  SweepRun sweep(session, options);
  // Every rank loads the points (the same way); rank 0 alone looks at the folder.
  int status = 0;
  std::optional<StudyError> error;
  try {
    sweep.prepare();
    if (workers.is_root()) sweep.check_folder();
  } catch (const StudyError& e) {
    status = e.exit_code();
    error = e;
  } catch (const std::exception& e) {
    // Whatever it is, the other ranks must hear of it in all_max, or they wait forever.
    status = exit_failed;
    error = StudyError(exit_failed, fmt::format("telsim: error: {}", e.what()));
  }
  status = workers.all_max(status);
  if (status != 0) throw error.value_or(StudyError(status, ""));

  // The points still to run, as rank 0 found them.
  std::vector<std::size_t> todo = sweep.todo();
  todo.resize(static_cast<std::size_t>(workers.broadcast(static_cast<int>(todo.size()))));
  for (std::size_t& p : todo) p = static_cast<std::size_t>(workers.broadcast(static_cast<int>(p)));
  sweep.set_todo(std::move(todo));

  std::optional<std::string> failure;  // only with one process: MPI ends the job on an error
  try {
    sweep.run_points(workers, stop);
  } catch (const std::exception& e) {
    failure = e.what();
  }
  const int signal = workers.all_max(stop.load());
  if (signal != 0) {
    if (workers.is_root()) sweep.interrupted(signal);
    throw StudyError(exit_code_of_signal(signal), "");
  }
  if (failure) sweep.failed(*failure);
  workers.barrier();  // every point file is written
  if (!workers.is_root()) return {};
  return sweep.finish();
}

}  // namespace telsim::studies
