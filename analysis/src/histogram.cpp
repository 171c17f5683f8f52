#include "telsim/analysis/histogram.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace telsim::analysis {
namespace {

// A bin width m x 10^exponent, kept apart so that edges are computed as exactly as
// decimal arithmetic allows: (index x m) scaled by a power of ten, with one rounding.
struct NiceWidth {
  double mantissa;
  int exponent;
  double edge(double index) const {
    const double scaled = index * mantissa;
    return exponent >= 0 ? scaled * std::pow(10.0, exponent) : scaled / std::pow(10.0, -exponent);
  }
  double value() const { return edge(1.0); }
};

// Candidates in increasing order from the decade of `raw` upwards.
NiceWidth next_nice(NiceWidth width) {
  static constexpr std::array<double, 4> mantissas{1.0, 2.0, 2.5, 5.0};
  for (double m : mantissas) {
    if (m > width.mantissa) return {m, width.exponent};
  }
  return {1.0, width.exponent + 1};
}

}  // namespace

Histogram make_histogram(std::vector<double> pooled, std::size_t max_bins) {
  if (max_bins == 0) throw std::invalid_argument("make_histogram: max_bins must be at least 1");
  if (pooled.empty()) return {};
  for (double value : pooled) {
    if (!std::isfinite(value)) {
      throw std::invalid_argument("make_histogram: values must be finite");
    }
  }
  std::sort(pooled.begin(), pooled.end());
  const double low = std::min(0.0, pooled.front());
  const double high = pooled.back();

  NiceWidth width{1.0, 0};
  const double raw = (high - low) / static_cast<double>(max_bins);
  if (raw > 0) {
    width = {1.0, static_cast<int>(std::floor(std::log10(raw))) - 1};
    while (width.value() < raw) width = next_nice(width);
  }
  // Start at a multiple of the width at or below `low`, end at one at or above `high`;
  // widen until that fits in max_bins (the start rounding can cost one bin).
  double first = 0, last = 1;
  for (;;) {
    first = std::floor(low / width.value());
    last = std::max(std::ceil(high / width.value()), first + 1);
    while (width.edge(first) > low) first -= 1;
    while (width.edge(last) < high) last += 1;
    if (last - first <= static_cast<double>(max_bins)) break;
    width = next_nice(width);
  }

  Histogram histogram;
  const auto bins = static_cast<std::size_t>(last - first);
  histogram.edges.reserve(bins + 1);
  for (std::size_t k = 0; k <= bins; ++k) {
    histogram.edges.push_back(width.edge(first + static_cast<double>(k)));
  }
  histogram.counts.assign(bins, 0);
  // Bin by the stored edges themselves, so a value equal to a printed edge lands where a
  // reader of the file expects.
  for (double value : pooled) {
    const auto above = std::upper_bound(histogram.edges.begin(), histogram.edges.end(), value);
    auto bin = static_cast<std::size_t>(above - histogram.edges.begin());
    bin = bin == 0 ? 0 : std::min(bin - 1, bins - 1);
    ++histogram.counts[bin];
  }
  return histogram;
}

}  // namespace telsim::analysis
