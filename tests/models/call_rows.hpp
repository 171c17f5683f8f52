#pragma once
// Calls as the service-order tests compare them, and the runner that plays a
// scenario in both call directions and seven scrambled release orders
// (SPEC §3 "Serving at an instant": none of them may change a result).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "policy_fixture.hpp"

namespace telsim::models::policy_testing {

/// What a run says about its calls, in the order they ended.
struct CallRow {
  RelationId relation;
  CallOutcome outcome;
  std::optional<sim::Tick> latency;
  sim::Tick end;
  std::uint32_t attempts;
  friend bool operator==(const CallRow&, const CallRow&) = default;
};

inline std::ostream& operator<<(std::ostream& os, const CallRow& r) {
  return os << "{relation " << r.relation << ", " << to_string(r.outcome) << ", latency "
            << (r.latency ? std::to_string(*r.latency) : "-") << ", end " << r.end << ", attempts "
            << r.attempts << "}";
}

inline std::vector<CallRow> rows(const PolicyLog& log) {
  std::vector<CallRow> out;
  for (std::size_t i = 0; i < log.calls.size(); ++i) {
    const CallSummary& c = log.calls[i];
    out.push_back({c.relation, c.outcome, c.completion_latency, log.end_times[i], c.attempts});
  }
  return out;
}

/// The row of relation `r`'s only call.
inline CallRow row_of(const std::vector<CallRow>& all, RelationId r) {
  std::vector<CallRow> found;
  for (const auto& row : all) {
    if (row.relation == r) found.push_back(row);
  }
  EXPECT_EQ(found.size(), 1u) << "relation " << r;
  return found.empty() ? CallRow{} : found[0];
}

/// Runs `build(reversed)` for both directions and several scrambled release
/// orders; checks that every variant gives the same rows and returns them.
inline std::vector<CallRow> run_every_order(const std::function<NetworkSpec(bool reversed)>& build,
                                            double horizon = 2000.0) {
  const PolicyRegistry registry = builtin_policy_registry();
  std::optional<std::vector<CallRow>> reference;
  for (const bool reversed : {false, true}) {
    const NetworkSpec n = build(reversed);
    for (const std::uint64_t scramble : {0u, 1u, 2u, 3u, 4u, 5u, 6u}) {
      Sim run(n, registry);
      run.net.scramble_release_order_for_testing(scramble);
      EXPECT_EQ(run.go(horizon), sim::RunStatus::done);
      EXPECT_TRUE(all_idle(run.net, n));
      const std::vector<CallRow> got = rows(run.log);
      if (!reference) {
        reference = got;
      } else {
        EXPECT_EQ(got, *reference) << "reversed " << reversed << ", scramble " << scramble;
      }
    }
  }
  return *reference;
}

}  // namespace telsim::models::policy_testing
