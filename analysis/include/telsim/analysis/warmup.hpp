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
/// Returns the number of RAW observations to discard, 5 d. A series of fewer than 10
/// observations (under two batches) returns 0. Precondition: every observation is finite
/// (not checked; a NaN makes the answer meaningless).
///
/// O(n) time, O(n / 5) memory: the suffix statistics are built from the end with Welford's
/// update, which stays accurate for series with a large common offset.
std::size_t mser5_truncation(std::span<const double> series);

}  // namespace telsim::analysis
