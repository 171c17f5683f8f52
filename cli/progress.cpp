#include "progress.hpp"

#include <unistd.h>

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

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!active_ || total == 0) return;
  constexpr int width = 30;
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(fraction * width);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double left =
      done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0.0;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, ' ');
  std::fprintf(stderr, "\r[%s] %zu/%zu %s, %.0f s elapsed, ~%.0f s left ", bar.c_str(), done, total,
               unit_.c_str(), elapsed, left);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace telsim::cli
