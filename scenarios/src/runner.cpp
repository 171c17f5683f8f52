#include "telsim/scenarios/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "call_record_writer.hpp"
#include "recorder.hpp"
#include "telsim/analysis/histogram.hpp"
#include "telsim/analysis/warmup.hpp"
#include "telsim/models/network.hpp"
#include "telsim/scenarios/work_estimate.hpp"

namespace telsim::scenarios {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start, Clock::time_point end = Clock::now()) {
  return std::chrono::duration<double>(end - start).count();
}

// Raw observations for MSER-5: 100 batches of 5 over the pilot run.
constexpr std::size_t mser_bins = 500;

struct ReplicationResult {
  /// In the order of detail::metric_paths(scenario), the same for every replication.
  std::vector<std::optional<double>> metric_values;
  std::vector<std::vector<double>> busy_series;
  std::vector<double> series_t;
  // Bounded per block whatever the number of calls (recorder.hpp LatencyRecord).
  std::vector<detail::LatencyRecord> relation_latencies;
  std::vector<detail::LatencyRecord> policy_latencies;
  double warmup_used = 0.0;
  RunTimings timings;
  std::uint64_t events = 0;
  std::uint64_t peak_pending = 0;
};

// limits.max_memory during the run: each running replication may hold the
// pending events its share of the limit pays for (work_estimate.hpp), so a
// run that outgrows the limit stops with exit 3 instead of being killed.
struct MemoryShare {
  sim::RunLimits limits;         // the scenario's, max_pending lowered to the share
  std::uint64_t max_memory = 0;  // bytes (auto resolved)
  bool binding = false;          // the share, not limits.max_pending, bounds pending events
};

MemoryShare memory_share(const Scenario& s, const WorkEstimate& estimate, std::uint64_t limit) {
  MemoryShare m{s.limits, limit, false};
  const std::uint64_t within = pending_events_within(estimate, limit);
  if (within < m.limits.max_pending) {
    m.limits.max_pending = within;
    m.binding = true;
  }
  return m;
}

void check_status(sim::RunStatus status, std::size_t replication, const Scenario& s,
                  const std::atomic<int>* stop, const MemoryShare& share) {
  // The engine looks at the flag every few thousand events (sim::stop_check_interval),
  // so a signal stops a replication, however long, well within a second.
  if (status == sim::RunStatus::interrupted) throw Interrupted(stop->load());
  if (status == sim::RunStatus::event_limit) {
    throw LimitExceeded(fmt::format(
        "replication {} stopped: more than {} events (limits.max_events); the scenario's work "
        "explodes (a redial storm, or a huge population for its horizon?), or raise the limit",
        replication, s.limits.max_events));
  }
  if (status == sim::RunStatus::pending_limit && share.binding) {
    throw LimitExceeded(fmt::format(
        "replication {} stopped: more than {} pending events, its share of limits.max_memory "
        "({}) with the replications running at once; the scenario keeps too much work in "
        "flight, or raise limits.max_memory (or run fewer --threads)",
        replication, share.limits.max_pending, format_bytes(share.max_memory)));
  }
  if (status == sim::RunStatus::pending_limit) {
    throw LimitExceeded(fmt::format(
        "replication {} stopped: more than {} pending events (limits.max_pending); the scenario "
        "keeps too much work in flight, or raise the limit",
        replication, s.limits.max_pending));
  }
}

/// How far one running replication got, for RunOptions::progress_within: its engine
/// publishes its clock; `before` ticks of pilot run came first, out of `span` in all.
struct ProgressSlot {
  std::atomic<sim::Tick> clock{0};
  std::atomic<sim::Tick> before{0};
  std::atomic<sim::Tick> span{0};
  std::atomic<bool> running{false};

  double fraction() const {
    const sim::Tick all = span.load(std::memory_order_relaxed);
    if (!running.load(std::memory_order_relaxed) || all <= 0) return 0.0;
    const double f = static_cast<double>(before.load(std::memory_order_relaxed) +
                                         clock.load(std::memory_order_relaxed)) /
                     static_cast<double>(all);
    // Past the horizon the measured calls still end: not finished until it returns.
    return std::clamp(f, 0.0, 0.99);
  }
};

