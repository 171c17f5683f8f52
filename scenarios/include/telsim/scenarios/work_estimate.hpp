#pragma once
/// What a run will cost, estimated from the scenario alone before t=0
/// (SPEC §4: `validate` prints it; `run` refuses a scenario whose estimated
/// peak memory exceeds `limits.max_memory`), and the share of that limit each
/// running replication may use (the runner turns it into a bound on pending
/// events, so a run stops with exit 3 rather than being killed by the kernel).
///
/// The model (docs/hardening.md "Limits and memory"; bench/memory_estimate.sh
/// compares it with the measured peak RSS):
///   peak = base + scenario + results
///        + threads x (addresses x (4 bytes busy-line count, + 1/8 byte entry
///                     bit when policies exist) + recorder
///                     + calls in progress x call_bytes
///                     + pending events x pending_event_bytes)
/// where threads = replications running at once, calls in progress come from
/// Little's law on each relation's peak offered rate (capped by the lines of
/// both ends), and a call in progress holds one pending event (its answer,
/// ring timeout or end) plus one arrival event per relation.
#include <cstdint>
#include <string>

#include "telsim/scenarios/scenario.hpp"

namespace telsim::scenarios {

/// Fixed cost of the telsim process before any scenario (code, libraries,
/// allocator arenas, thread stacks in use): measured peak RSS of `telsim run`
/// on a one-address scenario, Release build, rounded up.
inline constexpr std::uint64_t base_bytes = 11ull << 20;
/// A metric path, held once per run however many replications: its front-coded text,
/// its slot in the metric table's index, its place in the results writer's tree.
inline constexpr std::uint64_t bytes_per_metric_path = 96;
/// One replication's value of one metric: 16 bytes, held by the replication until it
/// moves into the table's row; counted twice for the allocator's slack.
inline constexpr std::uint64_t bytes_per_metric_value = 32;
/// A pending-event record (sim::EventRecord) in the pending set.
inline constexpr std::uint64_t pending_event_bytes = 24;
/// The recorder's per-block state: a trunk group's time-weighted figures with
/// 200 time-series bins, a relation's or policy's latency record (at most
/// 32 KiB exact values, then up to 58 KiB of buckets; typically less).
inline constexpr std::uint64_t recorder_group_bytes = 16ull << 10;
inline constexpr std::uint64_t recorder_block_bytes = 40ull << 10;

/// The estimate for one scenario run with `threads` threads.
struct WorkEstimate {
  double arrivals_per_replication = 0;  ///< first attempts, warm-up (and auto's pilot) included
  double events_per_replication = 0;
  double calls_in_progress = 0;   ///< per replication, at the peak offered rate
  double pending_events = 0;      ///< per replication
  unsigned threads = 1;           ///< replications running at once
  std::uint64_t call_bytes = 0;   ///< one call in progress: its record (models::Network)
  std::uint64_t fixed_bytes = 0;  ///< base + scenario + results, once per run
  std::uint64_t replication_static_bytes = 0;   ///< addresses + recorder, per running replication
  std::uint64_t replication_dynamic_bytes = 0;  ///< calls and pending events, per replication
  std::uint64_t peak_bytes = 0;                 ///< fixed + threads x (static + dynamic)
};

/// Estimates `scenario` run on `threads` threads (0 counts as 1). O(size of
/// the scenario).
WorkEstimate estimate_work(const Scenario& scenario, unsigned threads);

/// `limits.max_memory` in bytes: the scenario's value, or for `auto` half the
/// physical memory (sysconf(_SC_PHYS_PAGES) x sysconf(_SC_PAGE_SIZE) / 2).
std::uint64_t max_memory_bytes(const Scenario& scenario);

/// The pending events one running replication may hold within its share of
/// `max_memory`: (max_memory - fixed) / threads - static, at
/// pending_event_bytes + call_bytes each (every pending event is charged a
/// call record, a bound that holds however calls and events mix). At least 1.
std::uint64_t pending_events_within(const WorkEstimate& estimate, std::uint64_t max_memory);

/// "1.5 GB", "12 MB", "900 kB", "512 bytes" (decimal units, 2-3 significant digits).
std::string format_bytes(std::uint64_t bytes);

/// Why a run is refused before t=0: its estimate, the limit (saying when it
/// is `auto`), what the estimate is made of, and the remedies.
std::string memory_refusal(const Scenario& scenario, const WorkEstimate& estimate,
                           std::uint64_t max_memory);

/// The lines `telsim validate` prints: events per replication and peak memory
/// against the limit.
std::string describe_estimate(const WorkEstimate& estimate, std::uint64_t max_memory);

}  // namespace telsim::scenarios
