#pragma once
// A small valid scenario and helpers for the loader's unit tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"

namespace telsim::scenarios::testing {

/// Two exchanges, one trunk group, one relation without a name, one policy.
inline const char* const small_scenario = R"(telsim: 1
name: small
duration: 3600
exchanges:
  - name: A
  - name: B
subscribers:
  - {name: homes, exchange: A, count: 100, lines: 1}
  - {name: shops, exchange: B, count: 10, lines: 2}
trunk_groups:
  - name: AB
    between: [A, B]
    circuits: 10
routes:
  - {from: A, to: B, via: [[AB]]}
traffic:
  - from: homes
    to: shops
    arrivals:
      poisson: {rate: 0.1}
    holding: {exponential: {mean: 120}}
policies:
  retry: {type: redial}
)";

inline Scenario load(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const auto registry = models::builtin_policy_registry();
  return load_scenario_text(text, "test.yaml", overrides, registry);
}

/// The error line loading `text` gives, or "" if it loads.
inline std::string error_of(
    const std::string& text, const std::vector<std::string>& overrides = {},
    const models::PolicyRegistry& registry = models::builtin_policy_registry()) {
  try {
    load_scenario_text(text, "test.yaml", overrides, registry);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

/// `small_scenario` with `extra` appended (more keys at the end).
inline std::string with(const std::string& extra) {
  return std::string(small_scenario) + extra;
}

}  // namespace telsim::scenarios::testing
