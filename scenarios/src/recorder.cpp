#include "recorder.hpp"

#include <algorithm>

#include "telsim/analysis/percentile.hpp"

namespace telsim::scenarios::detail {
namespace {

std::optional<double> ratio(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

void put(analysis::ReplicationMetrics& out, const std::string& path, std::optional<double> v) {
  out.values.emplace_back(path, v);
}

}  // namespace

void CallBlock::add(const models::CallSummary& call) {
  ++calls;
  attempts += call.attempts;
  answered_attempts += call.answered_attempts;
  if (call.first_failure) ++first_failure[static_cast<std::size_t>(*call.first_failure)];
  ++outcome[static_cast<std::size_t>(call.outcome)];
  if (call.rejected) ++rejected;
  if (call.unsupported) ++unsupported;
  if (call.message) ++message;
  max_outstanding = std::max(max_outstanding, call.max_outstanding_requests);
  if (call.completion_latency) latencies.push_back(sim::to_seconds(*call.completion_latency));
}

void CallBlock::append_metrics(const std::string& prefix, bool with_caller_busy, bool with_requests,
                               analysis::ReplicationMetrics& out) const {
  put(out, prefix + ".calls", static_cast<double>(calls));
  put(out, prefix + ".attempts", static_cast<double>(attempts));
  if (with_caller_busy) put(out, prefix + ".caller_busy", static_cast<double>(caller_busy));
  for (std::size_t c = 0; c < models::failure_cause_count; ++c) {
    put(out,
        prefix + ".first_attempt_failure." +
            models::to_string(static_cast<models::FailureCause>(c)),
        ratio(first_failure[c], calls));
  }
  for (std::size_t o = 0; o < models::call_outcome_count; ++o) {
    put(out, prefix + ".outcome." + models::to_string(static_cast<models::CallOutcome>(o)),
        ratio(outcome[o], calls));
  }
  put(out, prefix + ".outcome.rejected", ratio(rejected, calls));
  put(out, prefix + ".outcome.unsupported", ratio(unsupported, calls));
  put(out, prefix + ".outcome.message", ratio(message, calls));
  const auto idx = [](models::CallOutcome o) { return static_cast<std::size_t>(o); };
  put(out, prefix + ".completion_ratio",
      ratio(outcome[idx(models::CallOutcome::connected)] +
                outcome[idx(models::CallOutcome::completed)] +
                outcome[idx(models::CallOutcome::intruded)],
            calls));
  const analysis::LatencySummary lat = analysis::summarize_latencies(latencies);
  put(out, prefix + ".completion_latency.mean", lat.mean);
  put(out, prefix + ".completion_latency.p50", lat.p50);
  put(out, prefix + ".completion_latency.p90", lat.p90);
  put(out, prefix + ".completion_latency.p95", lat.p95);
  put(out, prefix + ".completion_latency.p99", lat.p99);
  put(out, prefix + ".answer_seizure_ratio", ratio(answered_attempts, attempts));
  put(out, prefix + ".completion_requests_max_outstanding",
      calls == 0 ? std::nullopt : std::optional<double>(max_outstanding));
  if (with_requests) {
    // An extension of SPEC §5: the request life cycle, as counts per replication.
    for (std::size_t e = 0; e < models::request_event_count; ++e) {
      put(out, prefix + ".requests." + models::to_string(static_cast<models::RequestEvent>(e)),
          static_cast<double>(requests[e]));
    }
  }
}

Recorder::Recorder(const Scenario& scenario, sim::Tick warmup, sim::Tick horizon)
    : scenario_(scenario), warmup_(warmup), horizon_(horizon) {
  const auto window = static_cast<std::uint64_t>(horizon - warmup);
  const std::size_t bins =
      static_cast<std::size_t>(std::min<std::uint64_t>(timeseries_bins, window));
  groups_.reserve(scenario.network.trunk_groups.size());
  for (const auto& g : scenario.network.trunk_groups) {
    groups_.push_back(
        GroupRecord{0, 0, 0, analysis::TimeWeighted(warmup, horizon, bins, g.circuits)});
  }
  relations_.resize(scenario.network.relations.size());
  policies_.resize(scenario.network.policies.size());
}

void Recorder::circuit_requested(models::TrunkGroupId group, bool granted, sim::Tick now) {
  if (!in_window(now)) return;
  GroupRecord& g = groups_[group];
  ++g.requests;
  if (!granted) ++g.refused;
}

void Recorder::circuits_changed(models::TrunkGroupId group, std::uint32_t busy, sim::Tick now) {
  groups_[group].busy.set(now, static_cast<std::int64_t>(busy));
}

void Recorder::overflowed(models::TrunkGroupId group, sim::Tick now) {
  if (in_window(now)) ++groups_[group].overflow;
}

void Recorder::caller_busy(models::RelationId relation, bool measured, sim::Tick) {
  if (measured) ++relations_[relation].caller_busy;
}

void Recorder::call_ended(const models::CallSummary& call, sim::Tick) {
  if (!call.measured) return;
  relations_[call.relation].add(call);
  for (const models::PolicyId p : call.policies) policies_[p].add(call);
}

void Recorder::request_event(models::PolicyId policy, models::RequestEvent event, bool measured,
                             sim::Tick) {
  if (measured) ++policies_[policy].requests[static_cast<std::size_t>(event)];
}

void Recorder::finish() {
  for (auto& g : groups_) g.busy.finish();
}

analysis::ReplicationMetrics Recorder::metrics() const {
  analysis::ReplicationMetrics out;
  const auto& net = scenario_.network;
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    const GroupRecord& g = groups_[i];
    const std::string prefix = "trunk_groups." + net.trunk_groups[i].name;
    put(out, prefix + ".call_blocking", ratio(g.refused, g.requests));
    put(out, prefix + ".time_congestion", g.busy.fraction_full());
    put(out, prefix + ".carried_erlangs", g.busy.mean());
    put(out, prefix + ".overflow_calls", static_cast<double>(g.overflow));
  }
  for (std::size_t i = 0; i < relations_.size(); ++i) {
    relations_[i].append_metrics("traffic." + net.relations[i].name, true, false, out);
  }
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    policies_[i].append_metrics("policies." + net.policies[i].name, false, true, out);
  }
  return out;
}

