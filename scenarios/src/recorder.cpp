#include "recorder.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "telsim/analysis/percentile.hpp"

namespace telsim::scenarios::detail {
namespace {

std::optional<double> ratio(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

// ---- LatencyRecord --------------------------------------------------------------

std::size_t LatencyRecord::bucket_of(std::uint64_t v) {
  constexpr std::uint64_t per_octave = std::uint64_t{1} << sub_bits;
  if (v < per_octave) return static_cast<std::size_t>(v);
  const unsigned e = static_cast<unsigned>(std::bit_width(v)) - 1;  // >= sub_bits
  const std::uint64_t sub = (v >> (e - sub_bits)) - per_octave;     // 0 .. per_octave - 1
  return static_cast<std::size_t>(per_octave + (e - sub_bits) * per_octave + sub);
}

double LatencyRecord::bucket_midpoint(std::size_t b) {
  constexpr std::uint64_t per_octave = std::uint64_t{1} << sub_bits;
  if (b < per_octave) return static_cast<double>(b);
  const std::uint64_t octave = (b - per_octave) / per_octave;  // e - sub_bits
  const std::uint64_t sub = (b - per_octave) % per_octave;
  const double low = std::ldexp(static_cast<double>(per_octave + sub), static_cast<int>(octave));
  const double width = std::ldexp(1.0, static_cast<int>(octave));
  return low + 0.5 * (width - 1.0);  // the middle of the integers [low, low + width)
}

void LatencyRecord::add_to_bucket(sim::Tick latency) {
  const std::size_t b = bucket_of(static_cast<std::uint64_t>(std::max<sim::Tick>(0, latency)));
  if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
  ++buckets_[b];
}

void LatencyRecord::to_buckets() {
  buckets_.reserve(bucket_of(static_cast<std::uint64_t>(std::max<sim::Tick>(0, max_))) + 1);
  for (const sim::Tick t : exact_) add_to_bucket(t);
  std::vector<sim::Tick>().swap(exact_);
}

void LatencyRecord::add(sim::Tick latency) {
  if (count_ == 0) {
    min_ = max_ = latency;
  } else {
    min_ = std::min(min_, latency);
    max_ = std::max(max_, latency);
  }
  ++count_;
  sum_seconds_ += static_cast<long double>(sim::to_seconds(latency));
  if (is_exact()) {
    if (exact_.size() < exact_capacity) {
      exact_.push_back(latency);
      return;
    }
    to_buckets();
  }
  add_to_bucket(latency);
}

double LatencyRecord::value_at_rank(std::uint64_t rank) const {
  std::uint64_t below = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    below += buckets_[b];
    if (rank < below) {
      const double mid =
          std::clamp(bucket_midpoint(b), static_cast<double>(min_), static_cast<double>(max_));
      return mid / static_cast<double>(sim::ticks_per_second);
    }
  }
  return sim::to_seconds(max_);
}

analysis::LatencySummary LatencyRecord::summary() const {
  if (count_ == 0) return {};
  if (is_exact()) {
    std::vector<double> seconds;
    seconds.reserve(exact_.size());
    for (const sim::Tick t : exact_) seconds.push_back(sim::to_seconds(t));
    return analysis::summarize_latencies(std::move(seconds));
  }
  const auto percentile = [this](double p) {
    // As analysis::percentile_sorted: h = (n - 1) p, linear between floor(h) and floor(h) + 1.
    const double h = static_cast<double>(count_ - 1) * p;
    const auto k = static_cast<std::uint64_t>(std::floor(h));
    const double a = value_at_rank(k);
    if (k + 1 >= count_) return a;
    const double b = value_at_rank(k + 1);
    return a + (h - static_cast<double>(k)) * (b - a);
  };
  analysis::LatencySummary s;
  s.mean = static_cast<double>(sum_seconds_ / static_cast<long double>(count_));
  s.p50 = percentile(0.50);
  s.p90 = percentile(0.90);
  s.p95 = percentile(0.95);
  s.p99 = percentile(0.99);
  return s;
}

analysis::Histogram LatencyRecord::histogram(const std::vector<const LatencyRecord*>& pooled,
                                             std::size_t max_bins) {
  bool any = false;
  sim::Tick low = 0, high = 0;
  for (const LatencyRecord* r : pooled) {
    if (r->count_ == 0) continue;
    low = any ? std::min(low, r->min_) : r->min_;
    high = any ? std::max(high, r->max_) : r->max_;
    any = true;
  }
  if (!any) return {};
  analysis::Histogram h =
      analysis::make_histogram({sim::to_seconds(low), sim::to_seconds(high)}, max_bins);
  std::fill(h.counts.begin(), h.counts.end(), 0);
  const std::size_t bins = h.counts.size();
  const auto bin_of = [&](double value) {
    // As make_histogram: by the stored edges, the last bin also takes its upper edge.
    const auto above = std::upper_bound(h.edges.begin(), h.edges.end(), value);
    const auto bin = static_cast<std::size_t>(above - h.edges.begin());
    return bin == 0 ? std::size_t{0} : std::min(bin - 1, bins - 1);
  };
  for (const LatencyRecord* r : pooled) {
    for (const sim::Tick t : r->exact_) ++h.counts[bin_of(sim::to_seconds(t))];
    for (std::size_t b = 0; b < r->buckets_.size(); ++b) {
      if (r->buckets_[b] == 0) continue;
      const double mid = std::clamp(bucket_midpoint(b), static_cast<double>(r->min_),
                                    static_cast<double>(r->max_));
      h.counts[bin_of(mid / static_cast<double>(sim::ticks_per_second))] += r->buckets_[b];
    }
  }
  return h;
}

// ---- CallBlock --------------------------------------------------------------------

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
  if (call.completion_latency) latencies.add(*call.completion_latency);
}

void CallBlock::append_metrics(const std::string& prefix, bool with_caller_busy, bool with_requests,
                               MetricSink& out,
                               std::optional<double> mean_holding_per_window) const {
  out.put(prefix, ".calls", static_cast<double>(calls));
  out.put(prefix, ".attempts", static_cast<double>(attempts));
  if (with_caller_busy) out.put(prefix, ".caller_busy", static_cast<double>(caller_busy));
  if (mean_holding_per_window) {
    // SPEC §5: measured first attempts x mean holding / duration, the traffic the relation
    // offered after caller_busy.
    out.put(prefix, ".offered_erlangs", static_cast<double>(calls) * *mean_holding_per_window);
  }
  for (std::size_t c = 0; c < models::failure_cause_count; ++c) {
    out.put(prefix, ".first_attempt_failure.",
            models::to_string(static_cast<models::FailureCause>(c)),
            ratio(first_failure[c], calls));
  }
  for (std::size_t o = 0; o < models::call_outcome_count; ++o) {
    out.put(prefix, ".outcome.", models::to_string(static_cast<models::CallOutcome>(o)),
            ratio(outcome[o], calls));
  }
  out.put(prefix, ".outcome.rejected", ratio(rejected, calls));
  out.put(prefix, ".outcome.unsupported", ratio(unsupported, calls));
  out.put(prefix, ".outcome.message", ratio(message, calls));
  const auto idx = [](models::CallOutcome o) { return static_cast<std::size_t>(o); };
  out.put(prefix, ".completion_ratio",
          ratio(outcome[idx(models::CallOutcome::connected)] +
                    outcome[idx(models::CallOutcome::completed)] +
                    outcome[idx(models::CallOutcome::intruded)],
                calls));
  const analysis::LatencySummary lat = latencies.summary();
  out.put(prefix, ".completion_latency.mean", lat.mean);
  out.put(prefix, ".completion_latency.p50", lat.p50);
  out.put(prefix, ".completion_latency.p90", lat.p90);
  out.put(prefix, ".completion_latency.p95", lat.p95);
  out.put(prefix, ".completion_latency.p99", lat.p99);
  out.put(prefix, ".answer_seizure_ratio", ratio(answered_attempts, attempts));
  out.put(prefix, ".completion_requests_max_outstanding",
          calls == 0 ? std::nullopt : std::optional<double>(max_outstanding));
  if (with_requests) {
    // An extension of SPEC §5: the request life cycle, as counts per replication.
    // Refusals are counted by cause (their TAPI errors in docs/policies.md)
    // and in all, as `refused`.
    std::uint64_t refused = 0;
    for (std::size_t e = 0; e < models::request_event_count; ++e) {
      const auto event = static_cast<models::RequestEvent>(e);
      if (models::is_refusal(event)) refused += requests[e];
      out.put(prefix, ".requests.", models::to_string(event), static_cast<double>(requests[e]));
    }
    out.put(prefix, ".requests.refused", static_cast<double>(refused));
  }
}

Recorder::Recorder(const Scenario& scenario, sim::Tick warmup, sim::Tick horizon)
    : scenario_(scenario), warmup_(warmup), horizon_(horizon) {
  const auto window = static_cast<std::uint64_t>(horizon - warmup);
  const std::size_t bins =
      static_cast<std::size_t>(std::min<std::uint64_t>(timeseries_bins, window));
  groups_.reserve(scenario.network.trunk_groups.size());
  for (const auto& g : scenario.network.trunk_groups) {
    groups_.push_back(GroupRecord{
        0, 0, 0, analysis::TimeWeighted(warmup, horizon, bins, g.circuits), g.circuits, 0});
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

void Recorder::refused_by_reserve(models::TrunkGroupId group, sim::Tick now) {
  if (in_window(now)) ++groups_[group].refused_by_reserve;
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

void GroupRecord::append_metrics(const std::string& prefix, MetricSink& out) const {
  out.put(prefix, ".call_blocking", ratio(refused, requests));
  out.put(prefix, ".time_congestion", busy.fraction_full());
  out.put(prefix, ".carried_erlangs", busy.mean());
  out.put(prefix, ".overflow_calls", static_cast<double>(overflow));
  const double variance = busy.variance();
  const double carried = busy.mean();
  out.put(prefix, ".busy_variance", variance);
  out.put(prefix, ".peakedness",
          carried > 0.0 ? variance / carried : std::numeric_limits<double>::quiet_NaN());
  out.put(prefix, ".reservation_blocking", ratio(refused_by_reserve, requests));
}

void Recorder::append_metrics(MetricSink& out) const {
  const auto& net = scenario_.network;
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    groups_[i].append_metrics("trunk_groups." + net.trunk_groups[i].name, out);
  }
  const double window = sim::to_seconds(horizon_ - warmup_);
  for (std::size_t i = 0; i < relations_.size(); ++i) {
    relations_[i].append_metrics("traffic." + net.relations[i].name, true, false, out,
                                 net.relations[i].holding.mean() / window);
  }
  for (std::size_t i = 0; i < policies_.size(); ++i) {
    policies_[i].append_metrics("policies." + net.policies[i].name, false, true, out);
  }
}

std::vector<std::optional<double>> Recorder::metric_values() const {
  std::vector<std::optional<double>> values;
  values.reserve(metric_count(scenario_));
  MetricSink sink(values);
  append_metrics(sink);
  return values;
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

analysis::MetricPaths metric_paths(const Scenario& scenario) {
  // A one-tick window: the smallest a Recorder accepts, and no data at all.
  Recorder empty(scenario, 0, 1);
  empty.finish();
  analysis::MetricPaths paths;
  paths.reserve(metric_count(scenario));
  MetricSink sink(paths);
  empty.append_metrics(sink);
  return paths;
}

std::uint64_t metric_count(const Scenario& scenario) {
  // Every group, relation and policy writes the same figures, so one empty
  // record of each kind, asked as Recorder::append_metrics() asks it, gives the count.
  MetricSink group;
  MetricSink relation;
  MetricSink policy;
  GroupRecord empty_group{0, 0, 0, analysis::TimeWeighted(0, 1, 1, 1), 1, 0};
  empty_group.busy.finish();
  empty_group.append_metrics("g", group);
  CallBlock{}.append_metrics("r", true, false, relation, 1.0);
  CallBlock{}.append_metrics("p", false, true, policy);
  const auto& net = scenario.network;
  return net.trunk_groups.size() * group.count() + net.relations.size() * relation.count() +
         net.policies.size() * policy.count();
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
  std::vector<double> s(trials_.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (trials_[i] > 0) s[i] = static_cast<double>(failures_[i]) / static_cast<double>(trials_[i]);
  }
  return s;
}

}  // namespace telsim::scenarios::detail
