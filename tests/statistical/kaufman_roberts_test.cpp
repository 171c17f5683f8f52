// Multi-rate calls against Kaufman-Roberts: three classes of Poisson calls (1, 2 and 5
// circuits per call) share one group; each relation's first-attempt congestion is its
// class's call congestion, equal to its time congestion P(fewer than b free) (PASTA), and
// the group's carried Erlangs count circuits.
#include <fmt/format.h>

#include "telsim/analysis/kaufman_roberts.hpp"
#include "validation_support.hpp"

namespace telsim::validation {
namespace {

TEST(KaufmanRobertsValidation, PerClassBlockingOnASharedGroup) {
  constexpr int circuits = 30;
  const std::vector<analysis::TrafficClass> classes{{1, 12.0}, {2, 4.0}, {5, 1.2}};
  const analysis::RunResults r =
      run_text(fmt::format(R"(telsim: 1
name: kaufman-roberts
seed: 23
replications: 10
warmup: 100
duration: 20000
exchanges: [{{name: A}}, {{name: B}}]
subscribers:
  - {{name: a, exchange: A, count: 1, lines: unlimited}}
  - {{name: b, exchange: B, count: 1, lines: unlimited}}
trunk_groups: [{{name: G, between: [A, B], circuits: {}}}]
routes: [{{from: A, to: B, via: [[G]]}}]
traffic:
  - {{name: c1, from: a, to: b, arrivals: {{poisson: {{erlangs: {}}}}}, bandwidth: 1,
     holding: {{exponential: {{mean: 1}}}}}}
  - {{name: c2, from: a, to: b, arrivals: {{poisson: {{erlangs: {}}}}}, bandwidth: 2,
     holding: {{exponential: {{mean: 2}}}}}}
  - {{name: c5, from: a, to: b, arrivals: {{poisson: {{erlangs: {}}}}}, bandwidth: 5,
     holding: {{exponential: {{mean: 0.5}}}}}}
)",
                           circuits, classes[0].erlangs, classes[1].erlangs, classes[2].erlangs));
  const analysis::KaufmanRoberts kr = analysis::kaufman_roberts(circuits, classes);
  const char* names[] = {"c1", "c2", "c5"};
  double carried = 0.0;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    EXPECT_TRUE(agrees(r, fmt::format("traffic.{}.first_attempt_failure.congestion", names[k]),
                       kr.class_blocking[k]));
    carried += static_cast<double>(classes[k].bandwidth) * classes[k].erlangs *
               (1.0 - kr.class_blocking[k]);
  }
  EXPECT_TRUE(agrees(r, "trunk_groups.G.carried_erlangs", carried));
  EXPECT_TRUE(agrees(r, "trunk_groups.G.time_congestion", kr.occupancy[circuits]));
  // Power: a single-rate model of the same circuits would be far off for the wide class.
  EXPECT_GT(kr.class_blocking[2] - kr.class_blocking[0],
            3.0 * half_width(r, "traffic.c5.first_attempt_failure.congestion"));
}

}  // namespace
}  // namespace telsim::validation
