#pragma once
/// A study's scenario: loaded once, with its plug-ins and policy registry, and the
/// variants every study makes of it (a sweep's points, compare's alternatives,
/// dimension's circuit counts) built from overrides without reading the file or
/// opening a plug-in again.
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "telsim/analysis/results.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/scenario.hpp"
#include "telsim/studies/workers.hpp"

namespace telsim::studies {

/// What a study is asked to run, as the command line gives it (SPEC §4 COMMON).
struct SessionOptions {
  std::filesystem::path file;
  std::vector<std::string> sets;     ///< --set KEY=VALUE, applied to every variant, in order
  std::vector<std::string> plugins;  ///< --plugin PATH (from the current folder) or bare name
  bool allow_plugins = false;        ///< --allow-plugins: the scenario's `plugins:` paths load
  unsigned threads = 1;              ///< threads per run (replications in parallel)
  std::string command_line;          ///< recorded in every results file's `run` block
};

/// How one run is watched: the stop flag (SIGINT / SIGTERM) and a progress callback.
struct RunControl {
  const std::atomic<int>* stop = nullptr;
  std::function<void(std::size_t done, std::size_t planned)> progress;
};

/// Not copyable or movable: the registry holds code from the plug-ins it owns, and every
/// scenario made from it must not outlive it.
class Session {
 public:
  /// Loads the built-in policies, the --plugin plug-ins, the scenario's `plugins:` (paths
  /// only as SPEC §2's trust rule allows) and the scenario with `sets`. Throws StudyError
  /// (exit_bad_input) with the message telsim prints: "--plugin: error: ..." or the
  /// loader's "FILE:LINE:COLUMN: error: ...".
  explicit Session(SessionOptions options);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const SessionOptions& options() const { return options_; }
  const models::PolicyRegistry& registry() const { return registry_; }
  /// The scenario with the session's --set only.
  const scenarios::Scenario& base() const { return base_; }

  /// The scenario with the session's --set, then `overrides` ("KEY=VALUE"), validated as
  /// the loader validates a file. Throws scenarios::ScenarioError. A variant that changes
  /// `plugins:` loads the plug-ins it adds, as the file's own would be.
  scenarios::Scenario variant(const std::vector<std::string>& overrides);

  /// The scenario as results files record it (SPEC §5 `scenario`).
  nlohmann::ordered_json resolved(const scenarios::Scenario& scenario) const;
  /// The `run` block for a run made now with `threads` threads.
  analysis::RunInfo provenance(unsigned threads) const;

  /// Runs every replication of `scenario` with `threads` threads: the results `telsim run`
  /// would write (resolved scenario and provenance filled). Throws what
  /// scenarios::run_scenario throws (Interrupted, LimitExceeded, std::runtime_error).
  analysis::RunResults run(const scenarios::Scenario& scenario, unsigned threads,
                           const RunControl& control) const;

 private:
  SessionOptions options_;
  std::string text_;              // the scenario file's bytes, read once
  std::string sha256_;            // of text_: the bytes every run is made from
  scenarios::PluginSet plugins_;  // before the registry: outlives it
  scenarios::PluginTrust trust_;
  models::PolicyRegistry registry_;
  scenarios::Scenario base_;
};

/// Opens the session on every rank of `workers` (collective). If any rank cannot (a file
/// only some nodes have, a plug-in missing on one of them), every rank throws: rank 0 with
/// its own error, or with the first failing rank's message prefixed "rank N: ". A study
/// that opened its session on one rank only would wait for that rank forever.
std::unique_ptr<Session> open_session(SessionOptions options, Workers& workers);

}  // namespace telsim::studies