std::vector<std::vector<double>> Recorder::busy_series() const {
  std::vector<std::vector<double>> out;
  out.reserve(groups_.size());
  for (const auto& g : groups_) out.push_back(g.busy.bin_means());
  return out;
}

std::vector<double> Recorder::series_times_seconds() const {
  std::vector<double> t;
  if (groups_.empty()) return t;
  const std::vector<std::int64_t> edges = groups_.front().busy.bin_edges();
  for (std::size_t i = 0; i + 1 < edges.size(); ++i) {
    t.push_back(0.5 * (sim::to_seconds(edges[i]) + sim::to_seconds(edges[i + 1])));
  }
  return t;
}

BlockingSeries::BlockingSeries(sim::Tick horizon, std::size_t bins, bool use_circuit_requests)
    : horizon_(horizon),
      bin_width_(std::max<sim::Tick>(1, horizon / static_cast<sim::Tick>(bins))),
      use_circuit_requests_(use_circuit_requests),
      trials_(bins, 0),
      failures_(bins, 0) {}

std::size_t BlockingSeries::bin_of(sim::Tick t) const {
  return std::min(static_cast<std::size_t>(t / bin_width_), trials_.size() - 1);
}

void BlockingSeries::circuit_requested(models::TrunkGroupId, bool granted, sim::Tick now) {
  if (!use_circuit_requests_ || now >= horizon_) return;
  const std::size_t b = bin_of(now);
  ++trials_[b];
  if (!granted) ++failures_[b];
}

void BlockingSeries::call_ended(const models::CallSummary& call, sim::Tick) {
  // Without trunk groups the blocking of a call is its first attempt's failure.
  if (use_circuit_requests_ || call.first_attempt_time >= horizon_) return;
  const std::size_t b = bin_of(call.first_attempt_time);
  ++trials_[b];
  if (call.first_failure) ++failures_[b];
}

std::vector<double> BlockingSeries::series() const {
  std::vector<double> s(trials_.size(), 0.0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (trials_[i] > 0) s[i] = static_cast<double>(failures_[i]) / static_cast<double>(trials_[i]);
  }
  return s;
}

}  // namespace telsim::scenarios::detail
