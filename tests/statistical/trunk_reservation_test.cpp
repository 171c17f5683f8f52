// Alternate routing with trunk reservation against the exact CTMC: calls
// from A to B try group H first and overflow to G; calls from B to A use G
// directly (first choice) and may take G's reserved circuits, overflow may not.
#include "telsim/analysis/ctmc.hpp"
#include "validation_support.hpp"

namespace telsim::validation {
namespace {

constexpr const char* reservation_scenario = R"(telsim: 1
name: overflow-with-reservation
seed: 5
replications: 10
warmup: 50
duration: 30000
exchanges: [{name: A}, {name: B}]
subscribers:
  - {name: a, exchange: A, count: 1, lines: unlimited}
  - {name: b, exchange: B, count: 1, lines: unlimited}
trunk_groups:
  - {name: H, between: [A, B], circuits: 5}
  - {name: G, between: [A, B], circuits: 10, reserve: 2}
routes:
  - {from: A, to: B, via: [[H], [G]]}
  - {from: B, to: A, via: [[G]]}
traffic:
  - name: overflowing
    from: a
    to: b
    arrivals: {poisson: {rate: 4}}
    holding: {exponential: {mean: 1}}
  - name: first-choice
    from: b
    to: a
    arrivals: {poisson: {rate: 6}}
    holding: {exponential: {mean: 1}}
)";

TEST(TrunkReservation, FirstChoiceAndOverflowBlockingMatchTheExactChain) {
  const analysis::RunResults r = run_text(reservation_scenario);
  const analysis::OverflowReservation t =
      analysis::overflow_with_reservation(5, 4.0, 10, 2, 6.0, 1.0);
  EXPECT_TRUE(agrees(r, "trunk_groups.H.call_blocking", t.primary_blocking));
  EXPECT_TRUE(agrees(r, "trunk_groups.G.call_blocking", t.second_call_blocking));
  EXPECT_TRUE(
      agrees(r, "traffic.overflowing.first_attempt_failure.congestion", t.lost_overflowing));
  EXPECT_TRUE(
      agrees(r, "traffic.first-choice.first_attempt_failure.congestion", t.first_choice_blocking));
  EXPECT_TRUE(agrees(r, "trunk_groups.H.carried_erlangs", t.primary_carried));
  EXPECT_TRUE(agrees(r, "trunk_groups.G.carried_erlangs", t.second_carried));
  // Power: reservation visibly favours first-choice calls; a simulator that
  // ignored `reserve` would give both streams the same blocking on G.
  const analysis::OverflowReservation none =
      analysis::overflow_with_reservation(5, 4.0, 10, 0, 6.0, 1.0);
  EXPECT_GT(std::fabs(none.first_choice_blocking - t.first_choice_blocking),
            3.0 * half_width(r, "traffic.first-choice.first_attempt_failure.congestion"));
}

}  // namespace
}  // namespace telsim::validation
