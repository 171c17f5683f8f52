#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace telsim::analysis {

/// Records a piecewise-constant level (busy circuits, carried Erlangs) and integrates it over
/// the measurement window [window_start, window_end) of an integer clock.
///
/// The clock unit is the caller's (analysis does not know ticks from seconds). Only the
/// overlap of each constant segment with the window counts: a level set before the window
/// is the state at window_start (SPEC: statistics reset at the end of the warm-up but keep
/// the current state), and time at or after window_end is ignored.
///
/// Precision: areas are kept per bin as compensated (Neumaier) long double sums, so windows
/// up to 1e15 ticks with levels up to 1e5 integrate with a relative error far below a
/// double's. Cost: set() is O(1) amortised, allocates nothing and divides nothing; a
/// segment that crosses k bin edges costs O(k). Memory O(bins).
class TimeWeighted {
  // Neumaier's compensated sum: a running sum plus the low-order bits it lost.
  struct CompensatedSum {
    long double sum = 0.0L;
    long double lost = 0.0L;
    void add(long double value);
    long double total() const { return sum + lost; }
  };
  // Whole-number levels (busy circuits, lines) are integrated exactly in
  // 128-bit integers: cheaper than the compensated sum on the hot path.
  __extension__ typedef __int128 wide_int;
  struct BinArea {
    wide_int whole = 0;    // sum of level x ticks for whole-number levels
    CompensatedSum other;  // the rest
    long double total() const { return static_cast<long double>(whole) + other.total(); }
  };

 public:
  /// Window [window_start, window_end), split into `bins` bins for the time series (bin edges
  /// are window_start + floor(k (window_end - window_start) / bins), so bins differ by at most
  /// one tick); `bins` may be 0 when no series is wanted. The level counts as "full"
  /// (congested) when it is >= `full_level`. The level is `initial_level` until the first
  /// set(). Throws std::invalid_argument unless window_start < window_end, the window is
  /// shorter than 2^63 ticks and bins <= window_end - window_start.
  TimeWeighted(std::int64_t window_start, std::int64_t window_end, std::size_t bins,
               double full_level, double initial_level = 0.0);

  /// The level becomes `level` at time t. Times must not decrease (std::invalid_argument
  /// otherwise); calls before the window only set the state, calls at or after window_end
  /// and calls after finish() are accepted and ignored.
  void set(std::int64_t t, double level);
  /// The same for a whole-number level (busy circuits): the hot path, inline
  /// and exact. Same preconditions and effects as set(t, double(level)).
  void set(std::int64_t t, std::int64_t level) {
    // Performance: the common case (inside the window, within the current
    // bin, a whole level already) is one range test; fast_until_ folds in
    // every other condition (see refresh_fast_path).
    if (t > last_time_ && t <= fast_until_) [[likely]] {
      const std::int64_t dt = t - last_time_;
      const wide_int area = static_cast<wide_int>(whole_value_) * dt;
      areas_[bin_].whole += area;
      square_whole_ += area * whole_value_;
      if (full_) full_ticks_ += dt;
      latest_set_ = t;
      last_time_ = t;
      full_ = static_cast<double>(level) >= full_level_;
      whole_value_ = level;
      return;
    }
    set_slowly(t, level);
  }

  /// Closes the window at window_end: the current level holds until then. Idempotent.
  void finish();

  /// True once finish() has run.
  bool finished() const { return finished_; }

  /// Time-average level over the window. Requires finish() (std::logic_error otherwise).
  double mean() const;

  /// Time-weighted variance of the level over the window: the mean of the level's square
  /// less the square of its mean (for busy circuits, the second moment that overflow
  /// theory needs beside the carried traffic). Requires finish().
  double variance() const;

  /// Fraction of the window during which level >= full_level (time congestion).
  /// Requires finish().
  double fraction_full() const;

  /// Time-average level per bin, `bins` entries. Requires finish().
  std::vector<double> bin_means() const;

  /// Bin edges in ticks, `bins + 1` entries from window_start to window_end (empty when
  /// bins == 0), so a caller can place each bin mean at its own midpoint.
  std::vector<std::int64_t> bin_edges() const;

  /// The current level (the last one set).
  double level() const { return whole_level_ ? static_cast<double>(whole_value_) : level_; }

 private:
  void add_area(std::size_t bin, std::int64_t ticks);
  void integrate_until(std::int64_t t);
  void require_finished(const char* what) const;
  void refresh_fast_path();
  // Out of line (performance: inlined, its frame and spills were paid on the
  // fast path too).
  [[gnu::noinline]] void set_slowly(std::int64_t t, std::int64_t level);
  long double window_mean() const;  // the area over the window's length

  std::int64_t window_start_;
  std::int64_t window_end_;
  std::size_t bins_;
  double full_level_;
  double level_;  // the level when !whole_level_ (else whole_value_ is)
  bool full_;
  bool finished_ = false;
  std::int64_t last_time_;  // integration has covered [window_start_, last_time_)
  std::int64_t latest_set_ = std::numeric_limits<std::int64_t>::min();
  std::size_t bin_ = 0;  // bin containing last_time_ once inside the window
  std::int64_t full_ticks_ = 0;
  // Edges of the internal bins (at least one, so bins == 0 still integrates the window).
  std::vector<std::int64_t> edges_;
  std::vector<BinArea> areas_;
  wide_int square_whole_ = 0;     // sum of level^2 x ticks for whole-number levels
  CompensatedSum square_other_;   // the rest
  bool whole_level_ = true;       // level_ is a whole number that fits 63 bits
  std::int64_t whole_value_ = 0;  // level_ as an integer when whole_level_
  // The latest time the inline set() may integrate to: the end of the
  // current bin while the level is whole, last_time_ is inside the window
  // and the record is not finished; else the smallest time (never).
  std::int64_t fast_until_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace telsim::analysis
