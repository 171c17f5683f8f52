#pragma once

#include <cstddef>
#include <span>

namespace telsim::analysis {

/// MSER-5 warm-up detection (White 1997; White, Cobb & Spratt 2000; Franklin & White 2008).
///
/// The rule: average the raw series in consecutive batches of 5 observations, Z_1..Z_k
/// (k = floor(n / 5); a last incomplete batch is dropped). For each candidate truncation d
/// (in batches) in [0, floor(k / 2)], compute
///
///     MSER(d) = 1 / (k - d)^2 * sum_{j = d+1..k} (Z_j - mean(Z_{d+1..k}))^2,
///
/// i.e. the squared standard error of the mean of what remains, and pick the d with the
/// smallest value (the smallest such d on ties). Candidates stop at half the batches
/// because beyond that the statistic is unreliable (it rewards throwing data away).
///
/// A NaN entry is a missing observation (e.g. a time bin in which nothing was observed): it
/// is skipped, not an observation at all, so the batches are formed from the other entries,
/// and the candidates also stop where the cut would pass half the series' entries (half the
/// time, for bins in time). Returns the number of RAW entries of `series` to discard: 0 when
/// d = 0, otherwise the position of the first observation kept (5 d when nothing is missing,
/// and then the results are those of the plain rule), so that entry i of a series in time
/// bins maps back to the start of bin i. Fewer than 10 observations (under two batches)
/// return 0. Precondition: no observation is infinite (not checked).
///
/// O(n) time, O(n / 5) memory: the suffix statistics are built from the end with Welford's
/// update, which stays accurate for series with a large common offset.
std::size_t mser5_truncation(std::span<const double> series);

}  // namespace telsim::analysis
