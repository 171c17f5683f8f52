#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/histogram.hpp"
#include "telsim/analysis/json_writer.hpp"
#include "telsim/analysis/metrics.hpp"

namespace telsim::analysis {

/// Provenance of a run (SPEC §5 "run"); may differ between two runs of the same scenario.
struct RunInfo {
  std::string version;
  std::string commit;
  std::string scenario_sha256;
  std::string command_line;
  std::string started_at;
  int threads = 1;
};

/// Engine counters (SPEC §5 "engine"); may differ between two runs of the same scenario.
struct EngineInfo {
  std::uint64_t events = 0;
  double wall_seconds = 0;
  double events_per_second = 0;
  std::uint64_t peak_pending_events = 0;
};

/// Outcome of sequential stopping (SPEC §5 "precision").
struct PrecisionOutcome {
  std::string metric;
  bool met = false;
  std::size_t replications = 0;
};

/// A time series averaged over replications; times in seconds.
struct TimeSeries {
  std::vector<double> t;
  std::vector<double> mean;
};

/// Everything a results file holds, assembled by the runner.
struct RunResults {
  /// The resolved scenario (any nlohmann json converts to ordered_json on assignment).
  nlohmann::ordered_json scenario;
  /// When set, writes the resolved scenario (one JSON value) in place of `scenario`: a
  /// national network's resolved scenario took 50 MB as a tree, and streamed piece by
  /// piece it is never held whole. The same bytes as `scenario` would give.
  std::function<void(JsonWriter&)> write_scenario;
  std::uint64_t seed = 1;
  std::size_t replications = 0;
  /// Warm-up as configured, in seconds; written when `warmup_field` is null.
  double warmup = 0;
  double duration = 0;
  /// What to print under "warmup" when not simply `warmup`: e.g. "auto".
  nlohmann::ordered_json warmup_field;
  RunInfo run;
  EngineInfo engine;
  /// Warm-up each replication used, in seconds (written as a statistic).
  std::vector<std::optional<double>> warmup_used;
  std::optional<PrecisionOutcome> precision;
  /// Trunk group name -> series name (e.g. "busy_circuits") -> series; written under
  /// "timeseries"."trunk_groups".
  std::map<std::string, std::map<std::string, TimeSeries>> timeseries;
  /// Every statistic leaf, by path; each path starts with "trunk_groups.", "traffic." or
  /// "policies.".
  MetricTable metrics;
  /// Histograms by the path of their leaf, e.g. "traffic.x.completion_latency_histogram".
  std::map<std::string, Histogram> histograms;
  /// Policy instance name -> type, written as "policies.<name>.type".
  std::map<std::string, std::string> policy_types;
};

/// The SPEC §5 document. Top-level keys in SPEC order: telsim, scenario, seed,
/// replications, warmup, duration, run, engine, warmup_used, [precision], timeseries,
/// trunk_groups, traffic, policies (the last three always present, possibly empty). Inside
/// them keys follow the metric paths' first-seen order; a histogram "<p>_histogram" comes
/// right after its sibling "<p>" (after the other keys if there is no such sibling), and a
/// policy's "type" first in its block. Numbers are written with round-trip precision;
/// absent and non-finite ones as null.
///
/// Throws std::invalid_argument for a metric or histogram path outside trunk_groups,
/// traffic and policies, with an empty component, or that is both a leaf and a prefix of
/// another path.
///
/// Written as a stream in time linear in the number of paths: the statistics are never
/// held as a document tree. The text is exactly `ordered_json::dump(2)` of that document
/// plus a final newline.
void write_results(std::ostream& out, const RunResults& results);
/// write_results into `target`, atomically (write_file_atomically's rules).
void write_results_file(const std::filesystem::path& target, const RunResults& results);
/// The same document as a tree, for callers that embed or inspect it (compare, tests):
/// write_results parsed back.
nlohmann::ordered_json to_json(const RunResults& results);

/// Writes `content` to `target` atomically: a uniquely named temporary file in `temp_dir`
/// (default: target's own folder; it must be on the same file system), flushed with fsync,
/// then renamed over the target, and the folder synced. On any failure the temporary file is
/// removed and the target is left as it was. Throws std::runtime_error naming the path and
/// the system's reason.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);
void write_file_atomically(const std::filesystem::path& target, std::string_view content,
                           const std::filesystem::path& temp_dir);
/// The same, with the content streamed by `write` into the temporary file (or into the
/// device) rather than held in memory. An exception from `write` removes the temporary file
/// and leaves the target as it was.
void write_file_atomically(const std::filesystem::path& target,
                           const std::function<void(std::ostream&)>& write);
void write_file_atomically(const std::filesystem::path& target,
                           const std::function<void(std::ostream&)>& write,
                           const std::filesystem::path& temp_dir);

/// The rules every file output follows (write_file_atomically and the writers that stream,
/// such as the call records and the sweep database), in one place.
///
/// True if `target` exists and is not a regular file (after symbolic links): a device, a
/// pipe or a socket (/dev/null, /dev/stdout, a FIFO). Such a target is written in place and
/// nothing is ever renamed over it: as root, a rename over /dev/null would replace the
/// device with a regular file. Throws std::runtime_error if `target` names no file or is a
/// folder.
bool writes_in_place(const std::filesystem::path& target);

/// Puts the finished `temporary` file (synced, on target's file system) in `target`'s place:
/// renamed over it and the folder synced, or, if `target` writes_in_place (checked again
/// now: a long run may have started before it appeared), its bytes copied into it. The
/// temporary file is gone afterwards, on success or failure. Throws std::runtime_error
/// naming the path and the system's reason.
void replace_with_temporary(const std::filesystem::path& temporary,
                            const std::filesystem::path& target);

/// Writes three CSV files into `dir` (created if needed), each atomically, RFC 4180 quoting,
/// empty field = null, numbers with round-trip precision:
///   metrics.csv       path,mean,ci95,n            one row per metric path, in path order
///   replications.csv  replication,path,value      replications numbered from 0
///   timeseries.csv    group,series,t,mean         one row per sample
/// Throws std::runtime_error (folder or file) like write_file_atomically.
void write_csv(const std::filesystem::path& dir, const RunResults& results);

}  // namespace telsim::analysis
