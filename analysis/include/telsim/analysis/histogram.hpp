#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace telsim::analysis {

/// Equal-width bins: bin k counts values in [edges[k], edges[k+1]), the last bin also its
/// upper edge. edges.size() == counts.size() + 1, or both are empty.
struct Histogram {
  std::vector<double> edges;
  std::vector<std::uint64_t> counts;
};

/// Histogram of pooled values with "nice" equal-width bins: the width is the smallest
/// m x 10^k (m in 1, 2, 2.5, 5) that covers the data in at most `max_bins` bins, edges are
/// multiples of it starting at 0 (or below 0 if a value is negative) and ending at the first
/// multiple >= the maximum. A width of 1 is used when every value is 0. Edges are
/// computed as integer multiples of the decimal width, so they print as 0.1, 0.2, 0.3 and
/// not 0.30000000000000004. Deterministic; O(n log n).
/// Empty input gives empty vectors. Throws std::invalid_argument for a non-finite value or
/// max_bins == 0.
Histogram make_histogram(std::vector<double> pooled, std::size_t max_bins = 50);

}  // namespace telsim::analysis
