#pragma once
// A progress bar for long work on a terminal; silent when stderr is not one.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace telsim::cli {

class ProgressBar {
 public:
  /// Draws only if `enabled` and stderr is a terminal.
  ProgressBar(bool enabled, std::string unit);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// `done` may be fractional (a replication half run is 0.5): the ETA follows it, the
  /// count shows the whole units finished.
  void update(double done, std::size_t total);
  /// Clears the bar's line so that what follows starts clean.
  void finish();

 private:
  bool active_;
  bool drawn_ = false;
  std::string unit_;
  std::chrono::steady_clock::time_point started_;
};

/// One bar at a time for work that comes in runs (a sweep's points, each compare
/// alternative's replications, each size dimension tries): a new bar, its clock restarted,
/// whenever the label or the total changes. Destroyed or finished, it clears its line, so
/// that an error or a line printed after it starts clean.
class ProgressBars {
 public:
  explicit ProgressBars(bool enabled) : enabled_(enabled) {}

  void update(const std::string& label, double done, std::size_t total);
  void finish() { bar_.reset(); }

 private:
  bool enabled_;
  std::optional<ProgressBar> bar_;
  std::string label_;
  std::size_t total_ = 0;
};

}  // namespace telsim::cli
