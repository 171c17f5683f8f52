#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace telsim::cli {

ProgressBar::ProgressBar(bool enabled, std::string unit)
    : active_(enabled && isatty(STDERR_FILENO) == 1),
      unit_(std::move(unit)),
      started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(double done, std::size_t total) {
  if (!active_ || total == 0) return;
  constexpr int width = 30;
  const double all = static_cast<double>(total);
  done = std::clamp(done, 0.0, all);
  const int filled = static_cast<int>(done / all * width);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, ' ');
  const auto whole = static_cast<std::size_t>(done);
  if (done > 0.0) {
    std::fprintf(stderr, "\r[%s] %zu/%zu %s, %.0f s elapsed, ~%.0f s left ", bar.c_str(), whole,
                 total, unit_.c_str(), elapsed, elapsed * (all - done) / done);
  } else {
    std::fprintf(stderr, "\r[%s] %zu/%zu %s, %.0f s elapsed ", bar.c_str(), whole, total,
                 unit_.c_str(), elapsed);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressBars::update(const std::string& label, double done, std::size_t total) {
  if (!bar_ || label != label_ || total != total_) {
    bar_.reset();  // clears the old bar's line first
    bar_.emplace(enabled_, label);
    label_ = label;
    total_ = total;
  }
  bar_->update(done, total);
}

}  // namespace telsim::cli