/// MSER-5 on a pilot run of the same replication (same streams), over the
/// first `duration` seconds. Bins with no request are missing observations
/// (NaN), not zero blocking; the cut is a bin index either way, so the
/// warm-up ends where the first bin kept starts.
sim::Tick choose_warmup(const Scenario& s, const models::PolicyRegistry& registry,
                        std::size_t replication, std::uint64_t& events,
                        const std::atomic<int>* stop, const MemoryShare& share,
                        ProgressSlot* progress) {
  const sim::Tick horizon = sim::to_ticks(s.duration);
  models::Network pilot(s.network, registry, s.seed, replication);
  if (progress != nullptr) pilot.set_clock_out(&progress->clock);
  detail::BlockingSeries series(horizon, mser_bins, !s.network.trunk_groups.empty());
  pilot.set_observer(&series);
  check_status(pilot.run(0, horizon, share.limits, stop), replication, s, stop, share);
  events += pilot.scheduler().events_executed();
  const std::vector<double> values = series.series();
  const std::size_t cut = analysis::mser5_truncation(values);
  return static_cast<sim::Tick>(cut) * series.bin_width();
}

ReplicationResult run_replication(const Scenario& s, const models::PolicyRegistry& registry,
                                  std::size_t replication, CallRecordFile* calls,
                                  const std::atomic<int>* stop, const MemoryShare& share,
                                  ProgressSlot* progress) {
  ReplicationResult out;
  sim::Tick warmup = 0;
  const sim::Tick duration = sim::to_ticks(s.duration);
  if (progress != nullptr) {
    // The pilot of `warmup: auto` runs `duration`, then the replication warm-up + duration;
    // the warm-up it will choose is not known yet: counted as none.
    progress->clock.store(0);
    progress->before.store(0);
    progress->span.store(s.warmup ? sim::to_ticks(*s.warmup) + duration : 2 * duration);
    progress->running.store(true);
  }
  if (s.warmup) {
    warmup = sim::to_ticks(*s.warmup);
  } else {
    const Clock::time_point piloting = Clock::now();
    warmup = choose_warmup(s, registry, replication, out.events, stop, share, progress);
    out.timings.simulate_seconds += seconds_since(piloting);
    if (progress != nullptr) {
      progress->clock.store(0);
      progress->before.store(duration);
      progress->span.store(duration + warmup + duration);
    }
  }
  const sim::Tick horizon = warmup + duration;
  const Clock::time_point building = Clock::now();
  auto network = std::make_unique<models::Network>(s.network, registry, s.seed, replication);
  if (progress != nullptr) network->set_clock_out(&progress->clock);
  detail::Recorder recorder(s, warmup, horizon);
  network->set_observer(&recorder);
  // --calls: the records hear what the recorder hears (the pilot run of warmup: auto does not).
  std::unique_ptr<detail::CallRecordWriter> records;
  std::optional<detail::ObserverPair> both;
  if (calls != nullptr) {
    records = calls->open_replication(s.network, replication);
    network->set_observer(&both.emplace(recorder, *records));
  }
  const Clock::time_point simulating = Clock::now();
  out.timings.build_seconds = seconds_since(building, simulating);
  check_status(network->run(warmup, horizon, share.limits, stop), replication, s, stop, share);
  out.timings.simulate_seconds += seconds_since(simulating);
  const Clock::time_point collecting = Clock::now();
  out.events += network->scheduler().events_executed();
  out.peak_pending = network->scheduler().peak_pending();
  // The network's subscribers and pending events go before the figures are
  // collected, so that the run's peak memory is the simulation's alone.
  network.reset();
  recorder.finish();
  if (records) records->finish();
  out.metric_values = recorder.metric_values();
  out.busy_series = recorder.busy_series();
  out.series_t = recorder.series_times_seconds();
  for (const auto& b : recorder.relation_blocks()) out.relation_latencies.push_back(b.latencies);
  for (const auto& b : recorder.policy_blocks()) out.policy_latencies.push_back(b.latencies);
  out.warmup_used = sim::to_seconds(warmup);
  out.timings.collect_seconds = seconds_since(collecting);
  return out;
}

