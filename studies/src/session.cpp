#include "telsim/studies/session.hpp"

#include <algorithm>
#include <optional>

#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"
#include "telsim/studies/provenance.hpp"
#include "telsim/studies/study_error.hpp"

namespace telsim::studies {
namespace {

std::vector<std::string> joined(const std::vector<std::string>& first,
                                const std::vector<std::string>& then) {
  std::vector<std::string> all = first;
  all.insert(all.end(), then.begin(), then.end());
  return all;
}

bool touches_plugins(const std::vector<std::string>& overrides) {
  return std::any_of(overrides.begin(), overrides.end(),
                     [](const std::string& o) { return o.rfind("plugins", 0) == 0; });
}

}  // namespace

Session::Session(SessionOptions options)
    : options_(std::move(options)), registry_(models::builtin_policy_registry()) {
  trust_.allow_paths = options_.allow_plugins;
  try {
    for (const auto& p : options_.plugins) {
      trust_.given.push_back(plugins_.load(p, std::filesystem::current_path(), registry_).path);
    }
  } catch (const scenarios::PluginError& e) {
    throw StudyError(exit_bad_input, std::string("--plugin: error: ") + e.what());
  }
  try {
    text_ = scenarios::read_scenario_text(options_.file);
    sha256_ = sha256_of_bytes(text_);
    scenarios::load_scenario_plugins(plugins_, options_.file, options_.sets, registry_, trust_,
                                     text_);
    base_ = scenarios::load_scenario_text(text_, options_.file.string(), options_.sets, registry_);
  } catch (const scenarios::ScenarioError& e) {
    throw StudyError(exit_bad_input, e.what());
  }
}

scenarios::Scenario Session::variant(const std::vector<std::string>& overrides) {
  const std::vector<std::string> all = joined(options_.sets, overrides);
  if (touches_plugins(overrides)) {
    // The session's registry holds every plug-in any variant loaded; this variant may use
    // only the built-ins, --plugin and its own `plugins:`, as `telsim run` with the same
    // --set would. Validated against exactly those first, then loaded for the run.
    scenarios::PluginSet own_plugins;
    models::PolicyRegistry own = models::builtin_policy_registry();
    for (const auto& p : options_.plugins)
      own_plugins.load(p, std::filesystem::current_path(), own);
    scenarios::load_scenario_plugins(own_plugins, options_.file, all, own, trust_, text_);
    (void)scenarios::load_scenario_text(text_, options_.file.string(), all, own);
    scenarios::load_scenario_plugins(plugins_, options_.file, all, registry_, trust_, text_);
  }
  return scenarios::load_scenario_text(text_, options_.file.string(), all, registry_);
}

nlohmann::ordered_json Session::resolved(const scenarios::Scenario& scenario) const {
  return scenarios::resolved_scenario_json(scenario, registry_);
}

analysis::RunInfo Session::provenance(unsigned threads) const {
  return make_run_info(sha256_, options_.command_line, threads);
}

analysis::RunResults Session::run(const scenarios::Scenario& scenario, unsigned threads,
                                  const RunControl& control) const {
  analysis::RunInfo info = provenance(threads);
  scenarios::RunOptions options;
  options.threads = threads;
  options.stop_signal = control.stop;
  options.progress = control.progress;
  analysis::RunResults results = scenarios::run_scenario(scenario, registry_, options);
  results.scenario = resolved(scenario);
  results.run = std::move(info);
  return results;
}

std::unique_ptr<Session> open_session(SessionOptions options, Workers& workers) {
  std::unique_ptr<Session> session;
  std::optional<StudyError> error;
  try {
    session = std::make_unique<Session>(std::move(options));
  } catch (const StudyError& e) {
    error = e;
  }
  const int status = workers.all_max(error ? error->exit_code() : 0);
  if (status == 0) return session;
  // Every rank's message, so that rank 0 can say what went wrong where.
  std::vector<std::optional<std::string>> mine(static_cast<std::size_t>(workers.ranks()));
  if (error) mine[static_cast<std::size_t>(workers.rank())] = error->what();
  const std::vector<std::string> all = workers.share(std::move(mine));
  if (error && workers.is_root()) throw *error;
  for (std::size_t r = 0; r < all.size(); ++r) {
    if (!all[r].empty()) throw StudyError(status, "rank " + std::to_string(r) + ": " + all[r]);
  }
  throw StudyError(status, "");
}

}  // namespace telsim::studies
