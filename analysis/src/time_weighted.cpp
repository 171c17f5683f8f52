#include "telsim/analysis/time_weighted.hpp"

#include <algorithm>

#include <cmath>
#include <stdexcept>
#include <string>

namespace telsim::analysis {
namespace {

bool whole_number(double level, std::int64_t& value) {
  // A cast and a compare rather than std::trunc, which is a libm call here.
  if (!(std::fabs(level) < 9.0e18)) return false;
  value = static_cast<std::int64_t>(level);
  return static_cast<double>(value) == level;
}

}  // namespace

void TimeWeighted::CompensatedSum::add(long double value) {
  const long double next = sum + value;
  if (std::fabs(sum) >= std::fabs(value)) {
    lost += (sum - next) + value;
  } else {
    lost += (value - next) + sum;
  }
  sum = next;
}

TimeWeighted::TimeWeighted(std::int64_t window_start, std::int64_t window_end, std::size_t bins,
                           double full_level, double initial_level)
    : window_start_(window_start),
      window_end_(window_end),
      bins_(bins),
      full_level_(full_level),
      level_(initial_level),
      full_(initial_level >= full_level),
      last_time_(window_start) {
  whole_level_ = whole_number(initial_level, whole_value_);
  if (!(window_start < window_end)) {
    throw std::invalid_argument("TimeWeighted: window_start (" + std::to_string(window_start) +
                                ") must be before window_end (" + std::to_string(window_end) + ")");
  }
  std::int64_t signed_length = 0;
  if (__builtin_sub_overflow(window_end, window_start, &signed_length)) {
    throw std::invalid_argument("TimeWeighted: the window [" + std::to_string(window_start) + ", " +
                                std::to_string(window_end) + ") is longer than 2^63 ticks");
  }
  const auto length = static_cast<std::uint64_t>(signed_length);
  if (bins > length) {
    throw std::invalid_argument("TimeWeighted: bins (" + std::to_string(bins) +
                                ") must not exceed the window length in ticks (" +
                                std::to_string(length) + ")");
  }
  const std::size_t internal_bins = bins == 0 ? 1 : bins;
  edges_.reserve(internal_bins + 1);
  for (std::size_t k = 0; k <= internal_bins; ++k) {
    // floor(k length / bins), split so that nothing overflows 64 bits for long windows.
    const std::uint64_t offset =
        length / internal_bins * k + length % internal_bins * k / internal_bins;
    edges_.push_back(window_start + static_cast<std::int64_t>(offset));
  }
  areas_.resize(internal_bins);
  refresh_fast_path();
}

void TimeWeighted::refresh_fast_path() {
  const bool fast =
      !finished_ && whole_level_ && last_time_ >= window_start_ && last_time_ < window_end_;
  fast_until_ =
      fast ? std::min(window_end_, edges_[bin_ + 1]) : std::numeric_limits<std::int64_t>::min();
}

void TimeWeighted::add_area(std::size_t bin, std::int64_t ticks) {
  if (whole_level_) {
    const wide_int area = static_cast<wide_int>(whole_value_) * ticks;
    areas_[bin].whole += area;
    square_whole_ += area * whole_value_;
  } else {
    const long double area = static_cast<long double>(level_) * static_cast<long double>(ticks);
    areas_[bin].other.add(area);
    square_other_.add(area * static_cast<long double>(level_));
  }
}

void TimeWeighted::integrate_until(std::int64_t t) {
  const std::int64_t end = t < window_end_ ? t : window_end_;
  std::int64_t from = last_time_;
  if (from >= end) return;
  if (full_) full_ticks_ += end - from;
  // Common case: the segment ends inside the current bin.
  while (end > edges_[bin_ + 1]) {
    const std::int64_t edge = edges_[bin_ + 1];
    add_area(bin_, edge - from);
    from = edge;
    ++bin_;
  }
  add_area(bin_, end - from);
}

void TimeWeighted::set(std::int64_t t, double level) {
  if (t < latest_set_) {
    throw std::invalid_argument("TimeWeighted::set: time went backwards, from " +
                                std::to_string(latest_set_) + " to " + std::to_string(t));
  }
  latest_set_ = t;
  if (finished_) return;
  integrate_until(t);
  if (t > last_time_) last_time_ = t;
  level_ = level;
  full_ = level >= full_level_;
  whole_level_ = whole_number(level, whole_value_);
  refresh_fast_path();
}

void TimeWeighted::set_slowly(std::int64_t t, std::int64_t level) {
  set(t, static_cast<double>(level));
}

void TimeWeighted::finish() {
  if (finished_) return;
  integrate_until(window_end_);
  finished_ = true;
  refresh_fast_path();
}

void TimeWeighted::require_finished(const char* what) const {
  if (!finished_) {
    throw std::logic_error(std::string("TimeWeighted::") + what + ": call finish() first");
  }
}

long double TimeWeighted::window_mean() const {
  CompensatedSum area;
  for (const auto& bin : areas_) area.add(bin.total());
  return area.total() / static_cast<long double>(edges_.back() - edges_.front());
}

double TimeWeighted::mean() const {
  require_finished("mean");
  return static_cast<double>(window_mean());
}

double TimeWeighted::variance() const {
  require_finished("variance");
  const long double mean = window_mean();
  const long double square = (static_cast<long double>(square_whole_) + square_other_.total()) /
                             static_cast<long double>(edges_.back() - edges_.front());
  // Rounding can leave a constant level a hair below zero.
  return static_cast<double>(std::max(0.0L, square - mean * mean));
}

double TimeWeighted::fraction_full() const {
  require_finished("fraction_full");
  return static_cast<double>(static_cast<long double>(full_ticks_) /
                             static_cast<long double>(edges_.back() - edges_.front()));
}

std::vector<double> TimeWeighted::bin_means() const {
  require_finished("bin_means");
  std::vector<double> means;
  means.reserve(bins_);
  for (std::size_t k = 0; k < bins_; ++k) {
    means.push_back(static_cast<double>(areas_[k].total() /
                                        static_cast<long double>(edges_[k + 1] - edges_[k])));
  }
  return means;
}

std::vector<std::int64_t> TimeWeighted::bin_edges() const {
  if (bins_ == 0) return {};
  return edges_;
}

}  // namespace telsim::analysis
