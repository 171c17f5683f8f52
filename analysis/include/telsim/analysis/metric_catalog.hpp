#pragma once
// What each results metric means (SPEC §5): its unit, which way is better, a title, and
// whether `dimension --target` may name it. One declared table, so that compare, dimension
// and the viewer stop guessing meanings from path suffixes each in their own way.
//
// The table reproduces the answers of those old guesses exactly, wrong ones included, so
// that nothing a user sees changes; the meanings themselves get fixed in a later change.
#include <span>
#include <string_view>
#include <vector>

namespace telsim::analysis {

/// Which way a metric is better, for "better"/"worse" verdicts and picking a best.
enum class Better { lower, higher, neither };

/// The meaning of the results leaves one pattern matches.
struct MetricMeaning {
  /// Dot-separated components, compared one by one; `*` stands for exactly one component
  /// (a trunk group, relation or policy name, or one of a family such as the latency
  /// percentiles). Names hold no dots (SPEC §2), so one component is one name.
  /// E.g. "trunk_groups.*.call_blocking", "traffic.*.completion_latency.*".
  std::string_view pattern;
  /// "fraction", "s", "Erlang" or "calls": what the viewer writes on an axis.
  std::string_view unit;
  Better better;
  /// A short title in words, e.g. "call blocking".
  std::string_view title;
  /// A trunk-group metric that `dimension --target` accepts by its bare name (the last
  /// component of the pattern), as in `--target AB.call_blocking<=0.01`.
  bool dimension_target;
};

/// The entry whose pattern matches `path` (the first match in table order), or nullptr.
/// Every statistic a results file can hold has one, and so has each
/// `completion_latency_histogram` (unit "s"); `policies.<name>.type` has none: it is a
/// string, not a measurement.
const MetricMeaning* find_metric_meaning(std::string_view path);

/// The entry's `better`; Better::neither when no entry matches. For an owner named
/// `completion_latency` or `first_attempt_failure`, Better::lower for every metric: the
/// suffix rules this replaced found those words anywhere in a path, and that answer is
/// kept until meanings are fixed.
Better better_direction(std::string_view path);

/// The entry's `unit`; "fraction" when no entry matches (the viewer's fallback). For an
/// owner whose name contains `completion_latency`, "s" for every metric, and for an owner
/// named `requests`, "calls" where the entry says "fraction": answers of the old viewer
/// rules, kept until meanings are fixed (as for better_direction).
std::string_view metric_unit(std::string_view path);

/// The bare names of the trunk-group metrics `dimension --target` accepts, in table order:
/// call_blocking, time_congestion, carried_erlangs, overflow_calls.
std::vector<std::string_view> dimension_target_metrics();

/// Every entry, in table order (the order find_metric_meaning tries them).
std::span<const MetricMeaning> metric_catalog();

}  // namespace telsim::analysis
