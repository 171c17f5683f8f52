// The estimate of a run's work and peak memory before t=0 (work_estimate.hpp).
#include "telsim/scenarios/work_estimate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "recorder.hpp"
#include "telsim/models/network.hpp"

namespace telsim::scenarios {
namespace {

// Scenario objects (a population, a group, a route, a relation, a policy,
// with their names and vectors) in memory, generously.
constexpr std::uint64_t bytes_per_scenario_object = 1024;

std::uint64_t to_bytes(double x) {
  if (!(x > 0)) return 0;
  if (x >= 1.8e19) return std::numeric_limits<std::uint64_t>::max() / 4;
  return static_cast<std::uint64_t>(std::ceil(x));
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b
             ? std::numeric_limits<std::uint64_t>::max()
             : a + b;
}

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return a * b;
}

// The largest rate multiplier of a profile (1 before its first time).
double peak_multiplier(const models::ArrivalSpec& a) {
  if (a.profile.empty()) return 1.0;
  double peak = a.profile.front().first > 0 ? 1.0 : 0.0;
  for (const auto& [t, m] : a.profile) peak = std::max(peak, m);
  return peak;
}

// Calls a population's lines can hold at once (infinite when unlimited).
double line_capacity(const models::PopulationSpec& p) {
  if (!p.lines) return std::numeric_limits<double>::infinity();
  return static_cast<double>(p.count) * static_cast<double>(*p.lines);
}

}  // namespace

WorkEstimate estimate_work(const Scenario& s, unsigned threads) {
  const auto& net = s.network;
  WorkEstimate e;
  std::size_t replications = s.replications;
  if (s.precision) replications = std::max(replications, s.precision->max_replications);
  e.threads = static_cast<unsigned>(
      std::max<std::size_t>(1, std::min<std::size_t>(std::max(threads, 1u), replications)));
  e.call_bytes = models::Network::call_record_bytes();  // free slots are linked through it

  // Simulated time per replication: warm-up and window; `auto` adds the
  // pilot run over `duration` and a warm-up of about half of it.
  const double simulated = s.warmup ? *s.warmup + s.duration : 2.5 * s.duration;
  for (const auto& r : net.relations) {
    const auto& a = r.arrivals;
    const models::PopulationSpec& from = net.populations[r.from];
    const models::PopulationSpec& to = net.populations[r.to];
    double rate = 0;  // peak first attempts per second
    double arrivals = 0;
    if (a.kind == models::ArrivalSpec::Kind::scripted) {
      arrivals = static_cast<double>(a.at.size());
    } else {
      rate = a.rate * peak_multiplier(a);
      if (a.kind == models::ArrivalSpec::Kind::per_idle_source) {
        rate *= static_cast<double>(from.count);
      }
      arrivals = rate * simulated;
    }
    // Time a call spends in progress: ringing (until answered, or the
    // timeout for an unanswered one), then its conversation.
    const double p = r.answer.probability;
    const double delay = r.answer.timeout ? std::min(r.answer.delay.mean(), *r.answer.timeout)
                                          : r.answer.delay.mean();
    const double ring_unanswered = r.answer.timeout.value_or(0.0);
    const double in_progress_time = p * (delay + r.holding.mean()) + (1 - p) * ring_unanswered;
    double calls =
        a.kind == models::ArrivalSpec::Kind::scripted ? arrivals : rate * in_progress_time;
    calls = std::min({calls, line_capacity(from), line_capacity(to)});
    const bool rings = !(r.answer.delay.is_deterministic() && r.answer.delay.mean() == 0.0) ||
                       r.answer.timeout.has_value();
    e.arrivals_per_replication += arrivals;
    // An arrival, an end, and an answer or ring timeout when ringing takes time.
    e.events_per_replication += arrivals * (rings ? 3.0 : 2.0);
    e.calls_in_progress += calls;
  }
  e.pending_events = e.calls_in_progress + static_cast<double>(net.relations.size());

  std::uint64_t addresses = 0;
  for (const auto& p : net.populations) addresses = saturating_add(addresses, p.count);
  std::uint64_t address_bytes = saturating_mul(addresses, 4);
  if (!net.policies.empty()) address_bytes = saturating_add(address_bytes, addresses / 8 + 1);
  e.replication_static_bytes = saturating_add(
      address_bytes, net.trunk_groups.size() * recorder_group_bytes +
                         (net.relations.size() + net.policies.size()) * recorder_block_bytes);
  e.replication_dynamic_bytes =
      to_bytes(e.calls_in_progress * static_cast<double>(e.call_bytes) +
               e.pending_events * static_cast<double>(pending_event_bytes));

  std::size_t objects = net.exchanges.size() + net.populations.size() + net.trunk_groups.size() +
                        net.routes.size() + net.relations.size() + net.policies.size();
  std::uint64_t scripted = 0;
  for (const auto& r : net.relations) scripted += r.arrivals.at.size();
  const std::uint64_t metrics = detail::metric_count(s);
  e.fixed_bytes = base_bytes + objects * bytes_per_scenario_object + scripted * 16 +
                  saturating_mul(metrics, bytes_per_metric_path) +
                  saturating_mul(saturating_mul(replications, metrics), bytes_per_metric_value);
  e.peak_bytes = saturating_add(
      e.fixed_bytes, saturating_mul(e.threads, saturating_add(e.replication_static_bytes,
                                                              e.replication_dynamic_bytes)));
  return e;
}

