#pragma once
// Shared by the statistical validation tests: load a scenario from text, run
// it, and compare a simulated statistic with theory.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "telsim/analysis/results.hpp"
#include "telsim/scenarios/loader.hpp"
#include "telsim/scenarios/runner.hpp"

namespace telsim::validation {

inline analysis::RunResults run_text(const std::string& yaml) {
  const models::PolicyRegistry registry = models::builtin_policy_registry();
  const scenarios::Scenario s =
      scenarios::load_scenario_text(yaml, "validation.yaml", {}, registry);
  scenarios::RunOptions options;
  options.threads = 2;
  return scenarios::run_scenario(s, registry, options);
}

/// |simulated - theory| <= 3 x ci95: with a 95% interval, a correct simulator
/// fails this about once in 370 checks per seed; the seeds are fixed, so a
/// pass is reproducible, and a wrong model fails by many half-widths.
inline ::testing::AssertionResult agrees(const analysis::RunResults& r, const std::string& path,
                                         double theory) {
  if (!r.metrics.contains(path)) return ::testing::AssertionFailure() << "no metric " << path;
  const analysis::Statistic st = r.metrics.statistic(path);
  if (!st.mean || !st.ci95) return ::testing::AssertionFailure() << path << " has no mean or ci95";
  const double gap = std::fabs(*st.mean - theory);
  const std::string text = path + ": simulated " + std::to_string(*st.mean) + " ± " +
                           std::to_string(*st.ci95) + ", theory " + std::to_string(theory);
  if (gap <= 3.0 * *st.ci95) return ::testing::AssertionSuccess() << text;
  return ::testing::AssertionFailure() << text << " (off by " << gap / *st.ci95 << " half-widths)";
}

inline double half_width(const analysis::RunResults& r, const std::string& path) {
  return r.metrics.statistic(path).ci95.value_or(INFINITY);
}

}  // namespace telsim::validation