/// Runs replications [first, last) on `threads` threads; results by index.
void run_batch(const Scenario& s, const models::PolicyRegistry& registry, std::size_t first,
               std::size_t last, const RunOptions& options, const MemoryShare& share,
               std::size_t planned, std::vector<std::optional<ReplicationResult>>& results,
               std::size_t& done) {
  if (results.size() < last) results.resize(last);
  std::atomic<std::size_t> next{first};
  std::mutex mutex;
  std::exception_ptr error;
  const unsigned n =
      std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(last - first)));
  std::vector<ProgressSlot> slots(options.progress_within ? n : 0);
  std::atomic<unsigned> next_slot{0};
  auto worker = [&] {
    ProgressSlot* slot = slots.empty() ? nullptr : &slots[next_slot.fetch_add(1)];
    for (;;) {
      if (options.stop_signal != nullptr && options.stop_signal->load() != 0) return;
      {
        std::lock_guard lock(mutex);
        if (error) return;
      }
      const std::size_t rep = next.fetch_add(1);
      if (rep >= last) return;
      try {
        ReplicationResult r = run_replication(s, registry, rep, options.call_records,
                                              options.stop_signal, share, slot);
        std::lock_guard lock(mutex);
        if (slot != nullptr) slot->running.store(false);
        results[rep] = std::move(r);
        ++done;
        if (options.progress) options.progress(done, planned);
      } catch (...) {
        std::lock_guard lock(mutex);
        if (slot != nullptr) slot->running.store(false);
        if (!error) error = std::current_exception();
        return;
      }
    }
  };
  // The reporting thread of progress_within: wakes every progress_interval until the
  // workers are done.
  std::condition_variable finished;
  bool all_done = false;
  std::thread reporter;
  if (options.progress_within) {
    reporter = std::thread([&] {
      std::unique_lock lock(mutex);
      while (!finished.wait_for(lock, options.progress_interval, [&] { return all_done; })) {
        // Only while a replication runs: once the last one ended, `progress` said so, and
        // a report between that and all_done would claim the run finished before it returns.
        bool running = false;
        double within = static_cast<double>(done);
        for (const ProgressSlot& slot : slots) {
          running = running || slot.running.load(std::memory_order_relaxed);
          within += slot.fraction();
        }
        if (running) options.progress_within(within, planned);
      }
    });
  }
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < n; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (reporter.joinable()) {
    {
      std::lock_guard lock(mutex);
      all_done = true;
    }
    finished.notify_all();
    reporter.join();
  }
  if (error) std::rethrow_exception(error);
  if (options.stop_signal != nullptr && options.stop_signal->load() != 0) {
    throw Interrupted(options.stop_signal->load());
  }
}

/// The sequential stopping rule, decided replication by replication in
/// order so that the answer does not depend on the number of threads.
/// `column`: the metric's place in every replication's values (none: not a
/// figure of this run). Only that figure is looked at: no table is built.
std::optional<std::size_t> precision_met_at(
    const PrecisionSpec& p, std::optional<std::size_t> column,
    const std::vector<std::optional<ReplicationResult>>& results, std::size_t from,
    std::size_t to) {
  if (!column) return std::nullopt;
  std::vector<std::optional<double>> values;
  values.reserve(to);
  for (std::size_t i = 0; i + 1 < from; ++i) values.push_back(results[i]->metric_values[*column]);
  for (std::size_t k = from; k <= to; ++k) {
    values.push_back(results[k - 1]->metric_values[*column]);
    const analysis::Statistic st = analysis::summarize(values);
    if (st.mean && st.ci95 && *st.ci95 <= p.relative * std::fabs(*st.mean)) return k;
  }
  return std::nullopt;
}

}  // namespace

