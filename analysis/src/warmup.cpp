#include "telsim/analysis/warmup.hpp"

#include <vector>

namespace telsim::analysis {

std::size_t mser5_truncation(std::span<const double> series) {
  constexpr std::size_t batch_size = 5;
  const std::size_t batches = series.size() / batch_size;
  if (batches < 2) return 0;

  std::vector<long double> batch_means(batches);
  for (std::size_t b = 0; b < batches; ++b) {
    long double sum = 0.0L;
    for (std::size_t i = 0; i < batch_size; ++i) sum += series[b * batch_size + i];
    batch_means[b] = sum / batch_size;
  }

  // Welford's update over the suffix Z_{d+1..k}, growing d downwards from k - 1 to 0, keeps
  // the squared deviations of each suffix; the candidates are d <= k / 2.
  const std::size_t last_candidate = batches / 2;
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
  return best * batch_size;
}

}  // namespace telsim::analysis
