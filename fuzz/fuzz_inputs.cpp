#include "fuzz_inputs.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "telsim/models/policy_registry.hpp"
#include "telsim/scenarios/loader.hpp"

namespace telsim::fuzz {
namespace {

/// Stops the process loudly: a fuzzer records the input, a test fails.
[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "fuzz: %s\n", what.c_str());
  std::abort();
}

const models::PolicyRegistry& registry() {
  static const models::PolicyRegistry r = models::builtin_policy_registry();
  return r;
}

/// SPEC §4: "FILE:LINE:COLUMN: error: MESSAGE", LINE and COLUMN from 1, a
/// non-empty message on one line.
void check_error(const scenarios::ScenarioError& e, const std::vector<std::string>& files) {
  bool known_file = false;
  for (const auto& f : files) known_file = known_file || e.file() == f;
  if (!known_file) broken("error names an unexpected file: " + std::string(e.what()));
  if (e.line() < 1 || e.column() < 1) {
    broken("error position not counted from 1: " + std::string(e.what()));
  }
  if (e.message().empty()) broken("empty error message: " + std::string(e.what()));
  const std::string expected_prefix =
      e.file() + ":" + std::to_string(e.line()) + ":" + std::to_string(e.column()) + ": error: ";
  if (std::string_view(e.what()).substr(0, expected_prefix.size()) != expected_prefix) {
    broken("error line is not FILE:LINE:COLUMN: error: " + std::string(e.what()));
  }
}

/// True if the scenario loaded; false after a well-formed ScenarioError.
bool load(std::string_view text, const std::vector<std::string>& overrides) {
  try {
    const auto scenario = scenarios::load_scenario_text(text, "fuzz.yaml", overrides, registry());
    // What every run writes into its results file: must not throw either.
    const auto json = scenarios::resolved_scenario_json(scenario, registry());
    if (json.dump().empty()) broken("resolved scenario rendered as nothing");
    return true;
  } catch (const scenarios::ScenarioError& e) {
    check_error(e, {"fuzz.yaml", "--set"});
    return false;
  }
}

/// A scenario that uses every section, for --set paths to address.
constexpr std::string_view set_base = R"(telsim: 1
name: base
seed: 7
replications: 3
warmup: 10
duration: 100
limits: {max_events: 1e6, max_pending: 1e5}
precision: {metric: trunk_groups.AB.call_blocking, relative: 0.1, max_replications: 20}
exchanges:
  - name: A
    completion: {modes: [campon, callback, intrude, message], max_per_address: 4, messages: 3, bridges: 1}
  - name: B
  - name: T
subscribers:
  - {name: homes, exchange: A, count: 50, lines: 1}
  - {name: cc, exchange: B, count: 1, lines: 5}
  - {name: ext, exchange: T, count: 10, lines: unlimited}
trunk_groups:
  - {name: AB, between: [A, B], circuits: 5}
  - {name: AT, between: [A, T], circuits: 4, reserve: 1}
  - {name: TB, between: [T, B], circuits: 4}
routes:
  - {from: A, to: B, via: [[AB], [AT, TB]]}
  - {from: A, to: T, via: [[AT]]}
traffic:
  - name: h2c
    from: homes
    to: cc
    arrivals: {poisson: {rate: 0.1}, profile: [[0, 1], [50, 2]]}
    holding: {exponential: {mean: 30}}
    answer: {probability: 0.9, delay: {uniform: {min: 1, max: 3}}, timeout: 20}
    completion: cb
  - from: homes
    to: ext
    arrivals: {per_idle_source: {rate: 0.001}}
    holding: {lognormal: {mean: 60, sd: 20}}
    completion: camp
policies:
  cb: {type: callback, expiry: {busy: 100, no_answer: 200}, fallback: rd}
  camp: {type: campon, patience: {erlang: {k: 2, mean: 10}}, when: [busy, congestion]}
  rd: {type: redial, delay: 5, max_attempts: 3}
  msg: {type: message, message_id: 1}
  ccbs: {preset: ccbs-etsi}
expect:
  - {metric: trunk_groups.AB.call_blocking, max: 0.5}
)";

}  // namespace

void load_scenario_input(const std::uint8_t* data, std::size_t size) {
  (void)load(std::string_view(reinterpret_cast<const char*>(data), size), {});
}

void set_overrides_input(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> overrides;
  for (std::size_t start = 0; start <= bytes.size();) {
    const std::size_t end = std::min(bytes.find('\n', start), bytes.size());
    if (end > start) overrides.emplace_back(bytes.substr(start, end - start));
    start = end + 1;
  }
  // Without overrides the base must load, or every input would only test
  // the base scenario's own error.
  if (!load(set_base, overrides) && overrides.empty()) broken("the --set base scenario is invalid");
}

}  // namespace telsim::fuzz