analysis::RunResults run_scenario(const Scenario& s, const models::PolicyRegistry& registry,
                                  const RunOptions& options) {
  const Clock::time_point started = Clock::now();
  std::vector<std::optional<ReplicationResult>> results;
  std::size_t done = 0;
  std::size_t used = s.replications;
  std::optional<analysis::PrecisionOutcome> precision;

  // limits.max_memory: refused before t=0 on the estimate, then bounded while running.
  const WorkEstimate estimate = estimate_work(s, options.threads);
  const std::uint64_t max_memory = max_memory_bytes(s);
  if (estimate.peak_bytes > max_memory)
    throw LimitExceeded(memory_refusal(s, estimate, max_memory));
  const MemoryShare share = memory_share(s, estimate, max_memory);

  std::size_t planned = s.replications;
  run_batch(s, registry, 0, s.replications, options, share, planned, results, done);
  // Listed once, after the first replications' networks are gone: every
  // replication's figures come in this order.
  const auto paths = std::make_shared<const analysis::MetricPaths>(detail::metric_paths(s));
  if (s.precision) {
    const PrecisionSpec& p = *s.precision;
    std::optional<std::size_t> column;
    for (auto path = paths->begin(); path != paths->end() && !column; ++path) {
      if (*path == p.metric) column = path.index();
    }
    const std::size_t cap = std::max(p.max_replications, s.replications);
    std::optional<std::size_t> met =
        precision_met_at(p, column, results, s.replications, s.replications);
    std::size_t have = s.replications;
    while (!met && have < cap) {
      const std::size_t batch = std::max<std::size_t>(1, options.threads);
      const std::size_t next = std::min(cap, have + batch);
      planned = next;
      run_batch(s, registry, have, next, options, share, planned, results, done);
      met = precision_met_at(p, column, results, have + 1, next);
      have = next;
    }
    used = met ? *met : have;
    precision = analysis::PrecisionOutcome{p.metric, met.has_value(), used};
  }
  // Replications past the stopping point are left out of the records as of the results.
  if (options.call_records != nullptr) options.call_records->keep_replications(used);

  const Clock::time_point collecting = Clock::now();
  analysis::RunResults out;
  out.seed = s.seed;
  out.replications = used;
  out.warmup = s.warmup.value_or(0.0);
  if (!s.warmup) out.warmup_field = "auto";
  out.duration = s.duration;
  out.precision = precision;

  std::vector<std::vector<const detail::LatencyRecord*>> pooled_relations(
      s.network.relations.size());
  std::vector<std::vector<const detail::LatencyRecord*>> pooled_policies(s.network.policies.size());
  std::vector<std::vector<double>> busy_sum(s.network.trunk_groups.size());
  std::vector<double> series_t;
  for (std::size_t i = 0; i < used; ++i) {
    ReplicationResult& r = *results[i];
    out.metrics.add_replication(
        analysis::ReplicationMetrics(paths, std::exchange(r.metric_values, {})));
    out.warmup_used.push_back(r.warmup_used);
    out.engine.events += r.events;
    out.engine.peak_pending_events =
        std::max<std::uint64_t>(out.engine.peak_pending_events, r.peak_pending);
    for (std::size_t k = 0; k < r.relation_latencies.size(); ++k) {
      pooled_relations[k].push_back(&r.relation_latencies[k]);
    }
    for (std::size_t k = 0; k < r.policy_latencies.size(); ++k) {
      pooled_policies[k].push_back(&r.policy_latencies[k]);
    }
    for (std::size_t g = 0; g < r.busy_series.size(); ++g) {
      if (busy_sum[g].empty()) busy_sum[g].assign(r.busy_series[g].size(), 0.0);
      for (std::size_t b = 0; b < r.busy_series[g].size(); ++b)
        busy_sum[g][b] += r.busy_series[g][b];
    }
    // Bin times differ between replications only with `warmup: auto`; the
    // series is then placed on the first replication's clock.
    if (series_t.empty()) series_t = r.series_t;
  }
  for (std::size_t g = 0; g < busy_sum.size(); ++g) {
    analysis::TimeSeries ts;
    ts.t = series_t;
    ts.mean = busy_sum[g];
    for (double& v : ts.mean) v /= static_cast<double>(used);
    out.timeseries[s.network.trunk_groups[g].name]["busy_circuits"] = std::move(ts);
  }
  for (std::size_t k = 0; k < pooled_relations.size(); ++k) {
    out.histograms["traffic." + s.network.relations[k].name + ".completion_latency_histogram"] =
        detail::LatencyRecord::histogram(pooled_relations[k]);
  }
  for (std::size_t k = 0; k < pooled_policies.size(); ++k) {
    const auto& p = s.network.policies[k];
    out.histograms["policies." + p.name + ".completion_latency_histogram"] =
        detail::LatencyRecord::histogram(pooled_policies[k]);
    out.policy_types[p.name] = p.type;
  }
  const Clock::time_point finished = Clock::now();
  if (options.timings != nullptr) {
    RunTimings& t = *options.timings;
    t = RunTimings{};
    for (const auto& r : results) {
      if (!r) continue;
      t.build_seconds += r->timings.build_seconds;
      t.simulate_seconds += r->timings.simulate_seconds;
      t.collect_seconds += r->timings.collect_seconds;
    }
    t.collect_seconds += seconds_since(collecting, finished);
  }
  const double wall = seconds_since(started, finished);
  out.engine.wall_seconds = wall;
  out.engine.events_per_second = wall > 0 ? static_cast<double>(out.engine.events) / wall : 0.0;
  return out;
}

}  // namespace telsim::scenarios
