#include "telsim/analysis/warmup.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace telsim::analysis {

std::size_t mser5_truncation(std::span<const double> series) {
  constexpr std::size_t batch_size = 5;

  // Batches of 5 observations, missing entries (NaN) skipped: an entry with no
  // observation says nothing about the warm-up, and counting it as any value
  // would pull the truncation point. Each batch keeps the position in `series`
  // of its first observation, where a cut before it starts.
  std::vector<long double> batch_means;
  std::vector<std::size_t> batch_starts;
  batch_means.reserve(series.size() / batch_size);
  batch_starts.reserve(series.size() / batch_size);
  long double sum = 0.0L;
  std::size_t in_batch = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (std::isnan(series[i])) continue;
    if (in_batch == 0) batch_starts.push_back(i);
    sum += series[i];
    if (++in_batch == batch_size) {
      batch_means.push_back(sum / batch_size);
      sum = 0.0L;
      in_batch = 0;
    }
  }
  const std::size_t batches = batch_means.size();
  if (batches < 2) return 0;

  // Candidates: at most half the batches, and a cut at most half-way along the
  // series (half the time, for bins in time). Without missing entries the
  // second bound never binds: 5 d <= 5 floor(k / 2) <= n / 2.
  std::size_t last_candidate = batches / 2;
  while (last_candidate > 0 && 2 * batch_starts[last_candidate] > series.size()) --last_candidate;

  // Welford's update over the suffix Z_{d+1..k}, growing d downwards from k - 1 to 0, keeps
  // the squared deviations of each suffix.
  long double mean = 0.0L;
  long double squares = 0.0L;
  std::size_t best = 0;
  long double best_value = 0.0L;
  bool have_best = false;
  for (std::size_t d = batches; d-- > 0;) {
    const auto count = static_cast<long double>(batches - d);
    const long double delta = batch_means[d] - mean;
    mean += delta / count;
    squares += delta * (batch_means[d] - mean);
    if (d > last_candidate) continue;
    const long double value = squares / (count * count);
    // "<=" because d decreases: on a tie the smaller truncation wins.
    if (!have_best || value <= best_value) {
      best = d;
      best_value = value;
      have_best = true;
    }
  }
  return best == 0 ? 0 : batch_starts[best];
}

}  // namespace telsim::analysis
