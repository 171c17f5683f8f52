#pragma once

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "telsim/analysis/results.hpp"

namespace telsim::analysis {

/// A document that is not a SPEC §5 results file, or has a value of the wrong kind. what()
/// starts with the JSON path of the offending value, then says what was expected, e.g.
/// "traffic.x.completion_ratio.values: expected an array" or "telsim: missing".
class ResultsFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The inverse of to_json: to_json(read_results(d)) is byte for byte `d` for every document
/// to_json wrote. Each statistic leaf becomes one MetricTable column (its `values`; null ->
/// nullopt), in document order; its mean, ci95 and n are not stored but recomputed by
/// MetricTable::statistic, which gives the same numbers to_json wrote from those values.
/// "<p>_histogram" objects with edges and counts become `histograms`, "policies.<name>.type"
/// strings `policy_types`. A string "warmup" (e.g. "auto") becomes `warmup_field` with
/// `warmup` 0, as the runner sets it; a number becomes `warmup` with a null `warmup_field`.
/// A null where to_json writes a double (a non-finite one) reads as NaN.
///
/// Strict about what to_json always writes: every key it writes must be there with the
/// right type, every value under trunk_groups, traffic and policies must be a statistic, a
/// histogram, a policy type or a non-empty object of those, and all metrics must have the
/// same number of values (at least one). Keys it never writes are ignored in the objects of
/// fixed shape (the top level, run, engine, precision, timeseries, a series, a statistic, a
/// histogram), so that files of newer versions that only add keys still read; they are not
/// written back. Throws ResultsFormatError. O(size of the document).
RunResults read_results(const nlohmann::ordered_json& document);

}  // namespace telsim::analysis
