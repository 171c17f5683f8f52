#pragma once
// What the runner's exact-instant tests share: run a scenario given as text with the
// built-in policies, and read a figure's mean.
#include <string>

#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::scenarios::testing {

inline double mean_of(const analysis::RunResults& r, const std::string& path) {
  return r.metrics.statistic(path).mean.value();
}

inline analysis::RunResults run_text(const std::string& text) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const Scenario s = load_scenario_text(text, "scenario.yaml", {}, registry);
  return run_scenario(s, registry, RunOptions{});
}

}  // namespace telsim::scenarios::testing