std::uint64_t max_memory_bytes(const Scenario& s) {
  if (s.max_memory) return *s.max_memory;
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  // Unknown physical memory: no limit from `auto`.
  if (pages <= 0 || page <= 0) return std::numeric_limits<std::uint64_t>::max();
  return saturating_mul(static_cast<std::uint64_t>(pages), static_cast<std::uint64_t>(page)) / 2;
}

std::uint64_t pending_events_within(const WorkEstimate& e, std::uint64_t max_memory) {
  if (max_memory <= e.fixed_bytes) return 1;
  const std::uint64_t share = (max_memory - e.fixed_bytes) / e.threads;
  if (share <= e.replication_static_bytes) return 1;
  return std::max<std::uint64_t>(
      1, (share - e.replication_static_bytes) / (pending_event_bytes + e.call_bytes));
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes < 1000) return fmt::format("{} bytes", bytes);
  static constexpr const char* units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  double x = static_cast<double>(bytes);
  std::size_t u = 0;
  for (x /= 1000; x >= 999.5 && u + 1 < std::size(units); x /= 1000) ++u;
  return fmt::format("{:.3g} {}", x, units[u]);
}

std::string memory_refusal(const Scenario& s, const WorkEstimate& e, std::uint64_t max_memory) {
  std::uint64_t addresses = 0;
  for (const auto& p : s.network.populations) addresses = saturating_add(addresses, p.count);
  return fmt::format(
      "the estimated peak memory of this run, {}, exceeds limits.max_memory ({}{}): {} "
      "replication{} at once, each about {} ({:.3g} addresses, {:.3g} calls in progress), plus "
      "{} for the program and the results; make the populations smaller, run fewer --threads, "
      "or raise limits.max_memory",
      format_bytes(e.peak_bytes), format_bytes(max_memory),
      s.max_memory ? "" : ", auto: half the physical memory", e.threads, e.threads == 1 ? "" : "s",
      format_bytes(saturating_add(e.replication_static_bytes, e.replication_dynamic_bytes)),
      static_cast<double>(addresses), e.calls_in_progress, format_bytes(e.fixed_bytes));
}

std::string describe_estimate(const WorkEstimate& e, std::uint64_t max_memory) {
  return fmt::format(
      "estimated work: about {:.3g} events per replication ({:.3g} first attempts)\n"
      "estimated peak memory: about {} with {} replication{} at once "
      "(limits.max_memory: {})\n",
      e.events_per_replication, e.arrivals_per_replication, format_bytes(e.peak_bytes), e.threads,
      e.threads == 1 ? "" : "s", format_bytes(max_memory));
}

}  // namespace telsim::scenarios
