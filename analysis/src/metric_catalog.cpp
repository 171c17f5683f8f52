// The metric catalog: one row per kind of results leaf the Recorder writes
// (scenarios/src/recorder.cpp) plus the latency histograms the runner adds.
//
// Units and directions are those the old suffix rules gave (compare's better_direction,
// the viewer's metric_unit), even where they are doubtful: requests and outstanding
// requests are counted in "calls", every `requests.*` count is Better::neither. Fixing
// them is a change users see, so it is not made here.

#include "telsim/analysis/metric_catalog.hpp"

#include <array>

namespace telsim::analysis {
namespace {

using B = Better;

// Relations (`traffic`) and policy instances (`policies`) share one block of figures
// (SPEC §5); only `caller_busy` is per relation and `requests.*` per policy.
constexpr std::array kCatalog{
    // Dimension's order (call_blocking first) is the one its --target error lists.
    MetricMeaning{"trunk_groups.*.call_blocking", "fraction", B::lower, "call blocking", true},
    MetricMeaning{"trunk_groups.*.time_congestion", "fraction", B::lower, "time congestion", true},
    MetricMeaning{"trunk_groups.*.carried_erlangs", "Erlang", B::neither, "carried traffic", true},
    MetricMeaning{"trunk_groups.*.overflow_calls", "calls", B::lower, "overflow calls", true},
    MetricMeaning{"trunk_groups.*.busy_variance", "Erlang²", B::neither,
                  "variance of busy circuits", false},
    MetricMeaning{"trunk_groups.*.peakedness", "ratio", B::neither, "peakedness", false},
    MetricMeaning{"trunk_groups.*.reservation_blocking", "fraction", B::lower,
                  "blocking by reservation", false},

    MetricMeaning{"traffic.*.calls", "calls", B::neither, "calls", false},
    MetricMeaning{"traffic.*.attempts", "calls", B::neither, "attempts", false},
    MetricMeaning{"traffic.*.caller_busy", "calls", B::lower, "arrivals at a busy caller", false},
    MetricMeaning{"traffic.*.offered_erlangs", "Erlang", B::neither, "offered traffic", false},
    MetricMeaning{"traffic.*.first_attempt_failure.*", "fraction", B::lower,
                  "first attempts failed", false},
    MetricMeaning{"traffic.*.outcome.connected", "fraction", B::higher, "connected", false},
    MetricMeaning{"traffic.*.outcome.completed", "fraction", B::higher, "completed", false},
    MetricMeaning{"traffic.*.outcome.intruded", "fraction", B::higher, "intruded", false},
    MetricMeaning{"traffic.*.outcome.abandoned", "fraction", B::lower, "abandoned", false},
    MetricMeaning{"traffic.*.outcome.expired", "fraction", B::lower, "expired", false},
    MetricMeaning{"traffic.*.outcome.recall_failed", "fraction", B::lower, "recall failed", false},
    MetricMeaning{"traffic.*.outcome.cancelled", "fraction", B::neither, "cancelled", false},
    MetricMeaning{"traffic.*.outcome.cleared", "fraction", B::lower, "cleared", false},
    MetricMeaning{"traffic.*.outcome.rejected", "fraction", B::lower, "request rejected", false},
    MetricMeaning{"traffic.*.outcome.unsupported", "fraction", B::lower, "mode unsupported", false},
    MetricMeaning{"traffic.*.outcome.message", "fraction", B::neither, "message left", false},
    MetricMeaning{"traffic.*.completion_ratio", "fraction", B::higher, "completion ratio", false},
    MetricMeaning{"traffic.*.completion_latency.*", "s", B::lower, "completion latency", false},
    MetricMeaning{"traffic.*.completion_latency_histogram", "s", B::neither,
                  "completion latency histogram", false},
    MetricMeaning{"traffic.*.answer_seizure_ratio", "fraction", B::higher, "answer-seizure ratio",
                  false},
    MetricMeaning{"traffic.*.completion_requests_max_outstanding", "calls", B::neither,
                  "most requests outstanding", false},

    MetricMeaning{"policies.*.calls", "calls", B::neither, "calls", false},
    MetricMeaning{"policies.*.attempts", "calls", B::neither, "attempts", false},
    MetricMeaning{"policies.*.first_attempt_failure.*", "fraction", B::lower,
                  "first attempts failed", false},
    MetricMeaning{"policies.*.outcome.connected", "fraction", B::higher, "connected", false},
    MetricMeaning{"policies.*.outcome.completed", "fraction", B::higher, "completed", false},
    MetricMeaning{"policies.*.outcome.intruded", "fraction", B::higher, "intruded", false},
    MetricMeaning{"policies.*.outcome.abandoned", "fraction", B::lower, "abandoned", false},
    MetricMeaning{"policies.*.outcome.expired", "fraction", B::lower, "expired", false},
    MetricMeaning{"policies.*.outcome.recall_failed", "fraction", B::lower, "recall failed", false},
    MetricMeaning{"policies.*.outcome.cancelled", "fraction", B::neither, "cancelled", false},
    MetricMeaning{"policies.*.outcome.cleared", "fraction", B::lower, "cleared", false},
    MetricMeaning{"policies.*.outcome.rejected", "fraction", B::lower, "request rejected", false},
    MetricMeaning{"policies.*.outcome.unsupported", "fraction", B::lower, "mode unsupported",
                  false},
    MetricMeaning{"policies.*.outcome.message", "fraction", B::neither, "message left", false},
    MetricMeaning{"policies.*.completion_ratio", "fraction", B::higher, "completion ratio", false},
    MetricMeaning{"policies.*.completion_latency.*", "s", B::lower, "completion latency", false},
    MetricMeaning{"policies.*.completion_latency_histogram", "s", B::neither,
                  "completion latency histogram", false},
    MetricMeaning{"policies.*.answer_seizure_ratio", "fraction", B::higher, "answer-seizure ratio",
                  false},
    MetricMeaning{"policies.*.completion_requests_max_outstanding", "calls", B::neither,
                  "most requests outstanding", false},
    MetricMeaning{"policies.*.requests.*", "calls", B::neither, "completion requests", false},
};

/// Whether `path` has as many components as `pattern` and each equals its pattern
/// component or stands where a `*` does. An empty component matches nothing.
bool matches(std::string_view pattern, std::string_view path) {
  std::size_t p = 0;
  std::size_t q = 0;
  for (;;) {
    const std::size_t p_end = pattern.find('.', p);
    const std::size_t q_end = path.find('.', q);
    const std::string_view want = pattern.substr(p, p_end - p);
    const std::string_view got = path.substr(q, q_end - q);
    if (got.empty() || (want != "*" && want != got)) return false;
    if (p_end == std::string_view::npos || q_end == std::string_view::npos) return p_end == q_end;
    p = p_end + 1;
    q = q_end + 1;
  }
}

/// The trunk group's, relation's or policy's name: a matched path's second component.
std::string_view owner_of(std::string_view path) {
  const std::size_t start = path.find('.') + 1;
  return path.substr(start, path.find('.', start) - start);
}

}  // namespace

const MetricMeaning* find_metric_meaning(std::string_view path) {
  for (const MetricMeaning& m : kCatalog) {
    if (matches(m.pattern, path)) return &m;
  }
  return nullptr;
}

Better better_direction(std::string_view path) {
  const MetricMeaning* m = find_metric_meaning(path);
  if (m == nullptr) return Better::neither;
  // compare looked for ".completion_latency." and ".first_attempt_failure." anywhere, so
  // these owner names made all their metrics lower-is-better (kept, see the header).
  const std::string_view owner = owner_of(path);
  if (owner == "completion_latency" || owner == "first_attempt_failure") return Better::lower;
  return m->better;
}

std::string_view metric_unit(std::string_view path) {
  const MetricMeaning* m = find_metric_meaning(path);
  if (m == nullptr) return "fraction";
  // The viewer looked for "completion_latency" and ".requests." anywhere, before its
  // fraction fallback (kept, see the header).
  const std::string_view owner = owner_of(path);
  if (owner.find("completion_latency") != std::string_view::npos) return "s";
  if (owner == "requests" && m->unit == "fraction") return "calls";
  return m->unit;
}

std::vector<std::string_view> dimension_target_metrics() {
  std::vector<std::string_view> names;
  for (const MetricMeaning& m : kCatalog) {
    if (m.dimension_target) names.push_back(m.pattern.substr(m.pattern.rfind('.') + 1));
  }
  return names;
}

std::span<const MetricMeaning> metric_catalog() {
  return kCatalog;
}

}  // namespace telsim::analysis
