#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace telsim::analysis {

/// A figure estimated over independent replications (SPEC §5 "statistic").
///
/// Invariants: `n` counts the non-null entries of `values`; `mean` is null iff `n == 0`;
/// `ci95` is null iff `n < 2`.
struct Statistic {
  /// Mean over the replications that had data; null when none had.
  std::optional<double> mean;
  /// Half-width of the 95% Student-t confidence interval of the mean; null with n < 2.
  std::optional<double> ci95;
  /// Number of replications with data.
  std::size_t n = 0;
  /// One entry per replication, in replication order; null = no data in that replication.
  std::vector<std::optional<double>> values;
};

/// Summarises per-replication values into a Statistic.
///
/// A null or non-finite (NaN, infinite) value counts as "no data": it is stored as null in
/// `values` and left out of `mean`, `ci95` and `n`, because a single NaN would otherwise
/// poison the mean of every other replication. The variance is computed in two passes
/// (mean first) so that values near a large common offset lose no precision. O(n).
Statistic summarize(std::span<const std::optional<double>> per_replication);

/// Quantile of Student's t distribution: the t with P(T <= t) = p for `degrees_of_freedom`.
///
/// Accurate to better than 1e-9 (absolute and relative) for every df >= 1 and p in (0, 1),
/// e.g. student_t_quantile(0.975, 9) = 2.2621571627... Thread-safe (no lgamma/signgam).
/// Throws std::invalid_argument when p is not in (0, 1) or degrees_of_freedom < 1.
double student_t_quantile(double p, int degrees_of_freedom);

/// The SPEC §5 JSON object {"mean": m, "ci95": h, "n": k, "values": [...]}, with null for
/// absent (and for non-finite) numbers. Key order is fixed, hence ordered_json. (This header
/// only forward-declares nlohmann::ordered_json; include <nlohmann/json.hpp> to use it.)
nlohmann::ordered_json to_json(const Statistic& statistic);

}  // namespace telsim::analysis
