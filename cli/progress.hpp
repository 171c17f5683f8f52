#pragma once
// A progress bar for long work on a terminal; silent when stderr is not one.
#include <chrono>
#include <cstddef>
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

}  // namespace telsim::cli
