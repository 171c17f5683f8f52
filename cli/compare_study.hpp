#pragma once
// What `compare` and `dimension` share: parsing --vary, loading a scenario with extra
// overrides, running it into a full results object, and printing numbers.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "telsim/analysis/results.hpp"
#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/plugins.hpp"
#include "telsim/scenarios/scenario.hpp"

namespace telsim::cli {

/// `--vary KEY=V1,V2,...` as given to `compare`.
struct VaryList {
  std::string key;
  std::vector<std::string> values;  ///< as written, each applied as `--set KEY=VALUE`
};

/// Splits at the first '=', then at the commas outside brackets and braces (so that
/// `routes.A-B.via=[[AB],[AT,TB]],[[AB]]` gives two values). Returns the error text
/// (without the "telsim: error: " prefix) when the key is empty, there is no '=', a value
/// is empty, brackets do not balance, or fewer than `min_values` values are given.
std::optional<VaryList> parse_vary_list(const std::string& text, std::size_t min_values,
                                        std::string& error);

/// One scenario loaded for a study point. Not movable (the registry points into the
/// plug-ins): hold it by unique_ptr.
struct LoadedPoint {
  scenarios::PluginSet plugins;  // declared first: outlives the registry
  models::PolicyRegistry registry;
  scenarios::Scenario scenario;
};

/// Loads `study.file` with `study.sets`, then `extra` overrides, and the plug-ins. On
/// failure the loader's error has been printed and the exit code (2) is returned.
std::optional<int> load_point(const StudyArgs& study, const std::vector<std::string>& extra,
                              std::unique_ptr<LoadedPoint>& out);

/// Runs a loaded point (threads from `study`), filling the resolved scenario and the run
/// provenance: the object `telsim run` would write. `progress_unit` empty = no bar.
/// Throws what scenarios::run_scenario throws (Interrupted, LimitExceeded, ...).
analysis::RunResults run_point(const StudyArgs& study, const LoadedPoint& point,
                               const std::atomic<int>& stop, const std::string& progress_unit);

/// Runs `body` and maps the runner's exceptions to SPEC §4 exit codes, printing the error
/// ("nothing was written" on an interrupt). Returns nullopt when body returned normally.
std::optional<int> guarded(const std::string& file, const std::function<void()>& body);

/// A number for the tables: 4 significant digits, "n/a" for none.
std::string format_number(const std::optional<double>& value);
/// "mean ± ci95", or just the mean (or "n/a") when there is no interval.
std::string format_estimate(const std::optional<double>& mean, const std::optional<double>& ci95);

/// Prints the interrupt message and returns 130 / 143.
int report_interrupt(int signal);
/// Prints "telsim: error: FILE: WHAT" and returns 3.
int report_error(const std::string& file, const std::string& what);

}  // namespace telsim::cli
